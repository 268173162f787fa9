import type { EstateNames } from './faultWorld.js';

/**
 * One row of the fault matrix (issue 17, point 1): the rules posted to `/_local/faults` while the service
 * works through the drift of the row, what the service is expected to do, and what the operator sees. The
 * last two columns are the README's table ("Operating it"); the run checks the invariants of every row.
 */
export interface FaultRow {
  id: string;
  fault: string;
  /** In the reduced matrix that `npm test` runs (the full one is `npm run faults`). */
  reduced: boolean;
  rules: (names: EstateNames) => Record<string, unknown>[];
  /** The bucket the fault is scoped to: every other bucket must converge while it is on. */
  scopedTo?: (names: EstateNames) => string;
  /** The fault's own bucket ends failed while it is on (a terminal error, not retried). */
  failsWhileOn?: boolean;
  /** Lose this many deletes of the reconcile event source (SQS delivers those messages again). */
  loseDeletes?: number;
  /** Sweeps while the fault is on (default 1), after the change events. */
  sweepsWhileOn?: number;
  does: string;
  operatorSees: string;
}

// Counts are above the SDK's 5 attempts (adaptive retry), so a worker really fails before the fault clears.
export const FAULT_ROWS: readonly FaultRow[] = [
  {
    id: 's3-slowdown-writes',
    fault: 'S3 503 SlowDown on writes (PutBucketInventoryConfiguration, PutBucketPolicy)',
    reduced: false,
    rules: () => [
      { service: 's3', operation: 'PutBucketInventoryConfiguration', code: 'SlowDown', count: 12 },
      { service: 's3', operation: 'PutBucketPolicy', code: 'SlowDown', count: 6 },
    ],
    does: 'the SDK retries with adaptive backoff; a bucket still throttled fails its message, which comes back after 30–120 s (capped) and converges',
    operatorSees:
      'nothing unless a bucket fails every receive: then `reconcile-failed` naming SlowDown, and `drift-resolved` once it converges',
  },
  {
    id: 's3-500-reads',
    fault: 'S3 500 InternalError on reads (ListBucketInventoryConfigurations, GetBucketPolicy)',
    reduced: true,
    rules: () => [
      { service: 's3', operation: 'ListBucketInventoryConfigurations', code: 'InternalError', count: 12 },
      { service: 's3', operation: 'GetBucketPolicy', code: 'InternalError', count: 6 },
    ],
    does: 'retried by the SDK, then by SQS (the message made visible again after a jittered delay); nothing is written from a read that failed',
    operatorSees: 'as for SlowDown: an alert only for a bucket that fails its last receive',
  },
  {
    id: 's3-503-reads',
    fault: 'S3 503 SlowDown on reads',
    reduced: false,
    rules: () => [
      { service: 's3', operation: 'ListBucketInventoryConfigurations', code: 'SlowDown', count: 12 },
      { service: 's3', operation: 'HeadBucket', code: 'SlowDown', count: 6 },
    ],
    does: 'as S3 500 on reads',
    operatorSees: 'as S3 500 on reads',
  },
  {
    id: 's3-500-writes',
    fault: 'S3 500 InternalError on writes',
    reduced: false,
    rules: () => [
      { service: 's3', operation: 'PutBucketInventoryConfiguration', code: 'InternalError', count: 12 },
      { service: 's3', operation: 'PutBucketPolicy', code: 'InternalError', count: 6 },
    ],
    does: 'as SlowDown on writes; a policy write is read back before it counts as done',
    operatorSees: 'as SlowDown on writes',
  },
  {
    id: 'access-denied-one-bucket',
    fault: 'AccessDenied (403) on every S3 call for one bucket',
    reduced: true,
    rules: (names) => [{ service: 's3', bucket: names.solo, status: 403, code: 'AccessDenied' }],
    scopedTo: (names) => names.solo,
    failsWhileOn: true,
    sweepsWhileOn: 2,
    does: 'terminal: the bucket is recorded failed (one `reconcile-failed` audit event per run), not retried; every other bucket converges',
    operatorSees:
      'one `reconcile-failed` alert naming `AccessDenied on <call> <bucket> (403)`, then one `drift-resolved` (recovered) once access is back',
  },
  {
    id: 'latency-beyond-timeout',
    fault: 'S3 latency beyond the client timeout (31 s on one bucket, for 25 s)',
    reduced: false,
    rules: (names) => [
      {
        service: 's3',
        bucket: names.solo,
        operation: 'ListBucketInventoryConfigurations',
        latencyMs: 31_000,
        forMs: 25_000,
      },
    ],
    scopedTo: (names) => names.solo,
    sweepsWhileOn: 0,
    does: 'the SDK abandons the call at its 30 s request timeout and retries; the bucket fails its message and is retried, the others are reconciled meanwhile',
    operatorSees: 'nothing unless it lasts every receive: then `reconcile-failed` naming the timeout',
  },
  {
    id: 'kms-throttling',
    fault: 'KMS ThrottlingException on every call',
    reduced: false,
    rules: () => [{ service: 'kms', code: 'ThrottlingException', count: 14 }],
    does: 'the key facts are retried by the SDK then by SQS; buckets without SSE-KMS are not held up',
    operatorSees: 'nothing unless the key bucket fails its last receive',
  },
  {
    id: 'dynamodb-throughput',
    fault: 'DynamoDB ProvisionedThroughputExceededException (half the calls, 40 at most)',
    reduced: false,
    rules: () => [
      {
        service: 'dynamodb',
        code: 'ProvisionedThroughputExceededException',
        errorRate: 0.5,
        count: 40,
        seed: 17,
      },
    ],
    sweepsWhileOn: 2,
    does: "retried by the SDK; a status, lease or audit write that still fails fails the message (retried); a sweep that fails is the next tick's",
    operatorSees:
      'nothing for a passing burst; `reconcile-failed` (high) only for a bucket failing its last receive',
  },
  {
    id: 'dynamodb-transaction-conflict',
    fault: 'DynamoDB TransactionCanceledException (TransactionConflict) on audit appends',
    reduced: true,
    rules: () => [
      {
        service: 'dynamodb',
        operation: 'TransactWriteItems',
        code: 'TransactionCanceledException',
        count: 10,
      },
    ],
    does: 'the audit append is retried (the chain head re-read); an event id already recorded is a duplicate, never a second event',
    operatorSees: 'nothing',
  },
  {
    id: 'sns-unavailable',
    fault: 'SNS unavailable (Publish 500) while buckets fail',
    reduced: true,
    rules: (names) => [
      { service: 'sns', operation: 'Publish', code: 'InternalError', count: 1000 },
      { service: 's3', bucket: names.solo, status: 403, code: 'AccessDenied' },
    ],
    scopedTo: (names) => names.solo,
    failsWhileOn: true,
    does: 'alerts SNS refuses are kept in the `#outbox`; the next reconcile invocation (or sweep) that reaches SNS sends them, once',
    operatorSees: 'the `reconcile-failed` alert late but once, then `drift-resolved`',
  },
  {
    id: 'sqs-redelivery',
    fault: 'SQS delivers messages again (deletes lost)',
    reduced: true,
    rules: () => [],
    loseDeletes: 3,
    does: 'the bucket is reconciled again: level-triggered and idempotent, it finds nothing to do; audit event ids are content hashes, so nothing is recorded twice',
    operatorSees: 'nothing',
  },
];

/**
 * The rows to run: `S3IR_FAULT_MATRIX` = `full` (every row), `reduced` (default: the rows marked so), or a
 * comma-separated list of row ids.
 */
export function selectRows(setting: string | undefined): FaultRow[] {
  const value = (setting ?? '').trim();
  if (value === '' || value === 'reduced') return FAULT_ROWS.filter((row) => row.reduced);
  if (value === 'full') return [...FAULT_ROWS];
  const ids = value.split(',').map((id) => id.trim());
  const unknown = ids.filter((id) => !FAULT_ROWS.some((row) => row.id === id));
  if (unknown.length > 0)
    throw new Error(
      `S3IR_FAULT_MATRIX: unknown row(s) ${unknown.join(', ')}; known: full, reduced, ${FAULT_ROWS.map((row) => row.id).join(', ')}`,
    );
  return FAULT_ROWS.filter((row) => ids.includes(row.id));
}
