import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../core/audit/types.js';
import type { Hold } from '../../core/brake/types.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { isRecord } from '../../core/json/isRecord.js';
import type { ChangeIntent, IntentRecordAnswer } from '../../core/reconcile/intents.js';
import type { IntentStore } from '../../usecases/ports.js';
import type { BatchIntentStore, KnownIntents } from '../../usecases/reconcileBucket/PrefetchedIntentStore.js';
import type { ExtraTransactItem } from './DynamoAuditSink.js';
import { AwsAdapterError } from './errors.js';
import { queryAllItems } from './readAllItems.js';
import {
  EXPIRES_AT,
  INTENT_PARTITION,
  intentKey,
  noHoldInForce,
  STATE_TABLE_KEY,
} from './stateTableLayout.js';
import { callAws, toAdapterError } from './toAdapterError.js';

/**
 * How long an intent nobody resolves stays (DynamoDB TTL): a declared bucket is reconciled by every sweep,
 * which resolves it within minutes; only a bucket no longer declared leaves one behind, and it goes then.
 */
export const INTENT_RETENTION_DAYS = 30;

/**
 * The batch read's bound (#18 point 4): pages of at most this many items (and DynamoDB's 1 MB)...
 */
export const INTENT_BATCH_PAGE_ITEMS = 100;
/** ...and at most this many pages: beyond 200 unfinished intents, the buckets not covered read their own. */
export const INTENT_BATCH_MAX_PAGES = 2;

/** Tries of a record that checks the hold before a hold item another transaction holds is given up (retryable). */
const HOLD_CHECK_TRIES = 5;
/** Backoff between those tries: full jitter, doubling from 20 ms. */
const HOLD_CHECK_BACKOFF_MS = 20;

/** The audit append the intent's completion joins (lib/adapters/aws/DynamoAuditSink `append`). */
export interface IntentAuditAppend {
  /** Records the event with `extra` in its transaction; undefined when the event was recorded before. */
  append(event: AuditEvent, extra: readonly ExtraTransactItem[]): Promise<unknown>;
}

export interface DynamoIntentLogOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  /** The state table (`S3IR_STATE_TABLE`). */
  tableName: string;
  /** Milliseconds; default `Date.now`. */
  now?: () => number;
  /**
   * The audit sink over the same account and region: with it, `confirm` records a change event and deletes
   * its intent in one TransactWriteItems (#18 point 4).
   */
  audit?: IntentAuditAppend;
  /**
   * Where the hold is read (lib/adapters/aws/DynamoChangeWindow): with it, `record` checks in the same
   * transaction that no hold is in force (#18 point 4), and reads the hold only when one is.
   */
  hold?: { currentHold(): Promise<Hold | undefined> };
  /** Waits between tries of a contended hold check (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Intents of writes as items `{ bucket: '#intent', id: '<bucket>#<intentId>', runId, subject, recordedAt,
 * event, expiresAt }` of the state table. `record` is a PutItem (the id is the change's own event id, so a retry
 * writes the same item), `complete` a DeleteItem, `pending` one strongly consistent Query of the
 * bucket's prefix (an intent recorded just before a worker died is seen). `event` is kept as JSON text: a
 * policy document keeps its exact values, with no DynamoDB type mapping in between. Only the reconcile
 * role writes this partition.
 *
 * #18 point 4, one request per step of a write (docs/aws-facts.md, "One request for an intent and its
 * checks"): with `hold`, `record` is one TransactWriteItems [ConditionCheck `#hold/current` absent, Put
 * intent]; with `audit`, `confirm` deletes the intent in the change event's own transaction; `pendingOf`
 * reads a whole batch's intents in one bounded Query of the partition.
 */
export class DynamoIntentLog implements IntentStore, BatchIntentStore {
  private readonly options: DynamoIntentLogOptions;
  readonly checksHold: boolean;
  /** Present with `audit`: the change event recorded and the intent deleted in one transaction. */
  readonly confirm?: (intent: ChangeIntent, event: AuditEvent) => Promise<void>;

  constructor(options: DynamoIntentLogOptions) {
    this.options = options;
    this.checksHold = options.hold !== undefined;
    const { audit } = options;
    if (audit !== undefined) this.confirm = (intent, event) => this.confirmWith(audit, intent, event);
  }

  async abandon(intent: ChangeIntent): Promise<void> {
    // Never refused by a hold: the intent is already there, this only marks it.
    await this.put({ ...intent, abandoned: true });
  }

  async record(intent: ChangeIntent): Promise<IntentRecordAnswer> {
    const { hold } = this.options;
    if (hold === undefined) return this.put(intent);
    const { client, tableName } = this.options;
    const context = `TransactWriteItems ${tableName} ${INTENT_PARTITION}/${intentKey(intent.bucket, intent.intentId).id}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              noHoldInForce(tableName),
              { Put: { TableName: tableName, Item: this.item(intent) } },
            ],
          }),
        );
        return;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes === undefined) throw toAdapterError(error, context);
        if (codes[0] === 'ConditionalCheckFailed') {
          const found = await hold.currentHold();
          if (found !== undefined) return { held: found };
          // Released between the check and the read: try again.
        } else if (!codes.some((code) => RETRY_CODES.has(code))) {
          throw toAdapterError(error, context);
        }
        if (attempt >= HOLD_CHECK_TRIES) {
          throw new AwsAdapterError({
            code: 'IntentContention',
            message: `${context}: the hold item kept changing or was busy (${attempt} tries)`,
            retryable: true,
            cause: error,
          });
        }
      }
      const ceiling = HOLD_CHECK_BACKOFF_MS * 2 ** attempt;
      await (this.options.sleep ?? sleep)(Math.random() * ceiling);
    }
  }

  private async put(intent: ChangeIntent): Promise<void> {
    const { client, tableName } = this.options;
    const key = intentKey(intent.bucket, intent.intentId);
    await callAws(`PutItem ${tableName} ${INTENT_PARTITION}/${key.id}`, () =>
      client.send(new PutCommand({ TableName: tableName, Item: this.item(intent) })),
    );
  }

  private item(intent: ChangeIntent): Record<string, unknown> {
    const now = (this.options.now ?? Date.now)();
    return {
      ...intentKey(intent.bucket, intent.intentId),
      runId: intent.runId,
      subject: intent.subject,
      recordedAt: intent.recordedAt,
      event: JSON.stringify(intent.event),
      ...(intent.abandoned === true && { abandoned: true }),
      [EXPIRES_AT]: Math.ceil(now / 1000) + INTENT_RETENTION_DAYS * 86_400,
    };
  }

  /**
   * The event's append with the intent's DeleteItem in its transaction: event recorded <=> intent gone. A
   * duplicate event (recorded before, e.g. by a reconcile that resolved this intent) cancels the whole
   * transaction: the intent is then deleted on its own, and a failure of that delete leaves it for the next
   * reconcile, which records the same event again (a duplicate): nothing lost or doubled.
   */
  private async confirmWith(
    audit: IntentAuditAppend,
    intent: ChangeIntent,
    event: AuditEvent,
  ): Promise<void> {
    const removal: ExtraTransactItem = {
      Delete: { TableName: this.options.tableName, Key: intentKey(intent.bucket, intent.intentId) },
    };
    const stored = await audit.append(event, [removal]);
    if (stored === undefined) await this.complete(intent).catch(() => undefined);
  }

  async complete(intent: ChangeIntent): Promise<void> {
    const { client, tableName } = this.options;
    const key = intentKey(intent.bucket, intent.intentId);
    await callAws(`DeleteItem ${tableName} ${INTENT_PARTITION}/${key.id}`, () =>
      client.send(new DeleteCommand({ TableName: tableName, Key: key })),
    );
  }

  async pending(bucket: string): Promise<ChangeIntent[]> {
    const { client, tableName } = this.options;
    const items = await queryAllItems(client, {
      TableName: tableName,
      KeyConditionExpression: '#bucket = :intents AND begins_with(#id, :prefix)',
      ExpressionAttributeNames: { '#bucket': STATE_TABLE_KEY.partition, '#id': STATE_TABLE_KEY.sort },
      ExpressionAttributeValues: { ':intents': INTENT_PARTITION, ':prefix': `${bucket}#` },
      ConsistentRead: true,
    });
    return items.flatMap((item) => intentFromItem(item, bucket)).sort(byAge);
  }

  /**
   * The unfinished intents of many buckets in one strongly consistent Query of the whole partition, bounded
   * to {@link INTENT_BATCH_MAX_PAGES} pages of {@link INTENT_BATCH_PAGE_ITEMS} items: every bucket of
   * `buckets` whose ids all sort before where the read stopped is known (none: an empty list); the others are
   * left out, for each to read its own with {@link pending}. Ids are `<bucket>#<intentId>` and a bucket name
   * has no `#`, so a bucket's ids all sort before `<bucket>$` (`$` follows `#`).
   */
  async pendingOf(buckets: readonly string[]): Promise<KnownIntents> {
    const { client, tableName } = this.options;
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    for (let page = 0; page < INTENT_BATCH_MAX_PAGES; page++) {
      const after = start;
      const output = await callAws(`Query ${tableName} ${INTENT_PARTITION}`, () =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#bucket = :intents',
            ExpressionAttributeNames: { '#bucket': STATE_TABLE_KEY.partition },
            ExpressionAttributeValues: { ':intents': INTENT_PARTITION },
            ConsistentRead: true,
            Limit: INTENT_BATCH_PAGE_ITEMS,
            ...(after !== undefined && { ExclusiveStartKey: after }),
          }),
        ),
      );
      items.push(...(output.Items ?? []));
      start = output.LastEvaluatedKey;
      if (start === undefined) break;
    }
    const stop = start === undefined ? undefined : String(start[STATE_TABLE_KEY.sort]);
    const known: KnownIntents = new Map();
    for (const bucket of new Set(buckets)) {
      if (bucket.includes('#')) continue; // not a bucket name: its own read decides
      if (stop !== undefined && compareCodeUnits(`${bucket}$`, stop) > 0) continue;
      const prefix = `${bucket}#`;
      const mine = items.filter((item) => typeof item.id === 'string' && item.id.startsWith(prefix));
      known.set(bucket, mine.flatMap((item) => intentFromItem(item, bucket)).sort(byAge));
    }
    return known;
  }
}

function byAge(a: ChangeIntent, b: ChangeIntent): number {
  return compareCodeUnits(a.recordedAt, b.recordedAt) || compareCodeUnits(a.intentId, b.intentId);
}

/** Cancellation reasons worth another try: another transaction held the hold item, or DynamoDB throttled. */
const RETRY_CODES = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/** The codes of a cancelled transaction, item by item; undefined for any other error. */
function cancellationCodes(error: unknown): string[] | undefined {
  const { name, CancellationReasons } = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (name === 'TransactionConflictException') return ['TransactionConflict'];
  if (name !== 'TransactionCanceledException' || !Array.isArray(CancellationReasons)) return undefined;
  return CancellationReasons.map((reason) => reason?.Code ?? 'None');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * An item read back, checked: its event must be this bucket's and carry the id the key names. An item that
 * is not is dropped (with its TTL it goes by itself): it cannot be resolved, and it must not block the bucket.
 */
function intentFromItem(item: Record<string, unknown>, bucket: string): ChangeIntent[] {
  const { id, runId, subject, recordedAt, event: text } = item;
  if (typeof id !== 'string' || typeof runId !== 'string' || typeof recordedAt !== 'string') return [];
  if (typeof subject !== 'string') return [];
  if (typeof text !== 'string') return [];
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    return [];
  }
  const intentId = id.slice(bucket.length + 1);
  if (!isRecord(event) || event.bucket !== bucket || event.eventId !== intentId || event.runId !== runId) {
    return [];
  }
  if (typeof event.action !== 'string' || typeof event.time !== 'string') return [];
  const intent: ChangeIntent = {
    intentId,
    bucket,
    runId,
    subject,
    recordedAt,
    event: event as unknown as AuditEvent,
  };
  return [item.abandoned === true ? { ...intent, abandoned: true } : intent];
}
