/**
 * The service's state table's layout (infra/resources/state-table.yml: partition key `bucket`, sort key `id`,
 * TTL attribute `expiresAt`), owned here alone: every item kind, the key that names it and its attributes.
 * `#` never starts a bucket name nor an inventory Id, so a reserved partition or sort key never clashes
 * with a bucket. The IAM grants name these partitions and attributes (test/unit/deploy/cloudformation.test.ts
 * holds them equal).
 */

/** The table's key attributes. */
export const STATE_TABLE_KEY = { partition: 'bucket', sort: 'id' } as const;

/** A key of the state table (a type alias, so that it is a `Record` the SDK's key lists take). */
export type StateItemKey = { bucket: string; id: string };

/** The table's TTL attribute: epoch seconds. */
export const EXPIRES_AT = 'expiresAt';

/** The optimistic-concurrency attribute of the versioned items (`#status`, `#delivery`; lib/adapters/aws/putVersioned). */
export const VERSION_ATTRIBUTE = 'version';

/** Sort key of a bucket's reconcile status item. */
export const STATUS_ID = '#status';

/** The attributes a status write touches: the reconcile role's UpdateItem grant names exactly these. */
export const STATUS_ATTRIBUTES = [
  'bucket',
  'id',
  'state',
  'since',
  'conditions',
  'runId',
  VERSION_ATTRIBUTE,
] as const;

/** Sort key of a bucket's delivery-health item. */
export const DELIVERY_ID = '#delivery';

/** The attributes a delivery-status write touches: the delivery-check role's UpdateItem grant names these. */
export const DELIVERY_ATTRIBUTES = ['bucket', 'id', 'configurations', 'runId', VERSION_ATTRIBUTE] as const;

/** Partition that holds undelivered alerts (`id` = a hash of the alert). */
export const OUTBOX_PARTITION = '#outbox';

/** The attributes of an outbox item. */
export const OUTBOX_ATTRIBUTES = ['bucket', 'id', 'alert', 'createdAt'] as const;

/** Partition that holds policy leases (`id` = the lease key). */
export const LEASE_PARTITION = '#lease';

/** The attributes of a lease item. */
export const LEASE_ATTRIBUTES = ['bucket', 'id', 'holder', EXPIRES_AT] as const;

/** Key of a bucket's status item. */
export function statusKey(bucket: string): StateItemKey {
  return { bucket, id: STATUS_ID };
}

/** Key of a bucket's delivery-health item. */
export function deliveryKey(bucket: string): StateItemKey {
  return { bucket, id: DELIVERY_ID };
}

/** Key of a kept alert. */
export function outboxKey(id: string): StateItemKey {
  return { bucket: OUTBOX_PARTITION, id };
}

/** Key of a policy lease. */
export function leaseKey(key: string): StateItemKey {
  return { bucket: LEASE_PARTITION, id: key };
}

/** Whether an item is a bucket's status item. */
export function isStatusItem(item: Record<string, unknown>): boolean {
  return typeof item.bucket === 'string' && item.id === STATUS_ID;
}

/** Whether an item is a bucket's delivery-health item. */
export function isDeliveryItem(item: Record<string, unknown>): boolean {
  return typeof item.bucket === 'string' && item.id === DELIVERY_ID;
}

/** Whether an item is a kept alert. */
export function isOutboxItem(item: Record<string, unknown>): boolean {
  return item.bucket === OUTBOX_PARTITION;
}

/** Whether an item is a policy lease. */
export function isLeaseItem(item: Record<string, unknown>): boolean {
  return item.bucket === LEASE_PARTITION;
}

// Intents (issue 17, "no change without its record": lib/core/reconcile/intents.ts).

/** Partition that holds the intents of writes not yet recorded (`id` = `<bucket>#<intentId>`). */
export const INTENT_PARTITION = '#intent';

/** The attributes of an intent item: `event` is the change event it announces, as JSON. */
export const INTENT_ATTRIBUTES = [
  'bucket',
  'id',
  'runId',
  'subject',
  'recordedAt',
  'event',
  EXPIRES_AT,
] as const;

/** Key of a write's intent; `#` never appears in a bucket name, so a bucket's intents share the prefix `<bucket>#`. */
export function intentKey(bucket: string, intentId: string): StateItemKey {
  return { bucket: INTENT_PARTITION, id: `${bucket}#${intentId}` };
}

/** Whether an item is a write's intent. */
export function isIntentItem(item: Record<string, unknown>): boolean {
  return item.bucket === INTENT_PARTITION;
}

// Organization scale (#18): the organization's accounts, resolved once per sweep.

/** Partition of the organization's membership as the last sweep resolved it (`id` {@link ACCOUNTS_ID}). */
export const ACCOUNTS_PARTITION = '#accounts';

/** Sort key of the one membership item. */
export const ACCOUNTS_ID = 'current';

/** The attributes of the membership item (lib/adapters/aws/DynamoOrganizationMembershipStore). */
export const ACCOUNTS_ATTRIBUTES = ['bucket', 'id', 'organizationId', 'accounts', 'resolvedAt'] as const;

/** Key of the membership item. */
export function accountsKey(): StateItemKey {
  return { bucket: ACCOUNTS_PARTITION, id: ACCOUNTS_ID };
}

// The account-wide brake (issue 17; lib/adapters/aws/DynamoChangeWindow). Fixed in size whatever the estate:
// one counter item per minute slot of the window, and one hold item.

/** Partition of the brake's counters: `id` = a minute slot (`2026-12-06T15:45Z`, lib/core/brake/brakeWindow). */
export const BRAKE_PARTITION = '#brake';

/** The attributes of a counter item (`changes`, `deletes` added atomically; it expires by TTL). */
export const BRAKE_ATTRIBUTES = ['bucket', 'id', 'changes', 'deletes', EXPIRES_AT] as const;

/** Partition of the hold: one item, `id` = {@link HOLD_ID}. */
export const HOLD_PARTITION = '#hold';

/** Sort key of the one hold item. */
export const HOLD_ID = 'current';

/** The attributes of the hold item. */
export const HOLD_ATTRIBUTES = [
  'bucket',
  'id',
  'since',
  'reason',
  'counts',
  'requested',
  'limits',
  'trippedBy',
  'runId',
  'actor',
] as const;

/** Key of a minute slot's counter. */
export function brakeSlotKey(slot: string): StateItemKey {
  return { bucket: BRAKE_PARTITION, id: slot };
}

/** Key of the hold item. */
export function holdKey(): StateItemKey {
  return { bucket: HOLD_PARTITION, id: HOLD_ID };
}

/** The transaction item that lets a write through only while no hold is in force (`#hold/current` absent). */
export function noHoldInForce(tableName: string) {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: holdKey(),
      ConditionExpression: 'attribute_not_exists(#bucket)',
      ExpressionAttributeNames: { '#bucket': STATE_TABLE_KEY.partition },
    },
  };
}

/** Whether an item is one of the brake's (a counter or the hold). */
export function isBrakeItem(item: Record<string, unknown>): boolean {
  return item.bucket === BRAKE_PARTITION || item.bucket === HOLD_PARTITION;
}

// Member accounts' statuses (#18 point 2 and 9; lib/core/accounts/accountStatus): one item per account
// that something happened to (discovery failed, it left the organization), none for a healthy account.

/** Partition of the account statuses (`id` = the 12-digit account id). */
export const ACCOUNT_STATUS_PARTITION = '#account-status';

/**
 * The attributes an account-status write touches: a bucket's status attributes, since the same transition
 * record is written (UpdateItem on the version read).
 */
export const ACCOUNT_STATUS_ATTRIBUTES = STATUS_ATTRIBUTES;

/** Key of an account's status item. */
export function accountStatusKey(account: string): StateItemKey {
  return { bucket: ACCOUNT_STATUS_PARTITION, id: account };
}

/** Whether an item is an account's status item. */
export function isAccountStatusItem(item: Record<string, unknown>): boolean {
  return item.bucket === ACCOUNT_STATUS_PARTITION;
}

/**
 * Partition of what each member account's last discovery selected (`id` = the account id): a Bloom filter of
 * bucket names, at most 64 KB whatever the number of buckets (lib/core/accounts/bucketFilter).
 */
export const DISCOVERED_PARTITION = '#discovered';

/** The attributes of a discovered-buckets item. */
export const DISCOVERED_ATTRIBUTES = ['bucket', 'id', 'bits', 'hashes', 'count', 'filter', 'runId'] as const;

/** Key of an account's discovered-buckets item. */
export function discoveredKey(account: string): StateItemKey {
  return { bucket: DISCOVERED_PARTITION, id: account };
}

// The first sweep's alerts summarised (#18 point 4; lib/adapters/aws/DynamoAdoptionSummaries): one item per run
// and account, bounded whatever the number of buckets (counts, and at most 50 names per kind).

/** Partition of the adoption summaries: `id` = `<runId>#<account>`. */
export const ADOPTION_PARTITION = '#adoption';

/** Per alert kind: the attribute counting its buckets and the string set naming the first of them. */
export const ADOPTION_KIND_ATTRIBUTES = {
  'reconcile-failed': { count: 'failedCount', names: 'failedBuckets' },
  'action-required': { count: 'actionCount', names: 'actionBuckets' },
  'drift-detected': { count: 'detectedCount', names: 'detectedBuckets' },
  'drift-resolved': { count: 'resolvedCount', names: 'resolvedBuckets' },
} as const;

/** The attributes of a summary item: the reconcile role's UpdateItem grant names exactly these. */
export const ADOPTION_ATTRIBUTES = [
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
  EXPIRES_AT,
  ...Object.values(ADOPTION_KIND_ATTRIBUTES).flatMap((kind) => [kind.count, kind.names]),
] as const;

/** Key of a run and account's summary; `#` never appears in an account id, and the run id comes first. */
export function adoptionKey(runId: string, account: string): StateItemKey {
  return { bucket: ADOPTION_PARTITION, id: `${runId}#${account}` };
}

// The schedule's grant step (#18; lib/adapters/aws/DynamoGrantRecords): one item per destination bucket policy
// and key policy it wrote its statement to (or failed on for good), never one per bucket; one Query per sweep.

/** Partition of the grant step's records: `id` = `destination:<bucket>` or `key:<arn>`. */
export const GRANTS_PARTITION = '#grants';

/** What a record says of its policy (written by UpdateItem when it changes). */
export const GRANT_RECORD_ATTRIBUTES = [
  'bucket',
  'id',
  'target',
  'name',
  'account',
  'partition',
  'home',
  'region',
  'enforce',
  'managed',
] as const;

/** The record's status (the status transition's attributes, as a bucket's `#status`). */
export const GRANT_STATUS_ATTRIBUTES = STATUS_ATTRIBUTES;

/** Key of a policy's record (`recordId` from lib/core/grants/grantRecords `grantRecordId`). */
export function grantRecordKey(recordId: string): StateItemKey {
  return { bucket: GRANTS_PARTITION, id: recordId };
}
