// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are literal `${…}`.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricName } from '../../../functions/shared/observability.js';
import { cfnLint, cfnLintInstalled } from './cfnLint.js';
import { EXPECTED_GRANTS } from './expectedGrants.js';
import { oslsInstalled, type PackagedService, packageService, repoRoot } from './packageService.js';
import {
  actionResources,
  getAtt,
  pointingAt,
  properties,
  ref,
  resourcesOfType,
  roleStatements,
  type Statement,
  type Template,
} from './template.js';

const { operations } = createRequire(import.meta.url)(
  `${repoRoot}infra/resources/monitoring/operations.cjs`,
) as { operations: (input: { namePrefix: string; stuckHoldHours: unknown }) => unknown };

/** serverless.yml function key → its Lambda logical id. */
const FUNCTIONS = {
  schedule: 'ScheduleLambdaFunction',
  reconcile: 'ReconcileLambdaFunction',
  desiredChange: 'DesiredChangeLambdaFunction',
  s3Change: 'S3ChangeLambdaFunction',
  deliveryCheck: 'DeliveryCheckLambdaFunction',
  auditApi: 'AuditApiLambdaFunction',
  auditAnchor: 'AuditAnchorLambdaFunction',
  // Organization scale (#18).
  discover: 'DiscoverLambdaFunction',
} as const;
/** The functions EventBridge invokes asynchronously. */
const ASYNC_FUNCTIONS = [
  'ScheduleLambdaFunction',
  'S3ChangeLambdaFunction',
  'DeliveryCheckLambdaFunction',
  // Audit anchors (issue 16): its schedule invokes it asynchronously too.
  'AuditAnchorLambdaFunction',
];

interface AlarmProperties {
  AlarmName: string;
  Namespace: string;
  MetricName: string;
  Dimensions: Array<{ Name: string; Value: unknown }>;
  Statistic: string;
  Period: number;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData: string;
  ActionsEnabled: boolean;
  AlarmActions: unknown[];
  OKActions: unknown[];
}

const alarmsOf = (template: Template): Record<string, AlarmProperties> =>
  Object.fromEntries(
    resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([id, alarm]) => [
      id,
      alarm.Properties as unknown as AlarmProperties,
    ]),
  );

/** The alarm on a metric, failing with the metrics that are alarmed. */
function alarmOn(template: Template, metricName: string, dimension?: unknown): AlarmProperties {
  const alarms = Object.values(alarmsOf(template));
  const found = alarms.filter(
    (alarm) =>
      alarm.MetricName === metricName &&
      (dimension === undefined || JSON.stringify(alarm.Dimensions).includes(JSON.stringify(dimension))),
  );
  if (found.length !== 1)
    throw new Error(
      `${found.length} alarms on ${metricName} ${JSON.stringify(dimension)}; alarmed: ${alarms.map((a) => a.AlarmName).join(', ')}`,
    );
  return found[0]!;
}

/** "Greater than zero in any 5 minutes; no data is fine": the rule of every failure alarm. */
const anyInFiveMinutes = {
  Period: 300,
  EvaluationPeriods: 1,
  DatapointsToAlarm: 1,
  Threshold: 0,
  ComparisonOperator: 'GreaterThanThreshold',
  TreatMissingData: 'notBreaching',
};

type DashboardMetric = [string, string, ...unknown[]];
interface Widget {
  properties: { title: string; metrics: DashboardMetric[] };
}

const dashboardWidgets = (template: Template): Widget[] => {
  const body = properties(template, 'OperationsDashboard').DashboardBody as { 'Fn::Sub': string };
  return (JSON.parse(body['Fn::Sub']) as { widgets: Widget[] }).widgets;
};

const title = oslsInstalled
  ? 'operations (osls package): alarms, dashboard, failure destinations, concurrency'
  : 'operations (skipped: osls is not installed; run `npm install`)';

describe.skipIf(!oslsInstalled)(title, () => {
  let defaults: PackagedService | undefined;
  let tuned: PackagedService | undefined;
  let template: Template;

  beforeAll(async () => {
    defaults = await packageService('ci');
    tuned = await packageService('ci', { reconcileMaxConcurrency: '5', stuckHoldHours: '6' });
    template = defaults.template;
  }, 600_000);
  afterAll(async () => {
    await defaults?.cleanup();
    await tuned?.cleanup();
  });

  describe('alarms', () => {
    it('notify the alert topic when they fire and when they clear, each named with the stage', () => {
      const alarms = alarmsOf(template);
      // The reconcile DLQ, the two failure queues and the discovery DLQ (#18); two per function; two metrics.
      expect(Object.keys(alarms).length).toBe(4 + 2 * Object.keys(FUNCTIONS).length + 2);
      for (const [id, alarm] of Object.entries(alarms)) {
        expect(alarm, id).toMatchObject({
          ActionsEnabled: true,
          AlarmActions: [ref('AlertTopic')],
          OKActions: [ref('AlertTopic')],
        });
        expect(alarm.AlarmName, id).toMatch(/^s3ir-ci-/);
      }
    });

    it.each([
      ['ReconcileDeadLetterQueue', 's3ir-ci-reconcile-dlq-depth'],
      ['StreamFailureQueue', 's3ir-ci-stream-failures-depth'],
      ['InvokeFailureQueue', 's3ir-ci-invoke-failures-depth'],
      ['DiscoveryDeadLetterQueue', 's3ir-ci-discovery-dlq-depth'],
    ])('pages on any message waiting in %s', (queue, name) => {
      expect(
        alarmOn(template, 'ApproximateNumberOfMessagesVisible', {
          Name: 'QueueName',
          Value: getAtt(queue, 'QueueName'),
        }),
      ).toMatchObject({
        AlarmName: name,
        Namespace: 'AWS/SQS',
        Statistic: 'Maximum',
        ...anyInFiveMinutes,
      });
    });

    it.each(Object.entries(FUNCTIONS))('pages on any error or throttle of %s', (key, id) => {
      for (const metric of ['Errors', 'Throttles']) {
        expect(alarmOn(template, metric, { Name: 'FunctionName', Value: ref(id) }), metric).toMatchObject({
          AlarmName: `s3ir-ci-${key}-${metric.toLowerCase()}`,
          Namespace: 'AWS/Lambda',
          Dimensions: [{ Name: 'FunctionName', Value: ref(id) }],
          Statistic: 'Sum',
          ...anyInFiveMinutes,
        });
      }
    });

    it('pages on any bucket whose reconcile ended failed (ReconcileFailed of reconcile)', () => {
      expect(alarmOn(template, MetricName.ReconcileFailed)).toMatchObject({
        AlarmName: 's3ir-ci-reconcile-failed',
        Namespace: 's3ir',
        Dimensions: [
          { Name: 'service', Value: 's3ir' },
          { Name: 'function', Value: 'reconcile' },
        ],
        Statistic: 'Sum',
        ...anyInFiveMinutes,
      });
    });

    it('pages on a hold held every hour for stuckHoldHours (default 2), and keeps its state without data', () => {
      const rule = {
        AlarmName: 's3ir-ci-hold-stuck',
        Namespace: 's3ir',
        Dimensions: [
          { Name: 'service', Value: 's3ir' },
          { Name: 'function', Value: 'schedule' },
        ],
        Statistic: 'Minimum',
        Period: 3600,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'missing',
      };
      expect(alarmOn(template, MetricName.HoldActive)).toMatchObject({
        ...rule,
        EvaluationPeriods: 2,
        DatapointsToAlarm: 2,
      });
      expect(alarmOn(tuned!.template, MetricName.HoldActive)).toMatchObject({
        ...rule,
        EvaluationPeriods: 6,
        DatapointsToAlarm: 6,
      });
    });

    it('names custom metrics as the functions emit them: MetricName, namespace s3ir, service and function dimensions', () => {
      const service = (
        properties(template, 'ReconcileLambdaFunction').Environment as { Variables: Record<string, unknown> }
      ).Variables.POWERTOOLS_SERVICE_NAME;
      for (const alarm of Object.values(alarmsOf(template)).filter((a) => a.Namespace === 's3ir')) {
        expect(Object.values(MetricName), alarm.AlarmName).toContain(alarm.MetricName);
        expect(alarm.Dimensions[0], alarm.AlarmName).toEqual({ Name: 'service', Value: service });
        expect(Object.keys(FUNCTIONS), alarm.AlarmName).toContain(alarm.Dimensions[1]?.Value);
      }
    });

    it('lets CloudWatch use the topic key for this account’s alarms of this stage only', () => {
      const policy = properties(template, 'AlertTopicKey').KeyPolicy as { Statement: Statement[] };
      expect(policy.Statement.find((statement) => statement.Sid === 'CloudWatchAlarmsPublish')).toEqual({
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:s3ir-ci-*',
            },
          },
        },
      });
    });
  });

  describe('dashboard', () => {
    it('exists, named with the stage', () => {
      expect(properties(template, 'OperationsDashboard').DashboardName).toBe('s3ir-ci-operations');
    });

    it('shows buckets checked, drift found, changes applied, failures and the hold state', () => {
      const byTitle = Object.fromEntries(
        dashboardWidgets(template).map((widget) => [
          widget.properties.title,
          widget.properties.metrics.map(([namespace, name, ...dimensions]) => [
            namespace,
            name,
            ...dimensions.filter((part) => typeof part === 'string'),
          ]),
        ]),
      );
      const custom = (name: string, fn: string) => ['s3ir', name, 'service', 's3ir', 'function', fn];
      expect(byTitle['Buckets checked']).toContainEqual(custom('BucketsChecked', 'reconcile'));
      expect(byTitle['Drift found and changes applied']).toEqual([
        custom('DriftFound', 'reconcile'),
        custom('ChangesApplied', 'reconcile'),
      ]);
      expect(byTitle.Failures).toContainEqual(custom('ReconcileFailed', 'reconcile'));
      expect(byTitle.Failures).toContainEqual(custom('ReconcileFailures', 'reconcile'));
      expect(byTitle['Hold state (1 = on hold)']).toEqual([custom('HoldActive', 'schedule')]);
      expect(byTitle['Function errors']).toEqual(
        Object.values(FUNCTIONS).map((id) => ['AWS/Lambda', 'Errors', 'FunctionName', `\${${id}}`]),
      );
      expect(byTitle['Function throttles']).toHaveLength(Object.keys(FUNCTIONS).length);
    });

    it('names only metrics the functions emit, and only resources of the template', () => {
      for (const widget of dashboardWidgets(template)) {
        for (const [namespace, name, ...rest] of widget.properties.metrics) {
          if (namespace === 's3ir')
            expect(Object.values(MetricName), widget.properties.title).toContain(name);
          for (const part of rest.filter((item): item is string => typeof item === 'string')) {
            const placeholder = /^\$\{(\w+)(?:\.\w+)?\}$/.exec(part);
            if (placeholder?.[1] && placeholder[1] !== 'AWS')
              expect(Object.keys(template.Resources), part).toContain(placeholder[1]);
          }
        }
      }
    });
  });

  describe('on-failure destinations', () => {
    it('sends a desired-state stream batch given up on to the stream-failures queue, after bisecting and bounded retries', () => {
      const [mapping] = pointingAt(
        template,
        'AWS::Lambda::EventSourceMapping',
        'DesiredChangeLambdaFunction',
      );
      expect(mapping?.[1].Properties).toMatchObject({
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        MaximumRecordAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: getAtt('StreamFailureQueue') } },
      });
      expect(properties(template, 'StreamFailureQueue')).toEqual({
        QueueName: 's3ir-ci-stream-failures',
        MessageRetentionPeriod: 1209600,
        SqsManagedSseEnabled: true,
      });
      const sends = actionResources(roleStatements(template, 'DesiredChangeRole'), 'Allow')[
        'sqs:SendMessage'
      ];
      expect(sends).toContainEqual(getAtt('StreamFailureQueue'));
    });

    it.each(ASYNC_FUNCTIONS)(
      'sends a failed asynchronous invocation of %s to the invoke-failures queue',
      (id) => {
        const configs = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').filter(
          ([, config]) => JSON.stringify(config.Properties?.FunctionName) === JSON.stringify(ref(id)),
        );
        expect(configs).toHaveLength(1);
        expect(configs[0]?.[1].Properties).toMatchObject({
          Qualifier: '$LATEST',
          DestinationConfig: { OnFailure: { Destination: getAtt('InvokeFailureQueue') } },
        });
        const role = EXPECTED_GRANTS[id]!.role;
        expect(actionResources(roleStatements(template, role), 'Allow')['sqs:SendMessage']).toContainEqual(
          getAtt('InvokeFailureQueue'),
        );
      },
    );

    it('keeps a change event EventBridge could not hand to s3-change, and lets only this stage’s rules send it', () => {
      const rules = pointingAt(template, 'AWS::Events::Rule', 'S3ChangeLambdaFunction');
      const targets = rules[0]?.[1].Properties?.Targets as Array<Record<string, unknown>>;
      expect(targets).toHaveLength(1);
      expect(targets[0]).toMatchObject({
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
        DeadLetterConfig: { Arn: getAtt('InvokeFailureQueue') },
      });
      expect(rules[0]?.[1].Properties?.Name).toMatch(/^s3-inventory-reconciler-ci-/);
      expect(properties(template, 'InvokeFailureQueuePolicy')).toEqual({
        Queues: [ref('InvokeFailureQueue')],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'EventBridgeDeadLetters',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: getAtt('InvokeFailureQueue'),
              Condition: {
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Sub':
                      'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/s3-inventory-reconciler-ci-*',
                  },
                },
              },
            },
          ],
        },
      });
    });

    it('lets no function but the async ones and desired-change send to a failure queue', () => {
      const senders = Object.entries(EXPECTED_GRANTS)
        .filter(([, { role }]) =>
          JSON.stringify(
            actionResources(roleStatements(template, role), 'Allow')['sqs:SendMessage'] ?? [],
          ).match(/FailureQueue/),
        )
        .map(([id]) => id);
      expect(senders.sort()).toEqual([...ASYNC_FUNCTIONS, 'DesiredChangeLambdaFunction'].sort());
    });

    it('outputs both failure queues’ URLs', () => {
      expect(template.Outputs).toMatchObject({
        StreamFailureQueueUrl: { Value: ref('StreamFailureQueue') },
        InvokeFailureQueueUrl: { Value: ref('InvokeFailureQueue') },
      });
    });
  });

  describe('reconcile concurrency', () => {
    it('caps the reconcile queue’s event source at reconcileMaxConcurrency (default 20)', () => {
      const scaling = (packaged: Template) =>
        pointingAt(packaged, 'AWS::Lambda::EventSourceMapping', 'ReconcileLambdaFunction')[0]?.[1].Properties
          ?.ScalingConfig;
      expect(scaling(template)).toEqual({ MaximumConcurrency: 20 });
      expect(scaling(tuned!.template)).toEqual({ MaximumConcurrency: 5 });
    });
  });

  const lint = 'packages a template cfn-lint finds no error in';
  it.skipIf(!cfnLintInstalled)(
    cfnLintInstalled ? lint : `${lint} (skipped: cfn-lint is not installed)`,
    async () => {
      const file = join(defaults!.outputDir, 'cloudformation-template-update-stack.json');
      // W3005: osls's own DependsOn next to a GetAtt of the same role, redundant but harmless.
      expect(await cfnLint(file, ['W3005'])).toEqual([]);
    },
  );
});

describe('operations.cjs (the params osls turns into alarms)', () => {
  it.each(['0', '25', '1.5', 'two', ''])('refuses stuckHoldHours %j, naming the param', (value) => {
    expect(() => operations({ namePrefix: 's3ir-ci', stuckHoldHours: value })).toThrow(
      `param stuckHoldHours: ${JSON.stringify(value)} is not a whole number from 1 to 24`,
    );
  });
});
