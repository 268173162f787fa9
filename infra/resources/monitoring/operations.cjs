// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are literal `${…}`.
'use strict';

/**
 * What pages an operator (README "Operating it"), built by osls at package time, offline:
 * `${file(infra/resources/monitoring/operations.cjs):template}` in serverless.yml. Deploy-only: the local
 * AWS reads infra/resources/*.yml, not this folder, and has no CloudWatch.
 *
 * Every alarm notifies the alert topic when it fires and when it clears (AlarmActions and OKActions), so
 * the subscribers of the service's own alerts are the ones paged. The topic's key lets CloudWatch publish
 * (infra/resources/kms/alert-topic-key.yml, `CloudWatchAlarmsPublish`).
 *
 * - Queue depth > 0 on the reconcile DLQ (a bucket kept failing) and on the two failure queues (a stream
 *   batch or an asynchronous invocation given up on).
 * - Errors > 0 and Throttles > 0 of each function, over 5 minutes. The handlers report a failed bucket or
 *   record per item (partial batch responses), so an Error is a crash, a timeout or an init failure.
 * - ReconcileFailed > 0: a bucket's reconcile ended failed with no retry to follow.
 * - HoldActive held at 1 for `stuckHoldHours` hours: the account-wide brake put the service on hold and
 *   nobody released it. The brake does not exist yet (issue 17 point 3); when it does, `schedule` emits
 *   the metric once per sweep (functions/shared/observability.ts), and this alarm needs no change.
 *
 * Custom metrics are the Powertools ones of functions/shared/observability.ts (`MetricName`), namespace
 * `s3ir`, dimensions `service` and `function`: an alarm on a metric matches only its exact dimensions.
 */

const NAMESPACE = 's3ir';
/** serverless.yml `POWERTOOLS_SERVICE_NAME`: Powertools' `service` dimension on every custom metric. */
const SERVICE = 's3ir';
/** serverless.yml function keys; the Lambda logical id is `<Key>LambdaFunction`. */
const FUNCTIONS = [
  'schedule',
  'reconcile',
  'desiredChange',
  's3Change',
  'deliveryCheck',
  'auditApi',
  'auditAnchor',
  // Organization scale (#18).
  'discover',
];
const FIVE_MINUTES = 300;
const HOUR = 3600;

const upper = (key) => key[0].toUpperCase() + key.slice(1);
const lambdaId = (key) => `${upper(key)}LambdaFunction`;
const sub = (text) => ({ 'Fn::Sub': text });

/** The queues whose depth pages: logical id → the alarm's name and what a message there means. */
const QUEUES = {
  ReconcileDeadLetterQueue: ['reconcile-dlq', 'a bucket failed every receive of its reconcile message'],
  StreamFailureQueue: ['stream-failures', 'a batch of desired-state stream records was given up on'],
  InvokeFailureQueue: [
    'invoke-failures',
    'an asynchronous invocation (schedule, s3-change, delivery-check) failed every retry',
  ],
  // Organization scale (#18): its buckets wait for a sweep that discovers it.
  DiscoveryDeadLetterQueue: [
    'discovery-dlq',
    'a member account failed every receive of its discovery message',
  ],
};

/** A positive whole number param (hours, counts): a typo must fail the package, not the pager. */
function positiveInteger(name, value, max) {
  const number = Number(String(value ?? '').trim());
  if (!Number.isInteger(number) || number < 1 || number > max)
    throw new Error(`param ${name}: ${JSON.stringify(value)} is not a whole number from 1 to ${max}`);
  return number;
}

/** One alarm notifying the topic both ways; `metric` holds Namespace, MetricName, Dimensions, Statistic. */
function alarm(namePrefix, name, description, metric, rule) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: `${namePrefix}-${name}`,
      AlarmDescription: description,
      ActionsEnabled: true,
      AlarmActions: [{ Ref: 'AlertTopic' }],
      OKActions: [{ Ref: 'AlertTopic' }],
      ...metric,
      Period: FIVE_MINUTES,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      // No data is no trouble: no failed message, no error, no failed bucket.
      TreatMissingData: 'notBreaching',
      ...rule,
    },
  };
}

const customMetric = (name, functionKey, Statistic) => ({
  Namespace: NAMESPACE,
  MetricName: name,
  Dimensions: [
    { Name: 'service', Value: SERVICE },
    { Name: 'function', Value: functionKey },
  ],
  Statistic,
});

/** The alarms, by logical id. */
function alarms(namePrefix, stuckHoldHours) {
  const found = {};
  for (const [queue, [name, meaning]] of Object.entries(QUEUES)) {
    found[`${queue}DepthAlarm`] = alarm(
      namePrefix,
      `${name}-depth`,
      `Messages wait in ${queue}: ${meaning}. Read them, fix the cause, redrive or delete them.`,
      {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
        Statistic: 'Maximum',
      },
    );
  }
  for (const key of FUNCTIONS) {
    for (const [metricName, what] of [
      ['Errors', 'failed (crash, timeout or init failure)'],
      ['Throttles', 'was throttled (account or function concurrency exhausted)'],
    ]) {
      found[`${upper(key)}${metricName}Alarm`] = alarm(
        namePrefix,
        `${key}-${metricName.toLowerCase()}`,
        `The ${key} function ${what} in the last 5 minutes: see its logs.`,
        {
          Namespace: 'AWS/Lambda',
          MetricName: metricName,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: lambdaId(key) } }],
          Statistic: 'Sum',
        },
      );
    }
  }
  found.ReconcileFailedAlarm = alarm(
    namePrefix,
    'reconcile-failed',
    'A bucket reconcile ended failed with no retry to follow: `s3ir status` names it and why.',
    customMetric('ReconcileFailed', 'reconcile', 'Sum'),
  );
  found.HoldStuckAlarm = alarm(
    namePrefix,
    'hold-stuck',
    `The service has been on hold (the account-wide brake) for ${stuckHoldHours} h: every bucket is in detect mode until \`s3ir hold release\`.`,
    // The lowest value of each hour is 1: held all that hour. Missing hours (no sweep, or no brake yet)
    // neither raise nor clear it.
    customMetric('HoldActive', 'schedule', 'Minimum'),
    {
      Period: HOUR,
      EvaluationPeriods: stuckHoldHours,
      DatapointsToAlarm: stuckHoldHours,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'missing',
    },
  );
  return found;
}

/** A dashboard metric line: a custom metric summed over its function, or an AWS one. */
const customLine = (name, functionKey, label) => [
  NAMESPACE,
  name,
  'service',
  SERVICE,
  'function',
  functionKey,
  { label, stat: 'Sum' },
];

/** A time series widget at (x, y), 12 wide and 6 high. */
const widget = (x, y, title, metrics, extra = {}) => ({
  type: 'metric',
  x,
  y,
  width: 12,
  height: 6,
  properties: {
    title,
    region: '${AWS::Region}',
    view: 'timeSeries',
    period: FIVE_MINUTES,
    metrics,
    ...extra,
  },
});

/**
 * The dashboard body, a JSON string for Fn::Sub (`${AWS::Region}` and the `${…}` of function and queue
 * names are substituted at deploy time).
 */
function dashboardBody() {
  const functionLine = (metric) => (key) => [
    'AWS/Lambda',
    metric,
    'FunctionName',
    `\${${lambdaId(key)}}`,
    { label: key, stat: 'Sum' },
  ];
  const queueLine = (queue) => [
    'AWS/SQS',
    'ApproximateNumberOfMessagesVisible',
    'QueueName',
    `\${${queue}.QueueName}`,
    { label: queue, stat: 'Maximum' },
  ];
  const widgets = [
    widget(0, 0, 'Buckets checked', [
      customLine('BucketsChecked', 'reconcile', 'checked'),
      customLine('BucketsEnqueued', 'schedule', 'enqueued by the sweep'),
      customLine('BucketsEnqueued', 's3Change', 'enqueued by change events'),
    ]),
    widget(12, 0, 'Drift found and changes applied', [
      customLine('DriftFound', 'reconcile', 'drift found'),
      customLine('ChangesApplied', 'reconcile', 'changes applied'),
    ]),
    widget(0, 6, 'Failures', [
      customLine('ReconcileFailed', 'reconcile', 'buckets failed (final)'),
      customLine('ReconcileFailures', 'reconcile', 'failed attempts (retried)'),
      customLine('DeliveryFailures', 'deliveryCheck', 'report deliveries failing'),
      customLine('ApiErrors', 'auditApi', 'audit API 5xx'),
    ]),
    widget(
      12,
      6,
      'Hold state (1 = on hold)',
      [
        [
          NAMESPACE,
          'HoldActive',
          'service',
          SERVICE,
          'function',
          'schedule',
          { label: 'on hold', stat: 'Maximum' },
        ],
      ],
      { period: HOUR, yAxis: { left: { min: 0, max: 1 } } },
    ),
    widget(0, 12, 'Function errors', FUNCTIONS.map(functionLine('Errors'))),
    widget(12, 12, 'Function throttles', FUNCTIONS.map(functionLine('Throttles'))),
    widget(0, 18, 'Failed messages waiting', Object.keys(QUEUES).map(queueLine)),
    widget(12, 18, 'Reconcile concurrency', [
      [
        'AWS/Lambda',
        'ConcurrentExecutions',
        'FunctionName',
        `\${${lambdaId('reconcile')}}`,
        { label: 'reconcile', stat: 'Maximum' },
      ],
    ]),
  ];
  return JSON.stringify({ widgets });
}

/** The resources serverless.yml adds (`template`), from the params of the stage being packaged. */
function operations({ namePrefix, stuckHoldHours }) {
  const hours = positiveInteger('stuckHoldHours', stuckHoldHours, 24);
  return {
    template: {
      Resources: {
        ...alarms(namePrefix, hours),
        OperationsDashboard: {
          Type: 'AWS::CloudWatch::Dashboard',
          Properties: { DashboardName: `${namePrefix}-operations`, DashboardBody: sub(dashboardBody()) },
        },
      },
    },
  };
}

/** osls `${file(…cjs):address}` resolver: reads the stage's name prefix and params. */
module.exports = async function resolveOperations({ resolveVariable }) {
  return operations({
    namePrefix: await resolveVariable('self:custom.namePrefix'),
    stuckHoldHours: await resolveVariable('param:stuckHoldHours'),
  });
};
module.exports.operations = operations;
