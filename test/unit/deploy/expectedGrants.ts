// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are literal `${…}`.
import { getAtt, ref, sub } from './template.js';

/** What one function's role may do: action → the resources it is granted on, exactly. */
export interface ExpectedGrants {
  role: string;
  allow: Record<string, unknown[]>;
  deny?: Record<string, unknown[]>;
}

const ownLogs = (functionKey: string) => ({
  'logs:CreateLogStream': [getAtt(`${functionKey}LogGroup`)],
  'logs:PutLogEvents': [getAtt(`${functionKey}LogGroup`)],
});
// X-Ray has no resource-level permissions.
const traces = { 'xray:PutTraceSegments': ['*'], 'xray:PutTelemetryRecords': ['*'] };

const desiredTable = getAtt('DesiredStateTable');
const stateTable = getAtt('StateTable');
const auditTable = getAtt('AuditTable');
const queue = getAtt('ReconcileQueue');
const streamFailures = getAtt('StreamFailureQueue');
const invokeFailures = getAtt('InvokeFailureQueue');
// Organization scale (#18).
const discoveryQueue = getAtt('DiscoveryQueue');
const anyBucket = sub('arn:${AWS::Partition}:s3:::*');
const ownKeys = sub('arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*');
const anyKey = sub('arn:${AWS::Partition}:kms:*:*:key/*');
const anyRole = sub('arn:${AWS::Partition}:iam::*:role/*');

// Audit anchors (issue 16).
const headIndex = sub('${AuditTable.Arn}/index/byChainHead');
const digestBucket = getAtt('AuditDigestBucket');
const digestObjects = sub('${AuditDigestBucket.Arn}/digests/*');
const digestKey = getAtt('AuditDigestKey');
/** What an anchor holds on the digest bucket and key: read, create (with its retention), sign; nothing else. */
const anchorWrites = {
  's3:ListBucket': [digestBucket],
  's3:ListBucketVersions': [digestBucket],
  's3:GetObject': [digestObjects],
  's3:GetObjectVersion': [digestObjects],
  's3:PutObject': [digestObjects],
  's3:PutObjectRetention': [digestObjects],
  'kms:Sign': [digestKey],
};

/** The roots and OUs of any organization: their ARNs name the management account, unknown at deploy time. */
const organizationParents = [
  sub('arn:${AWS::Partition}:organizations::*:root/o-*/r-*'),
  sub('arn:${AWS::Partition}:organizations::*:ou/o-*/ou-*'),
];

/** Bucket names and the tag index (neither has resource-level permissions): what template selectors read. */
const templateSelection = { 's3:ListAllMyBuckets': ['*'], 'tag:GetResources': ['*'] };

/**
 * The audit table stays append-only: writers may only PutItem (inside TransactWriteItems) and read the
 * chain head, and are explicitly denied the rest.
 */
const auditRewrites = Object.fromEntries(
  [
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:PartiQLUpdate',
    'dynamodb:PartiQLDelete',
  ].map((action) => [action, [auditTable]]),
);

/** Function logical id → its role and its exact grants (issue 4, "per-function IAM roles"). */
export const EXPECTED_GRANTS: Record<string, ExpectedGrants> = {
  ScheduleLambdaFunction: {
    role: 'ScheduleRole',
    allow: {
      ...ownLogs('Schedule'),
      ...traces,
      // The desired state; the state table's bookkeeping, once per sweep (lib/usecases/sweep/cleanBookkeeping).
      'dynamodb:Scan': [desiredTable, stateTable],
      // The alert outbox of the state table: read, each alert sent deleted (`#outbox` items only).
      // And, for the anchor at the end of each sweep (issue 16), the audit table's head index.
      // And (#18) the member accounts' discovered buckets (`#discovered` only), kept by the cleanup, and the
      // first reconciles' `#adoption` summaries (#18 point 4).
      // And (#18 point 4, the grant step) the brake's window (`#brake`) and a destination's unfinished intents.
      // And (#18) the grant step's records (`#grants`).
      'dynamodb:Query': [stateTable, headIndex, stateTable, stateTable, stateTable, stateTable, stateTable],
      ...anchorWrites,
      // #18 point 4: the grant step reads every destination's policy and a first read its region (HeadBucket:
      // s3:ListBucket, after the digest bucket's listing) and writes through the trust boundary, as reconcile.
      's3:ListBucket': [digestBucket, anyBucket],
      's3:GetBucketPolicy': [anyBucket],
      's3:GetBucketLocation': [anyBucket],
      'kms:DescribeKey': [ownKeys],
      'kms:GetKeyPolicy': [ownKeys],
      'kms:ListResourceTags': [ownKeys],
      // Only on keys tagged s3ir:inventory-key = true (the condition: trustBoundary.test.ts).
      'kms:PutKeyPolicy': [ownKeys],
      // The brake's transaction checks that no hold is in force (`#hold` only).
      'dynamodb:ConditionCheckItem': [stateTable],
      // Neither action has resource-level permissions.
      'tag:GetResources': ['*'],
      's3:ListAllMyBuckets': ['*'],
      // The reconcile queue, the discovery queue (#18: one message per member account), and the on-failure
      // destination of its asynchronous invocations.
      'sqs:SendMessage': [queue, discoveryQueue, invokeFailures],
      // Two statements: each alert sent (`#outbox` only), and the bookkeeping of buckets no longer swept.
      // #18 point 4: each summary sent; the grant step's lease released (`#lease`) and intent recorded (`#intent`).
      // #18: a grant record of a policy that holds nothing of ours any more (`#grants`).
      'dynamodb:DeleteItem': [stateTable, stateTable, stateTable, stateTable, stateTable, stateTable],
      // HoldActive every sweep: the account-wide hold (`#hold` only); refused templates: their status
      // (`#templates` only), and the audit chain's head; the organization's membership (#18, `#accounts` only),
      // read and, when it changed, put.
      // And (#18 point 9) the status of an account that left the organization or came back (`#account-status`).
      'dynamodb:GetItem': [stateTable, stateTable, stateTable, auditTable, stateTable],
      // Organizations, with the schedule's own credentials by default (organizationRoleArn ''): the two
      // reads without resource-level permissions, and the parent listings on any organization's roots and OUs.
      'organizations:DescribeOrganization': ['*'],
      'organizations:ListRoots': ['*'],
      'organizations:ListAccountsForParent': organizationParents,
      'organizations:ListOrganizationalUnitsForParent': organizationParents,
      'sns:Publish': [ref('AlertTopic')],
      'kms:GenerateDataKey': [getAtt('AlertTopicKey')],
      'kms:Decrypt': [getAtt('AlertTopicKey')],
      // Refused templates (issue 17 point 7): their status, their alert kept when SNS refuses it, their events;
      // and the organization's membership (#18), put when it changed; an account's status (#18, `#account-status`).
      // #18 point 4, the grant step: the brake's minute counters (`#brake`); the hold put once (`#hold`), a
      // policy lease taken (`#lease`), an intent recorded before each write (`#intent`).
      // #18: the grant step's records and its status on each (`#grants`).
      'dynamodb:UpdateItem': [stateTable, stateTable, stateTable, stateTable],
      'dynamodb:PutItem': [stateTable, stateTable, auditTable, stateTable, stateTable, stateTable],
    },
    // As reconcile's (the grant step, #18 point 4): by default no destination declared and no other account
    // allowed, so no bucket policy write and no AssumeRole; never a lockout-check bypass.
    deny: {
      ...auditRewrites,
      's3:PutBucketPolicy': [anyBucket],
      's3:DeleteBucketPolicy': [anyBucket],
      'kms:PutKeyPolicy': [anyKey],
      'sts:AssumeRole': [anyRole],
    },
  },
  ReconcileLambdaFunction: {
    role: 'ReconcileRole',
    allow: {
      ...ownLogs('Reconcile'),
      ...traces,
      'sqs:ReceiveMessage': [queue],
      'sqs:DeleteMessage': [queue],
      'sqs:ChangeMessageVisibility': [queue],
      'sqs:GetQueueAttributes': [queue],
      's3:GetInventoryConfiguration': [anyBucket],
      's3:PutInventoryConfiguration': [anyBucket],
      's3:GetBucketPolicy': [anyBucket],
      's3:GetBucketLocation': [anyBucket],
      's3:ListBucket': [anyBucket],
      'tag:GetResources': ['*'],
      'kms:DescribeKey': [ownKeys],
      'kms:GetKeyPolicy': [ownKeys],
      'kms:ListResourceTags': [ownKeys],
      // Only on keys tagged s3ir:inventory-key = true (the condition: trustBoundary.test.ts).
      'kms:PutKeyPolicy': [ownKeys],
      // Its desired state; the brake's window (`#brake` only); the alert outbox it flushes (`#outbox` items
      // only, lib/usecases/recordTransition/AlertDispatch); intents of writes (issue 17: `#intent` items only,
      // lib/adapters/aws/DynamoIntentLog): a Query of a bucket's unfinished ones, a PutItem before each write, a
      // DeleteItem once it is recorded.
      'dynamodb:Query': [desiredTable, stateTable, stateTable, stateTable],
      // The statuses of an SQS batch's buckets in one read (GetItem when that read failed); #18 point 4: their
      // audit chain heads, in one read at the batch's first event.
      'dynamodb:BatchGetItem': [stateTable, auditTable],
      // Three statements: the brake's minute counters (`#brake` only, state table), the learned region
      // (`settings` only, its one write to the desired table) and the bucket status (the status attributes only).
      'dynamodb:UpdateItem': [stateTable, desiredTable, stateTable, stateTable], // #18 point 4: `#adoption`
      // Appends to the audit hash chain: Puts inside TransactWriteItems, after reading the chain head;
      // alerts SNS refused, into the state table's `#outbox` partition only; policy leases, in its
      // `#lease` partition only (taken by PutItem, released by DeleteItem); intents (`#intent`); and the hold,
      // put once (`#hold`).
      'dynamodb:PutItem': [auditTable, stateTable, stateTable, stateTable, stateTable],
      // The brake's transaction checks that no hold is in force (`#hold` only).
      'dynamodb:ConditionCheckItem': [stateTable],
      // Each flushed alert sent (`#outbox`); a lease released (`#lease`).
      'dynamodb:DeleteItem': [stateTable, stateTable, stateTable],
      // A bucket's status item; the audit chain head.
      'dynamodb:GetItem': [stateTable, auditTable],
      'sns:Publish': [ref('AlertTopic')],
      'kms:GenerateDataKey': [getAtt('AlertTopicKey')],
      'kms:Decrypt': [getAtt('AlertTopicKey')],
    },
    // By default no destination is declared and no other account allowed (trustBoundary.test.ts packages
    // with both): no bucket policy write and no AssumeRole at all; never a lockout-check bypass.
    deny: {
      ...auditRewrites,
      's3:PutBucketPolicy': [anyBucket],
      's3:DeleteBucketPolicy': [anyBucket],
      'kms:PutKeyPolicy': [anyKey],
      'sts:AssumeRole': [anyRole],
    },
  },
  DesiredChangeLambdaFunction: {
    role: 'DesiredChangeRole',
    allow: {
      ...ownLogs('DesiredChange'),
      ...traces,
      'dynamodb:DescribeStream': [getAtt('DesiredStateTable', 'StreamArn')],
      'dynamodb:GetRecords': [getAtt('DesiredStateTable', 'StreamArn')],
      'dynamodb:GetShardIterator': [getAtt('DesiredStateTable', 'StreamArn')],
      // No resource-level permissions.
      'dynamodb:ListStreams': ['*'],
      // Appends to the audit hash chain: Puts inside TransactWriteItems, after reading the chain head.
      'dynamodb:PutItem': [auditTable],
      'dynamodb:GetItem': [auditTable],
      ...templateSelection,
      // The reconcile queue, and the stream's on-failure destination.
      'sqs:SendMessage': [queue, streamFailures],
    },
    deny: auditRewrites,
  },
  S3ChangeLambdaFunction: {
    role: 'S3ChangeRole',
    allow: {
      ...ownLogs('S3Change'),
      ...traces,
      'dynamodb:Scan': [desiredTable],
      'dynamodb:Query': [desiredTable],
      ...templateSelection,
      'sqs:SendMessage': [queue, invokeFailures],
    },
  },
  // Reads reports and the facts behind them; writes only `#delivery` statuses, audit events, the outbox.
  DeliveryCheckLambdaFunction: {
    role: 'DeliveryCheckRole',
    allow: {
      ...ownLogs('DeliveryCheck'),
      ...traces,
      ...templateSelection,
      'dynamodb:Scan': [desiredTable],
      // The desired state, the audit history of a bucket by time, and the alert outbox it flushes.
      'dynamodb:Query': [desiredTable, auditTable, sub('${AuditTable.Arn}/index/byTime'), stateTable],
      // Each flushed alert sent (`#outbox` items only).
      'dynamodb:DeleteItem': [stateTable],
      // Its `#delivery` status; the audit chain head.
      'dynamodb:GetItem': [stateTable, auditTable],
      // No report read by default: reports only in declared destination buckets (trustBoundary.test.ts).
      's3:GetInventoryConfiguration': [anyBucket],
      's3:GetBucketPolicy': [anyBucket],
      's3:GetBucketLocation': [anyBucket],
      'kms:DescribeKey': [ownKeys],
      'kms:GetKeyPolicy': [ownKeys],
      // The `#delivery` attributes only, in the state table.
      'dynamodb:UpdateItem': [stateTable],
      // Audit events inside TransactWriteItems; alerts SNS refused into the state table's `#outbox` only.
      'dynamodb:PutItem': [auditTable, stateTable],
      'sns:Publish': [ref('AlertTopic')],
      'kms:GenerateDataKey': [getAtt('AlertTopicKey')],
      'kms:Decrypt': [getAtt('AlertTopicKey')],
      // The on-failure destination of its asynchronous invocations.
      'sqs:SendMessage': [invokeFailures],
    },
    deny: {
      ...auditRewrites,
      's3:GetObject': [sub('arn:${AWS::Partition}:s3:::*/*')],
      'sts:AssumeRole': [anyRole],
    },
  },
  // Read-only: events (the table and each of its indexes), the chain check, and `#status` items of the
  // state table by Scan.
  AuditApiLambdaFunction: {
    role: 'AuditApiRole',
    allow: {
      ...ownLogs('AuditApi'),
      ...traces,
      'dynamodb:Query': [
        auditTable,
        sub('${AuditTable.Arn}/index/byTime'),
        sub('${AuditTable.Arn}/index/byDay'),
        sub('${AuditTable.Arn}/index/byRun'),
        sub('${AuditTable.Arn}/index/byAction'),
        // GET /anchor (issue 16).
        headIndex,
      ],
      // The audit table is never scanned (issue 16): GetItem reads the `#history` marker and chain heads.
      'dynamodb:GetItem': [auditTable],
      'dynamodb:BatchGetItem': [auditTable],
      'dynamodb:Scan': [stateTable],
      // GET /anchor reads the newest digests and checks their signatures offline: no Sign, no write.
      's3:ListBucket': [digestBucket],
      's3:ListBucketVersions': [digestBucket],
      's3:GetObject': [digestObjects],
      's3:GetObjectVersion': [digestObjects],
      'kms:GetPublicKey': [digestKey],
    },
  },
  // Organization scale (#18): one member account off the discovery queue, its buckets onto the reconcile queue.
  // The member role it assumes lists them; at home it reads only the templates and the `#accounts` item.
  DiscoverLambdaFunction: {
    role: 'DiscoverRole',
    allow: {
      ...ownLogs('Discover'),
      ...traces,
      'sqs:ReceiveMessage': [discoveryQueue],
      'sqs:DeleteMessage': [discoveryQueue],
      'sqs:ChangeMessageVisibility': [discoveryQueue],
      'sqs:GetQueueAttributes': [discoveryQueue],
      'dynamodb:Scan': [desiredTable],
      // The `#accounts` item; the account's status (#18 point 2: `#account-status` only); the audit chain's head.
      // And what it selected (`#discovered` only), read and put when it changed.
      'dynamodb:GetItem': [stateTable, stateTable, auditTable, stateTable],
      'sqs:SendMessage': [queue],
      // A failed or recovered discovery: the account's status, its alert (SNS, else the outbox), its event.
      'dynamodb:UpdateItem': [stateTable],
      'dynamodb:PutItem': [stateTable, auditTable, stateTable],
      'sns:Publish': [ref('AlertTopic')],
      'kms:GenerateDataKey': [getAtt('AlertTopicKey')],
      'kms:Decrypt': [getAtt('AlertTopicKey')],
    },
    // No other account allowed by default: no AssumeRole at all (trustBoundary.test.ts packages with some).
    deny: { 'sts:AssumeRole': [anyRole], ...auditRewrites },
  },
  // Audit anchors (issue 16): heads from the head index, the newest digest read, the next one created, signed.
  AuditAnchorLambdaFunction: {
    role: 'AuditAnchorRole',
    allow: {
      ...ownLogs('AuditAnchor'),
      ...traces,
      'dynamodb:Query': [headIndex],
      ...anchorWrites,
      'sqs:SendMessage': [invokeFailures],
    },
  },
};

/** DynamoDB actions that only read: the audit API's role may hold no other DynamoDB action. */
export const DYNAMODB_READS = new Set([
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:DescribeTable',
]);

/** Actions that AWS cannot scope to a resource: the only ones allowed on `*`. */
export const UNSCOPABLE_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'tag:GetResources',
  's3:ListAllMyBuckets',
  'dynamodb:ListStreams',
  // Organization scale (#18): neither has resource-level permissions.
  'organizations:DescribeOrganization',
  'organizations:ListRoots',
]);
