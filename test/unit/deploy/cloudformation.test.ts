// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are literal `${…}`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNAMODB_READS, EXPECTED_GRANTS, UNSCOPABLE_ACTIONS } from './expectedGrants.js';
import { oslsInstalled, type PackagedService, packageService } from './packageService.js';
import {
  actionResources,
  actionsOf,
  allStatements,
  functionRoleId,
  getAtt,
  isWildcardAction,
  pointingAt,
  properties,
  type Resource,
  ref,
  resource,
  resourcesOfType,
  roleStatements,
  sub,
  type Template,
} from './template.js';

const FUNCTIONS = Object.keys(EXPECTED_GRANTS);
/** The functions that write or check audit anchors (issue 16). */
const ANCHOR_FUNCTIONS = ['AuditAnchorLambdaFunction', 'ScheduleLambdaFunction', 'AuditApiLambdaFunction'];
let packaged: PackagedService | undefined;
let template: Template;

const title = oslsInstalled
  ? 'osls package (serverless.yml → CloudFormation)'
  : 'osls package (skipped: osls is not installed; run `npm install`)';

describe.skipIf(!oslsInstalled)(title, () => {
  beforeAll(async () => {
    packaged = await packageService('ci');
    template = packaged.template;
  }, 300_000);
  afterAll(async () => packaged?.cleanup());

  describe('functions', () => {
    it('packages exactly the expected functions, each as its own bundle', () => {
      const functions = resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id);
      expect(functions.sort()).toEqual([...FUNCTIONS].sort());
      for (const name of [
        'schedule',
        'reconcile',
        'desiredChange',
        's3Change',
        'auditApi',
        'deliveryCheck',
        'auditAnchor',
        'discover',
      ])
        expect(existsSync(join(packaged!.outputDir, `${name}.zip`)), name).toBe(true);
    });

    it('runs every function on nodejs22.x, arm64, traced', () => {
      for (const id of FUNCTIONS) {
        expect(properties(template, id), id).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
        });
      }
    });

    it('gives every function the variables the handlers read', () => {
      for (const id of FUNCTIONS) {
        const variables = (properties(template, id).Environment as { Variables: Record<string, unknown> })
          .Variables;
        expect(variables, id).toEqual({
          POWERTOOLS_SERVICE_NAME: 's3ir',
          S3IR_DESIRED_TABLE: 's3ir-ci-desired-state',
          S3IR_STATE_TABLE: 's3ir-ci-state',
          S3IR_AUDIT_TABLE: 's3ir-ci-audit',
          S3IR_ALERT_TOPIC_ARN: ref('AlertTopic'),
          S3IR_QUEUE_URL: ref('ReconcileQueue'),
          S3IR_CROSS_ACCOUNT_ROLE: 's3ir-reconcile',
          S3IR_READ_ROLE: 's3ir-read',
          // The trust boundary's defaults: the home account alone, no destination declared.
          S3IR_ALLOWED_ACCOUNTS: '',
          S3IR_DESTINATION_BUCKETS: '',
          S3IR_MAX_CHANGES: '100',
          S3IR_MAX_DELETES: '10',
          S3IR_BRAKE_WINDOW_MINUTES: '60',
          S3IR_MAX_RECEIVE_COUNT: '5',
          S3IR_AUDIT_RETENTION_DAYS: '0',
          S3IR_ALERT_REMINDER_HOURS: '24',
          S3IR_RECONCILE_ROLE_ARN: getAtt('ReconcileRole'),
          // Organization scale (#18): the discovery queue; Organizations with the schedule's own role.
          S3IR_DISCOVERY_QUEUE_URL: ref('DiscoveryQueue'),
          S3IR_ORGANIZATION_ROLE_ARN: '',
          // The first sweep's alerts summarised (#18 point 4): every first reconcile by default.
          S3IR_ADOPTION_SINGLE_ALERTS: '0',
          // Audit anchors (issue 16): only the functions that anchor or check the anchors.
          ...(ANCHOR_FUNCTIONS.includes(id) && {
            S3IR_DIGEST_BUCKET: ref('AuditDigestBucket'),
            S3IR_DIGEST_KEY_ID: getAtt('AuditDigestKey'),
            S3IR_DIGEST_RETENTION_DAYS: '400',
          }),
        });
      }
    });

    it('keeps the reconcile queue visibility timeout at least 6 x the reconcile timeout', () => {
      const timeout = properties(template, 'ReconcileLambdaFunction').Timeout as number;
      expect(properties(template, 'ReconcileQueue').VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    });

    it('sets a retention on every log group', () => {
      const groups = resourcesOfType(template, 'AWS::Logs::LogGroup');
      // One per function, and the HTTP API's access log.
      expect(groups).toHaveLength(FUNCTIONS.length + 1);
      for (const [id, group] of groups) expect(group.Properties?.RetentionInDays, id).toBe(30);
    });
  });

  describe('IAM', () => {
    it('runs each function as its own role, and creates no shared default role', () => {
      const roles = FUNCTIONS.map((id) => functionRoleId(template, id));
      expect(roles).toEqual(FUNCTIONS.map((id) => EXPECTED_GRANTS[id]!.role));
      expect(new Set(roles).size).toBe(FUNCTIONS.length);
      expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
      expect(
        resourcesOfType(template, 'AWS::IAM::Role')
          .map(([id]) => id)
          .sort(),
      ).toEqual([...roles].sort());
    });

    it.each(FUNCTIONS)('grants %s exactly the actions it needs, on exactly these resources', (id) => {
      const expected = EXPECTED_GRANTS[id]!;
      const statements = roleStatements(template, expected.role);
      expect(actionResources(statements, 'Allow')).toEqual(expected.allow);
      expect(actionResources(statements, 'Deny')).toEqual(expected.deny ?? {});
      expect(statements.every((statement) => statement.NotAction === undefined)).toBe(true);
    });

    it('lets only Lambda assume the roles', () => {
      for (const { role } of Object.values(EXPECTED_GRANTS)) {
        expect(properties(template, role).AssumeRolePolicyDocument, role).toEqual({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        });
      }
    });

    it('has no wildcard action anywhere but the TLS-only denies (osls’s deployment bucket, the queues)', () => {
      const wildcards = allStatements(template).filter(({ statement }) =>
        actionsOf(statement).some(isWildcardAction),
      );
      // osls writes the condition's value as a boolean, our files as the string IAM documents.
      const tlsOnlyDeny = (action: string, insecure: boolean | string) =>
        expect.objectContaining({
          Effect: 'Deny',
          Action: action,
          Condition: { Bool: { 'aws:SecureTransport': insecure } },
        });
      expect(wildcards.sort((a, b) => a.owner.localeCompare(b.owner))).toEqual([
        { owner: 'AuditDigestBucketPolicy', statement: tlsOnlyDeny('s3:*', 'false') },
        { owner: 'DiscoveryDeadLetterQueuePolicy', statement: tlsOnlyDeny('sqs:*', 'false') },
        { owner: 'DiscoveryQueuePolicy', statement: tlsOnlyDeny('sqs:*', 'false') },
        { owner: 'ReconcileDeadLetterQueuePolicy', statement: tlsOnlyDeny('sqs:*', 'false') },
        { owner: 'ReconcileQueuePolicy', statement: tlsOnlyDeny('sqs:*', 'false') },
        { owner: 'ServerlessDeploymentBucketPolicy', statement: tlsOnlyDeny('s3:*', false) },
      ]);
    });

    it('allows `*` resources only for actions that AWS cannot scope', () => {
      for (const { role } of Object.values(EXPECTED_GRANTS)) {
        for (const statement of roleStatements(template, role)) {
          if (statement.Resource !== '*') continue;
          for (const action of actionsOf(statement))
            expect(UNSCOPABLE_ACTIONS, `${role} ${action}`).toContain(action);
        }
      }
    });

    it('lets the audit writers put only inside a transaction (the hash chain), without reading back what a put replaced', () => {
      for (const role of ['ReconcileRole', 'DesiredChangeRole']) {
        const put = roleStatements(template, role).find((statement) =>
          statement.Action?.includes('dynamodb:PutItem'),
        );
        expect(put?.Condition, role).toEqual({
          StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
          'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] },
        });
      }
    });

    it("lets reconcile update only the brake's counters and a status (state table) and a learned region (desired table)", () => {
      const updates = roleStatements(template, 'ReconcileRole').filter(
        (statement) => statement.Effect === 'Allow' && actionsOf(statement).includes('dynamodb:UpdateItem'),
      );
      expect(updates.map((statement) => statement.Resource)).toEqual([
        getAtt('StateTable'),
        getAtt('DesiredStateTable'),
        getAtt('StateTable'),
        getAtt('StateTable'), // #18 point 4: the `#adoption` summaries
      ]);
      expect(updates.map((statement) => [actionsOf(statement), statement.Condition])).toEqual([
        [
          ['dynamodb:Query', 'dynamodb:UpdateItem'],
          { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['#brake'] } },
        ],
        [
          ['dynamodb:UpdateItem'],
          {
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['bucket', 'id', 'settings', 'source'] },
            StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
          },
        ],
        [
          ['dynamodb:UpdateItem'],
          {
            'ForAllValues:StringEquals': {
              'dynamodb:Attributes': ['bucket', 'id', 'state', 'since', 'conditions', 'runId', 'version'],
            },
            StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
          },
        ],
        // #18 point 4: a first reconcile's entry in its run and account's summary, and its place read back.
        [
          ['dynamodb:UpdateItem'],
          {
            'ForAllValues:StringEquals': {
              'dynamodb:LeadingKeys': ['#adoption'],
              'dynamodb:Attributes': [
                'bucket',
                'id',
                'runId',
                'account',
                'buckets',
                'arrivals',
                'targets',
                'firstAt',
                'lastAt',
                'writes',
                'expiresAt',
                'failedCount',
                'failedBuckets',
                'actionCount',
                'actionBuckets',
                'detectedCount',
                'detectedBuckets',
                'resolvedCount',
                'resolvedBuckets',
              ],
            },
            StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_NEW'] },
          },
        ],
      ]);
    });

    it('confines the alert outbox to its partition: writers put and flush it there, schedule reads and deletes', () => {
      const onState = (role: string, action: string) =>
        roleStatements(template, role).filter(
          (statement) =>
            statement.Effect === 'Allow' &&
            actionsOf(statement).includes(action) &&
            JSON.stringify(statement.Resource).includes('"StateTable"'),
        );
      const partition = { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['#outbox'] } };
      const leases = { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['#lease'] } };
      // Intents of writes (issue 17): lib/adapters/aws/DynamoIntentLog.
      const intents = { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['#intent'] } };
      expect(onState('ReconcileRole', 'dynamodb:PutItem').map((statement) => statement.Condition)).toEqual([
        { ...partition, StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } },
        { ...leases, StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } },
        { ...intents, StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } },
        {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['#hold'] },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
        },
      ]);
      expect(
        onState('ScheduleRole', 'dynamodb:DeleteItem').map((statement) => [
          actionsOf(statement),
          statement.Condition,
        ]),
      ).toEqual([
        [['dynamodb:Query', 'dynamodb:DeleteItem'], partition],
        // The sweep's cleanup of buckets no longer swept (see 'confines every write to the state table').
        [
          ['dynamodb:Scan', 'dynamodb:DeleteItem'],
          { StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } },
        ],
        // #18 point 4: each adoption summary sent.
        [
          ['dynamodb:Query', 'dynamodb:DeleteItem'],
          { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['#adoption'] } },
        ],
        // #18 point 4, the sweep's grant step: its policy lease released, its intent once recorded.
        [
          ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
          { ...leases, StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } },
        ],
        [
          ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
          { ...intents, StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } },
        ],
        // #18: a grant record of a policy that holds nothing of ours any more.
        [
          ['dynamodb:Query', 'dynamodb:DeleteItem'],
          {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['#grants'] },
            StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
          },
        ],
      ]);
      // Whoever keeps alerts flushes them: the reconcile role reads and deletes `#outbox` items only (its
      // other Query on the state table reads the brake's window, `#brake` only).
      expect(
        onState('ReconcileRole', 'dynamodb:Query').map((statement) => [
          actionsOf(statement),
          statement.Condition,
        ]),
      ).toEqual([
        [
          ['dynamodb:Query', 'dynamodb:UpdateItem'],
          { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['#brake'] } },
        ],
        [['dynamodb:Query', 'dynamodb:DeleteItem'], partition],
        [
          ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
          { ...intents, StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } },
        ],
      ]);
      for (const role of ['ReconcileRole', 'ScheduleRole', 'DesiredChangeRole', 'S3ChangeRole']) {
        expect(onState(role, 'dynamodb:BatchWriteItem'), role).toEqual([]);
      }
    });

    it('lets no role write the desired-state table but reconcile, and it only the learned region', () => {
      const writes = Object.values(EXPECTED_GRANTS).flatMap(({ role }) =>
        roleStatements(template, role)
          .filter(
            (statement) =>
              statement.Effect === 'Allow' &&
              // The table itself (its stream is read by desired-change's event source mapping).
              JSON.stringify([statement.Resource].flat()).includes(
                JSON.stringify(getAtt('DesiredStateTable')),
              ) &&
              actionsOf(statement).some((action) => !DYNAMODB_READS.has(action)),
          )
          .map((statement) => [role, statement.Sid, actionsOf(statement), statement.Condition]),
      );
      expect(writes).toEqual([
        [
          'ReconcileRole',
          'KeepLearnedRegion',
          ['dynamodb:UpdateItem'],
          {
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['bucket', 'id', 'settings', 'source'] },
            StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
          },
        ],
      ]);
    });

    it('confines every write to the state table to one kind of item, by partition or by attributes', () => {
      const writes = Object.values(EXPECTED_GRANTS).flatMap(({ role }) =>
        roleStatements(template, role)
          .filter(
            (statement) =>
              statement.Effect === 'Allow' &&
              JSON.stringify(statement.Resource).includes('"StateTable"') &&
              actionsOf(statement).some((action) => !DYNAMODB_READS.has(action)),
          )
          .map((statement) => {
            const condition = statement.Condition as Record<string, Record<string, unknown>>;
            const only = condition['ForAllValues:StringEquals'];
            return [role, statement.Sid, only?.['dynamodb:LeadingKeys'] ?? only?.['dynamodb:Attributes']];
          }),
      );
      expect(writes).toEqual([
        ['ScheduleRole', 'FlushAlertOutbox', ['#outbox']],
        // `#status` and `#delivery` items are keyed by bucket name: no partition to condition on (see the
        // role's comment); lib/adapters/aws/DynamoBookkeeping deletes only those, tested against the local AWS.
        ['ScheduleRole', 'CleanBookkeeping', undefined],
        // The organization's membership, once per sweep (#18).
        ['ScheduleRole', 'KeepOrganizationAccounts', ['#accounts']],
        // Refused templates (issue 17 point 7): their status, and their alert when SNS refuses it.
        ['ScheduleRole', 'WriteTemplatesStatus', ['#templates']],
        ['ScheduleRole', 'KeepUndeliveredAlerts', ['#outbox']],
        // Member accounts' statuses (#18): an account that left the organization or came back.
        ['ScheduleRole', 'WriteAccountStatus', ['#account-status']],
        ['ScheduleRole', 'SendAdoptionSummaries', ['#adoption']], // #18 point 4
        // #18 point 4, the sweep's grant step: the reconcile's brake, hold, lease and intent statements.
        ['ScheduleRole', 'ReserveChanges', ['#brake']],
        ['ScheduleRole', 'StartHold', ['#hold']],
        ['ScheduleRole', 'HoldPolicyLeases', ['#lease']],
        ['ScheduleRole', 'RecordWriteIntents', ['#intent']],
        // #18: the grant step's records (prune of policies no declaration names; its own failures).
        ['ScheduleRole', 'ReadGrantRecords', ['#grants']],
        ['ScheduleRole', 'WriteGrantRecords', ['#grants']],
        ['ReconcileRole', 'ReserveChanges', ['#brake']],
        [
          'ReconcileRole',
          'KeepBucketStatus',
          ['bucket', 'id', 'state', 'since', 'conditions', 'runId', 'version'],
        ],
        ['ReconcileRole', 'KeepUndeliveredAlerts', ['#outbox']],
        ['ReconcileRole', 'FlushAlertOutbox', ['#outbox']],
        ['ReconcileRole', 'HoldPolicyLeases', ['#lease']],
        ['ReconcileRole', 'RecordWriteIntents', ['#intent']],
        ['ReconcileRole', 'StartHold', ['#hold']],
        ['ReconcileRole', 'SummariseFirstAlerts', ['#adoption']], // #18 point 4
        ['DeliveryCheckRole', 'KeepDeliveryStatus', ['bucket', 'id', 'configurations', 'runId', 'version']],
        ['DeliveryCheckRole', 'KeepUndeliveredAlerts', ['#outbox']],
        ['DeliveryCheckRole', 'FlushAlertOutbox', ['#outbox']],
        // A failed or recovered discovery (#18 point 2): the account's status, its alert when SNS refuses it.
        ['DiscoverRole', 'WriteAccountStatus', ['#account-status']],
        ['DiscoverRole', 'KeepUndeliveredAlerts', ['#outbox']],
        ['DiscoverRole', 'KeepDiscoveredBuckets', ['#discovered']],
      ]);
    });

    it('lets only the queue consumers change message visibility, each on its own queue (reconcile: its quick retries)', () => {
      // ChangeMessageVisibilityBatch is authorized as sqs:ChangeMessageVisibility: one action covers both.
      const grants = Object.values(EXPECTED_GRANTS).flatMap(({ role }) =>
        roleStatements(template, role)
          .filter((statement) =>
            actionsOf(statement).some((action) => /^sqs:ChangeMessageVisibility/.test(action)),
          )
          .map((statement) => [role, statement.Effect, actionsOf(statement), statement.Resource]),
      );
      expect(grants).toEqual([
        [
          'ReconcileRole',
          'Allow',
          [
            'sqs:ReceiveMessage',
            'sqs:DeleteMessage',
            'sqs:ChangeMessageVisibility',
            'sqs:GetQueueAttributes',
          ],
          getAtt('ReconcileQueue'),
        ],
        // Organization scale (#18): the event source mapping of discover, on the discovery queue.
        [
          'DiscoverRole',
          'Allow',
          [
            'sqs:ReceiveMessage',
            'sqs:DeleteMessage',
            'sqs:ChangeMessageVisibility',
            'sqs:GetQueueAttributes',
          ],
          getAtt('DiscoveryQueue'),
        ],
      ]);
    });

    it('confines reconcile deletes to their partitions: sent alerts in `#outbox`, policy leases in `#lease`', () => {
      const onState = roleStatements(template, 'ReconcileRole').filter(
        (statement) =>
          statement.Effect === 'Allow' &&
          JSON.stringify(statement.Resource).includes('"StateTable"') &&
          actionsOf(statement).some((action) => action === 'dynamodb:DeleteItem'),
      );
      expect(onState.map((statement) => [actionsOf(statement), statement.Condition])).toEqual([
        [
          ['dynamodb:Query', 'dynamodb:DeleteItem'],
          { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['#outbox'] } },
        ],
        [
          ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
          {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['#lease'] },
            StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
          },
        ],
        [
          ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
          {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['#intent'] },
            StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
          },
        ],
      ]);
      // Only the functions that apply (reconcile, and the schedule's grant step: #18 point 4) hold leases and
      // record intents.
      for (const role of ['DesiredChangeRole', 'S3ChangeRole', 'DeliveryCheckRole']) {
        expect(JSON.stringify(roleStatements(template, role)), role).not.toContain('#intent');
      }
      // Only the functions that apply hold leases.
      for (const role of ['DesiredChangeRole', 'S3ChangeRole', 'DeliveryCheckRole']) {
        expect(JSON.stringify(roleStatements(template, role)), role).not.toContain('#lease');
      }
    });

    it('stamps the status and outbox constants the adapters use into the grants', async () => {
      const { STATUS_ATTRIBUTES, OUTBOX_PARTITION, LEASE_PARTITION } = await import(
        '../../../lib/adapters/aws/stateTableLayout.js'
      );
      const text = JSON.stringify(roleStatements(template, 'ReconcileRole'));
      expect(text).toContain(JSON.stringify({ 'dynamodb:Attributes': [...STATUS_ATTRIBUTES] }));
      expect(text).toContain(JSON.stringify({ 'dynamodb:LeadingKeys': [OUTBOX_PARTITION] }));
      expect(text).toContain(JSON.stringify({ 'dynamodb:LeadingKeys': [LEASE_PARTITION] }));
      const { INTENT_PARTITION } = await import('../../../lib/adapters/aws/stateTableLayout.js');
      expect(text).toContain(JSON.stringify({ 'dynamodb:LeadingKeys': [INTENT_PARTITION] }));
      // #18 point 4: the `#adoption` summaries, their attributes exactly as the adapter writes them.
      const { ADOPTION_ATTRIBUTES, ADOPTION_PARTITION } = await import(
        '../../../lib/adapters/aws/stateTableLayout.js'
      );
      expect(text).toContain(
        JSON.stringify({
          'dynamodb:LeadingKeys': [ADOPTION_PARTITION],
          'dynamodb:Attributes': [...ADOPTION_ATTRIBUTES],
        }),
      );
    });

    it("stamps the grant step's record layout into the schedule's grants (#18: `#grants`)", async () => {
      const { GRANTS_PARTITION, GRANT_RECORD_ATTRIBUTES, GRANT_STATUS_ATTRIBUTES } = await import(
        '../../../lib/adapters/aws/stateTableLayout.js'
      );
      const attributes = [...new Set([...GRANT_RECORD_ATTRIBUTES, ...GRANT_STATUS_ATTRIBUTES])];
      expect(JSON.stringify(roleStatements(template, 'ScheduleRole'))).toContain(
        JSON.stringify({ 'dynamodb:LeadingKeys': [GRANTS_PARTITION], 'dynamodb:Attributes': attributes }),
      );
    });

    it("gives the schedule's grant step (#18 point 4) the reconcile's own statements on policies, brake, leases and intents", async () => {
      const bySid = (role: string) =>
        new Map(roleStatements(template, role).map((statement) => [statement.Sid, statement]));
      const schedule = bySid('ScheduleRole');
      const reconcile = bySid('ReconcileRole');
      for (const sid of [
        'NoDestinationDeclared',
        'ReadKeys',
        'WriteTaggedKeyPolicies',
        'NeverBypassKeyPolicyLockoutCheck',
        'NeverAssumeRoles',
        'ReserveChanges',
        'StartHold',
        'HoldPolicyLeases',
        'RecordWriteIntents',
      ]) {
        expect(schedule.get(sid), sid).toBeDefined();
        expect(schedule.get(sid), sid).toEqual(reconcile.get(sid));
      }
      // The reads of a destination only: no inventory configuration, on the buckets reconcile reads.
      const reads = schedule.get('ReadGrantHolders')!;
      expect(actionsOf(reads)).toEqual(['s3:GetBucketPolicy', 's3:GetBucketLocation', 's3:ListBucket']);
      expect(reads.Resource).toEqual(reconcile.get('ConvergeBuckets')!.Resource);
      const { BRAKE_PARTITION, HOLD_PARTITION, LEASE_PARTITION, INTENT_PARTITION } = await import(
        '../../../lib/adapters/aws/stateTableLayout.js'
      );
      const text = JSON.stringify([...schedule.values()]);
      for (const partition of [BRAKE_PARTITION, HOLD_PARTITION, LEASE_PARTITION, INTENT_PARTITION])
        expect(text, partition).toContain(JSON.stringify({ 'dynamodb:LeadingKeys': [partition] }));
    });

    it("stamps the account-status partition and attributes (#18) into the schedule's and discover's grants", async () => {
      const { ACCOUNT_STATUS_ATTRIBUTES, ACCOUNT_STATUS_PARTITION } = await import(
        '../../../lib/adapters/aws/stateTableLayout.js'
      );
      for (const role of ['ScheduleRole', 'DiscoverRole']) {
        const text = JSON.stringify(roleStatements(template, role));
        expect(text, role).toContain(
          JSON.stringify({
            'dynamodb:LeadingKeys': [ACCOUNT_STATUS_PARTITION],
            'dynamodb:Attributes': [...ACCOUNT_STATUS_ATTRIBUTES],
          }),
        );
      }
    });

    it('lets delivery-check update the state table only in its `#delivery` attributes, and change nothing in S3 or KMS', async () => {
      const { DELIVERY_ATTRIBUTES } = await import('../../../lib/adapters/aws/stateTableLayout.js');
      const statements = roleStatements(template, 'DeliveryCheckRole').filter(
        (statement) => statement.Effect === 'Allow',
      );
      const updates = statements.filter((statement) => actionsOf(statement).includes('dynamodb:UpdateItem'));
      expect(updates.map((statement) => statement.Resource)).toEqual([getAtt('StateTable')]);
      expect(updates.map((statement) => statement.Condition)).toEqual([
        {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...DELIVERY_ATTRIBUTES] },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
        },
      ]);
      const writes = statements
        .flatMap(actionsOf)
        .filter((action) => /^(s3|kms):(Put|Delete|Create|Schedule|Disable)/.test(action));
      expect(writes).toEqual([]);
    });

    it("expires the brake's counters and unreleased leases of the state table by TTL", () => {
      expect(properties(template, 'StateTable').TimeToLiveSpecification).toEqual({
        AttributeName: 'expiresAt',
        Enabled: true,
      });
    });

    it('grants no role a write to the audit table other than PutItem', () => {
      const reads = new Set(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan']);
      for (const { role } of Object.values(EXPECTED_GRANTS)) {
        const onAudit = roleStatements(template, role).filter(
          (statement) =>
            statement.Effect === 'Allow' && JSON.stringify(statement.Resource).includes('"AuditTable"'),
        );
        expect(
          onAudit.flatMap(actionsOf).filter((action) => action !== 'dynamodb:PutItem' && !reads.has(action)),
          role,
        ).toEqual([]);
      }
    });

    it('expires audit events by TTL on expiresAt (written only when retention is on)', () => {
      expect(properties(template, 'AuditTable').TimeToLiveSpecification).toEqual({
        AttributeName: 'expiresAt',
        Enabled: true,
      });
    });
  });

  describe('queue, topic and tables', () => {
    it('redrives the reconcile queue to its DLQ after maxReceiveCount (default 5) receives', () => {
      expect(properties(template, 'ReconcileQueue').RedrivePolicy).toEqual({
        deadLetterTargetArn: getAtt('ReconcileDeadLetterQueue'),
        maxReceiveCount: 5,
      });
    });

    it('encrypts both queues with SQS managed SSE', () => {
      for (const id of ['ReconcileQueue', 'ReconcileDeadLetterQueue'])
        expect(properties(template, id).SqsManagedSseEnabled, id).toBe(true);
    });

    it('encrypts the topic with its own rotating customer managed key, named by alias', () => {
      const alias = properties(template, 'AlertTopicKeyAlias');
      expect(alias.TargetKeyId).toEqual(ref('AlertTopicKey'));
      expect(properties(template, 'AlertTopic')).toEqual({
        TopicName: 's3ir-ci-alerts',
        KmsMasterKeyId: alias.AliasName,
      });
      expect([template.Resources.AlertTopic?.DependsOn].flat()).toEqual(['AlertTopicKeyAlias']);
      expect(properties(template, 'AlertTopicKey').EnableKeyRotation).toBe(true);
    });

    it('lets the account use the topic key only through SNS', () => {
      const policy = properties(template, 'AlertTopicKey').KeyPolicy as {
        Statement: Array<Record<string, unknown>>;
      };
      const use = policy.Statement.find(
        (statement) => statement.Sid === 'PublishThroughSnsWithIamPermission',
      );
      expect(use).toMatchObject({
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'sns.${AWS::Region}.amazonaws.com' } } },
      });
    });

    it.each(['DesiredStateTable', 'StateTable', 'AuditTable'])('turns on PITR and SSE on %s', (id) => {
      expect(properties(template, id)).toMatchObject({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it('streams new and old images of the desired-state table', () => {
      expect(properties(template, 'DesiredStateTable').StreamSpecification).toEqual({
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      });
    });

    it('keeps the state table apart: its own name and key, and no stream (nothing reacts to its writes)', () => {
      expect(properties(template, 'StateTable')).toMatchObject({
        TableName: 's3ir-ci-state',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'bucket', KeyType: 'HASH' },
          { AttributeName: 'id', KeyType: 'RANGE' },
        ],
      });
      expect(properties(template, 'StateTable').StreamSpecification).toBeUndefined();
    });

    it('outputs the table names, the queue URLs, the topic ARN and the roles member accounts trust', () => {
      expect(template.Outputs).toMatchObject({
        DesiredStateTableName: { Value: ref('DesiredStateTable') },
        StateTableName: { Value: ref('StateTable') },
        AuditTableName: { Value: ref('AuditTable') },
        ReconcileQueueUrl: { Value: ref('ReconcileQueue') },
        ReconcileDeadLetterQueueUrl: { Value: ref('ReconcileDeadLetterQueue') },
        AlertTopicArn: { Value: ref('AlertTopic') },
        ReconcileRoleArn: { Value: getAtt('ReconcileRole') },
        DeliveryCheckRoleArn: { Value: getAtt('DeliveryCheckRole') },
        // #18: discovery and the sweep's grant step (point 4) assume the member accounts' reconcile role too.
        DiscoverRoleArn: { Value: getAtt('DiscoverRole') },
        ScheduleRoleArn: { Value: getAtt('ScheduleRole') },
      });
    });
  });

  describe('event sources', () => {
    it('feeds reconcile from the queue, 10 at a time, with partial batch responses', () => {
      const [mapping] = pointingAt(template, 'AWS::Lambda::EventSourceMapping', 'ReconcileLambdaFunction');
      expect(mapping?.[1].Properties).toMatchObject({
        EventSourceArn: getAtt('ReconcileQueue'),
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('feeds desired-change from the table stream, bisecting and bounding retries', () => {
      const [mapping] = pointingAt(
        template,
        'AWS::Lambda::EventSourceMapping',
        'DesiredChangeLambdaFunction',
      );
      expect(mapping?.[1].Properties).toMatchObject({
        EventSourceArn: getAtt('DesiredStateTable', 'StreamArn'),
        StartingPosition: 'LATEST',
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('feeds desired-change every change of the desired table: no bookkeeping is there to drop', () => {
      const [mapping] = pointingAt(
        template,
        'AWS::Lambda::EventSourceMapping',
        'DesiredChangeLambdaFunction',
      );
      expect(mapping?.[1].Properties?.FilterCriteria).toBeUndefined();
    });

    it('runs schedule at the default rate, and lets EventBridge invoke it', () => {
      const rules = pointingAt(template, 'AWS::Events::Rule', 'ScheduleLambdaFunction');
      expect(rules.map(([, rule]) => rule.Properties?.ScheduleExpression)).toEqual(['rate(1 hour)']);
      expect(pointingAt(template, 'AWS::Lambda::Permission', 'ScheduleLambdaFunction')).toHaveLength(1);
    });

    it('runs delivery-check once a day by default, and lets EventBridge invoke it', () => {
      const rules = pointingAt(template, 'AWS::Events::Rule', 'DeliveryCheckLambdaFunction');
      expect(rules.map(([, rule]) => rule.Properties?.ScheduleExpression)).toEqual(['rate(1 day)']);
      expect(pointingAt(template, 'AWS::Lambda::Permission', 'DeliveryCheckLambdaFunction')).toHaveLength(1);
    });

    it('sends the CloudTrail S3/KMS calls that can cause drift to s3-change', () => {
      const rules = pointingAt(template, 'AWS::Events::Rule', 'S3ChangeLambdaFunction');
      expect(rules).toHaveLength(1);
      expect(rules[0]?.[1].Properties?.EventPattern).toEqual({
        source: ['aws.s3', 'aws.kms'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['s3.amazonaws.com', 'kms.amazonaws.com'],
          eventName: [
            'PutBucketInventoryConfiguration',
            'DeleteBucketInventoryConfiguration',
            'PutBucketPolicy',
            'DeleteBucketPolicy',
            'DeleteBucket',
            'PutKeyPolicy',
            'ScheduleKeyDeletion',
            'DisableKey',
          ],
        },
      });
      expect(pointingAt(template, 'AWS::Lambda::Permission', 'S3ChangeLambdaFunction')).toHaveLength(1);
    });
  });

  describe('audit API', () => {
    it('routes GET /, /events, /status and /verify to auditApi, every route IAM-authorized', () => {
      const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(
        ([, route]) => route.Properties!,
      );
      expect(routes.map((route) => route.RouteKey).sort()).toEqual([
        'GET /',
        'GET /anchor',
        'GET /events',
        'GET /status',
        'GET /verify',
      ]);
      const integrations = pointingAt(template, 'AWS::ApiGatewayV2::Integration', 'AuditApiLambdaFunction');
      expect(integrations).toHaveLength(1);
      const [integrationId, integration] = integrations[0]!;
      expect(integration.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
      for (const route of routes) {
        expect(route.AuthorizationType, String(route.RouteKey)).toBe('AWS_IAM');
        expect(JSON.stringify(route.Target), String(route.RouteKey)).toContain(integrationId);
      }
      const [permission] = pointingAt(template, 'AWS::Lambda::Permission', 'AuditApiLambdaFunction');
      expect(permission?.[1].Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
      });
    });

    it('lets the audit API Query every index of the audit table, so no filter falls back to a denied read', () => {
      const table = properties(template, 'AuditTable');
      const indexes = [
        ...((table.LocalSecondaryIndexes ?? []) as { IndexName: string }[]),
        ...((table.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]),
      ].map(({ IndexName }) => sub(`\${AuditTable.Arn}/index/${IndexName}`));
      expect(indexes.length).toBeGreaterThan(0);
      const queryable = actionResources(roleStatements(template, 'AuditApiRole'), 'Allow')['dynamodb:Query'];
      expect(queryable).toEqual(expect.arrayContaining([getAtt('AuditTable'), ...indexes]));
    });

    it('never lets the audit API Scan the audit table: its reads go through keys and indexes', () => {
      const scannable = actionResources(roleStatements(template, 'AuditApiRole'), 'Allow')['dynamodb:Scan'];
      expect(scannable).not.toContainEqual(getAtt('AuditTable'));
    });

    it('throttles the HTTP API stage by the apiRateLimit and apiBurstLimit params (10/s, bursts of 20)', () => {
      const stages = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage');
      expect(stages).toHaveLength(1);
      expect(stages[0]![1].Properties).toMatchObject({
        StageName: '$default',
        DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
      });
    });

    it('logs every HTTP API request as one JSON line, with the signed caller, into a retained log group', () => {
      const [[, stage]] = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
      const settings = stage.Properties!.AccessLogSettings as { DestinationArn: unknown; Format: string };
      const [groupId] = (settings.DestinationArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
      expect(resource(template, groupId).Type).toBe('AWS::Logs::LogGroup');
      expect(properties(template, groupId).RetentionInDays).toEqual(expect.any(Number));
      const format = JSON.parse(settings.Format) as Record<string, string>;
      expect(format).toMatchObject({
        requestId: '$context.requestId',
        caller: '$context.identity.userArn',
        ip: '$context.identity.sourceIp',
        routeKey: '$context.routeKey',
        status: '$context.status',
      });
    });

    it('gives the audit API role no write on any table: every DynamoDB action it holds only reads', () => {
      const actions = roleStatements(template, 'AuditApiRole').flatMap(actionsOf);
      const dynamodb = actions.filter((action) => action.startsWith('dynamodb:'));
      expect(dynamodb.length).toBeGreaterThan(0);
      expect(dynamodb.filter((action) => !DYNAMODB_READS.has(action))).toEqual([]);
      expect(actions.filter((action) => !action.startsWith('dynamodb:')).sort()).toEqual([
        // GET /anchor (issue 16): reads of the digest bucket and the key's public key, no write.
        'kms:GetPublicKey',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:GetObject',
        's3:GetObjectVersion',
        's3:ListBucket',
        's3:ListBucketVersions',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    });
  });
});
