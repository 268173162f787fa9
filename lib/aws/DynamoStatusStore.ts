import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  type BucketCondition,
  BucketState,
  type BucketStatus,
  type ConditionStatus,
  type StatusStore,
} from '../alerts/bucketStatus.js';
import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { isRecord } from '../json/isRecord.js';
import { putVersioned } from './putVersioned.js';
import { callAws } from './toAdapterError.js';

/**
 * Sort key of a bucket's status item in the desired-state table. `#` cannot occur in an inventory Id
 * (reference §1), so it never clashes with a configuration item.
 */
export const STATUS_ID = '#status';

/** The attributes a status write touches: the reconcile role's UpdateItem grant names exactly these. */
export const STATUS_ATTRIBUTES = [
  'bucket',
  'id',
  'state',
  'since',
  'conditions',
  'runId',
  'version',
] as const;

/**
 * A status item already read with its bucket's partition: `null` when the partition has none, `undefined`
 * when it was not read (ask the table).
 */
export type PrefetchedStatus = (bucket: string) => Record<string, unknown> | null | undefined;

export interface DynamoStatusStoreOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
  /** The desired store's copy of the item its Query just read (DynamoDesiredStore.takeStatusItem). */
  prefetched?: PrefetchedStatus;
}

/**
 * Bucket statuses as `#status` items in the desired-state table: `{ bucket, id: '#status', state, since,
 * conditions, runId, version }`. `get` takes the item the bucket's desired-state Query already read (no
 * extra read per reconcile), else a consistent GetItem. `put` is an UpdateItem (never PutItem: the
 * reconcile role may only set the status attributes, so it can never replace a desired item) conditioned
 * on the version read. `list` Scans the table for `#status` items (every page): a status view's read,
 * never on the reconcile path.
 */
export class DynamoStatusStore implements StatusStore {
  private readonly options: DynamoStatusStoreOptions;

  constructor(options: DynamoStatusStoreOptions) {
    this.options = options;
  }

  async get(bucket: string): Promise<BucketStatus | undefined> {
    const prefetched = this.options.prefetched?.(bucket);
    if (prefetched !== undefined) return prefetched === null ? undefined : statusFromItem(prefetched);
    const { tableName, client } = this.options;
    const output = await callAws(`GetItem ${tableName} ${bucket}/${STATUS_ID}`, () =>
      client.send(
        new GetCommand({ TableName: tableName, Key: { bucket, id: STATUS_ID }, ConsistentRead: true }),
      ),
    );
    return output.Item === undefined ? undefined : statusFromItem(output.Item);
  }

  async put(status: BucketStatus): Promise<boolean> {
    const { state, since, conditions, runId } = status;
    return putVersioned(
      this.options,
      { bucket: status.bucket, id: STATUS_ID },
      { state, since, conditions, runId },
      status.version,
    );
  }

  async list(): Promise<BucketStatus[]> {
    const { tableName, client } = this.options;
    const statuses: BucketStatus[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const output = await callAws(`Scan ${tableName} ${STATUS_ID}`, () =>
        client.send(
          new ScanCommand({
            TableName: tableName,
            FilterExpression: '#id = :status',
            ExpressionAttributeNames: { '#id': 'id' },
            ExpressionAttributeValues: { ':status': STATUS_ID },
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of output.Items ?? []) statuses.push(statusFromItem(item));
      start = output.LastEvaluatedKey;
    } while (start !== undefined);
    return statuses.sort((a, b) => compareCodeUnits(a.bucket, b.bucket));
  }
}

const STATES = new Set<string>(Object.values(BucketState));
const CONDITIONS: readonly BucketCondition[] = ['drift', 'action-required', 'failure'];

/**
 * A status item as a BucketStatus. The table is editable by hand, so anything malformed reads as
 * absent (a condition) or a safe default (state in-sync, version 0): the next transition rewrites it.
 */
export function statusFromItem(item: Record<string, unknown>): BucketStatus {
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  const stored = isRecord(item.conditions) ? item.conditions : {};
  const conditions: BucketStatus['conditions'] = {};
  for (const name of CONDITIONS) {
    const condition = conditionFrom(stored[name]);
    if (condition !== undefined) conditions[name] = condition;
  }
  return {
    bucket: text(item.bucket, ''),
    state: STATES.has(item.state as string) ? (item.state as BucketState) : 'in-sync',
    since: text(item.since, ''),
    conditions,
    runId: text(item.runId, ''),
    version: typeof item.version === 'number' && Number.isInteger(item.version) ? item.version : 0,
  };
}

function conditionFrom(value: unknown): ConditionStatus | undefined {
  if (!isRecord(value)) return undefined;
  const { fingerprint, since, lastAlertAt, summary } = value;
  if (typeof fingerprint !== 'string' || typeof since !== 'string' || typeof lastAlertAt !== 'string') {
    return undefined;
  }
  return { fingerprint, since, lastAlertAt, summary: typeof summary === 'string' ? summary : '' };
}
