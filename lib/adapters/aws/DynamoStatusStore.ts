import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AdoptionEntry } from '../../core/alerts/adoptionSummary.js';
import {
  type BucketCondition,
  BucketState,
  type BucketStatus,
  type ConditionStatus,
  type StatusStore,
  type SummarisedWrite,
} from '../../core/alerts/bucketStatus.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { isRecord } from '../../core/json/isRecord.js';
import { SummaryAdditions } from './DynamoAdoptionSummaries.js';
import { AwsAdapterError } from './errors.js';
import { putVersioned, versionedUpdate } from './putVersioned.js';
import { isStatusItem, STATE_TABLE_KEY, STATUS_ID, statusKey } from './stateTableLayout.js';
import { callAws, toAdapterError } from './toAdapterError.js';

/** BatchGetItem takes at most 100 keys a call (DynamoDB API reference, BatchGetItem). */
const BATCH_GET_KEYS = 100;

/** Rounds of UnprocessedKeys before a batch read gives up (retryable: the table is throttling). */
const MAX_BATCH_ROUNDS = 5;

/**
 * Tries of the status-and-summary transaction before the status is written alone: one set found full, or a
 * transaction conflict on the run's summary item (many workers add to it), costs one more.
 */
const MAX_SUMMARY_ROUNDS = 4;

/** Cancellation reasons that a later round may not meet: a condition, another transaction, throttling. */
const ROUND_CODES = new Set([
  'None',
  'ConditionalCheckFailed',
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

export interface DynamoStatusStoreOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  /** The state table (`S3IR_STATE_TABLE`). */
  tableName: string;
  /** Pause before retrying unprocessed keys (default 50 ms x 2^round); tests pass 0. */
  backoffMs?: (round: number) => number;
}

/**
 * Bucket statuses as `#status` items of the state table: `{ bucket, id: '#status', state, since,
 * conditions, runId, version }`. `get` is a consistent GetItem; `getMany` reads many buckets' items with
 * BatchGetItem (a reconcile batch reads its buckets' statuses in one call). `put` is an UpdateItem on
 * the version read, setting only the status attributes (the reconcile role's grant names exactly
 * these). `list` Scans the table for `#status` items (every page): a status view's read, never on the
 * reconcile path.
 */
export class DynamoStatusStore implements StatusStore {
  private readonly options: DynamoStatusStoreOptions;

  private readonly summaries: SummaryAdditions;

  constructor(options: DynamoStatusStoreOptions) {
    this.options = options;
    this.summaries = new SummaryAdditions(options);
  }

  async get(bucket: string): Promise<BucketStatus | undefined> {
    const { tableName, client } = this.options;
    const output = await callAws(`GetItem ${tableName} ${bucket}/${STATUS_ID}`, () =>
      client.send(new GetCommand({ TableName: tableName, Key: statusKey(bucket), ConsistentRead: true })),
    );
    return output.Item === undefined ? undefined : statusFromItem(output.Item);
  }

  /**
   * The statuses of `buckets`, strongly consistent, 100 keys a BatchGetItem, unprocessed keys asked
   * again: every bucket asked is in the map, `undefined` where it has no status yet.
   */
  async getMany(buckets: readonly string[]): Promise<Map<string, BucketStatus | undefined>> {
    const { tableName, client } = this.options;
    const unique = [...new Set(buckets)];
    const found = new Map<string, BucketStatus | undefined>(unique.map((bucket) => [bucket, undefined]));
    for (let start = 0; start < unique.length; start += BATCH_GET_KEYS) {
      let keys: Record<string, unknown>[] = unique.slice(start, start + BATCH_GET_KEYS).map(statusKey);
      for (let round = 0; keys.length > 0; round++) {
        if (round === MAX_BATCH_ROUNDS) {
          throw new AwsAdapterError({
            code: 'UnprocessedKeys',
            message: `BatchGetItem ${tableName}: ${keys.length} statuses still unprocessed`,
            retryable: true,
          });
        }
        if (round > 0) await pause((this.options.backoffMs ?? defaultBackoff)(round));
        const request = { Keys: keys, ConsistentRead: true };
        const output = await callAws(`BatchGetItem ${tableName} ${STATUS_ID}`, () =>
          client.send(new BatchGetCommand({ RequestItems: { [tableName]: request } })),
        );
        for (const item of output.Responses?.[tableName] ?? []) {
          // Only the items asked for: a response is the table's, not ours to widen.
          if (isStatusItem(item) && found.has(item.bucket as string)) {
            found.set(item.bucket, statusFromItem(item));
          }
        }
        keys = (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  async put(status: BucketStatus): Promise<boolean> {
    return putVersioned(this.options, statusKey(status.bucket), statusAttributes(status), status.version);
  }

  /**
   * One TransactWriteItems: the status UpdateItem of {@link put} (same condition) and the entry's UpdateItem
   * ADD of its `#adoption` summary (lib/adapters/aws/DynamoAdoptionSummaries SummaryAdditions: counts, a name
   * while its set has room, the 14-day TTL). Cancelled by the status condition: nothing written, `written`
   * false. Cancelled by the summary's: a set was full (learned; another round counts the bucket without its
   * name), or the summary names the bucket already (the status is written alone). Still cancelled after
   * {@link MAX_SUMMARY_ROUNDS} (conflicts with other workers' transactions on the summary): the status alone,
   * `summarised` false, and the caller adds the entry on its own (docs/aws-facts.md, "The status and its
   * summary in one transaction").
   */
  async putWithSummary(status: BucketStatus, entry: AdoptionEntry, now: Date): Promise<SummarisedWrite> {
    const { tableName, client } = this.options;
    const key = statusKey(status.bucket);
    const statusUpdate = versionedUpdate(tableName, key, statusAttributes(status), status.version);
    const context = `TransactWriteItems ${tableName} ${key.bucket}/${key.id}`;
    for (let round = 0; round < MAX_SUMMARY_ROUNDS; round++) {
      const summaryUpdate = this.summaries.update(entry, now);
      try {
        await client.send(
          new TransactWriteCommand({ TransactItems: [{ Update: statusUpdate }, { Update: summaryUpdate }] }),
        );
        return { written: true, summarised: true };
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes === undefined || codes.some((code) => !ROUND_CODES.has(code)))
          throw toAdapterError(error, context);
        if (codes[0] === 'ConditionalCheckFailed') return { written: false, summarised: false };
        if (codes[1] === 'ConditionalCheckFailed') {
          if ((await this.summaries.settle(entry)) === 'named')
            return { written: await this.put(status), summarised: true };
        } else {
          await pause((this.options.backoffMs ?? defaultBackoff)(round));
        }
      }
    }
    return { written: await this.put(status), summarised: false };
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
            ExpressionAttributeNames: { '#id': STATE_TABLE_KEY.sort },
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

/** The attributes a status write sets (the reconcile role's grant names exactly these, with the key and version). */
function statusAttributes(status: BucketStatus): Record<string, unknown> {
  const { state, since, conditions, runId } = status;
  return { state, since, conditions, runId };
}

/**
 * The codes of a cancelled transaction, item by item (`None` where the item did not refuse; empty when
 * DynamoDB gave no reasons); undefined for any other error.
 */
function cancellationCodes(error: unknown): string[] | undefined {
  const { name, CancellationReasons } = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (name === 'TransactionConflictException') return ['TransactionConflict'];
  if (name !== 'TransactionCanceledException') return undefined;
  return Array.isArray(CancellationReasons)
    ? CancellationReasons.map((reason) => reason?.Code ?? 'None')
    : [];
}

function defaultBackoff(round: number): number {
  return 50 * 2 ** round;
}

function pause(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

const STATES = new Set<string>(Object.values(BucketState));
const CONDITIONS: readonly BucketCondition[] = ['drift', 'action-required', 'failure'];

/**
 * A status item as a BucketStatus. Anything malformed (an item an operator edited) reads as absent (a
 * condition) or a safe default (state in-sync, version 0): the next transition rewrites it.
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
