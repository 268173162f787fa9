/**
 * The calls that emit a change event when they succeed (DESIGN.md, Local AWS; issue 3): the S3 and
 * KMS mutations that can change whether a bucket's inventory reports arrive.
 */
export const MUTATING_OPERATIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  s3: new Set([
    'PutBucketInventoryConfiguration',
    'DeleteBucketInventoryConfiguration',
    'PutBucketPolicy',
    'DeleteBucketPolicy',
    'DeleteBucket',
  ]),
  kms: new Set(['PutKeyPolicy', 'ScheduleKeyDeletion', 'DisableKey', 'EnableKey']),
};

/** A request header that names the caller's principal ARN for the event, instead of its access key's. */
export const ACTOR_HEADER = 'x-s3ir-actor';

/** How many events `GET /_local/events` can go back (a ring buffer; older ones are dropped). */
export const DEFAULT_EVENT_BUFFER_SIZE = 1_000;

/** How long a webhook POST may take before it counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 5_000;

/** CloudTrail's record format version of the events. */
export const CLOUDTRAIL_EVENT_VERSION = '1.09';

/** True when a successful call of this operation emits a change event. */
export function isMutating(service: string | undefined, operation: string): boolean {
  return service !== undefined && (MUTATING_OPERATIONS[service]?.has(operation) ?? false);
}
