import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { CHAIN_HEAD_ID } from '../../core/audit/constants.js';
import { type DocumentPart, reduceLargeFields } from '../../core/audit/documentParts.js';
import { type ChainedEvent, type ChainHead, linkEvent } from '../../core/audit/linkEvent.js';
import { prepareEvent } from '../../core/audit/prepareEvent.js';
import type { AuditEvent, AuditSink } from '../../core/audit/types.js';
import { KnownChainHeads, type KnownHead } from './auditChainHeads.js';
import { type historyStartPut, KnownHistoryStart } from './auditHistoryStart.js';
import { indexedHead } from './DynamoChainHeadIndex.js';
import { AwsAdapterError } from './errors.js';
import { callAws, toAdapterError } from './toAdapterError.js';

export interface DynamoAuditSinkOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
  /** Keep events this many days (DynamoDB TTL on `expiresAt`); absent: for ever (the default). */
  retentionDays?: number;
  /** Tries to advance a contended chain head before giving up with a retryable error (default 12). */
  maxAttempts?: number;
  now?: () => Date;
  /** Waits between tries (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const DAY_SECONDS = 86_400;
/** Backoff between tries on a contended head: full jitter, doubling from 20 ms up to 1 s. */
const BACKOFF_BASE_MS = 20;
const BACKOFF_CAP_MS = 1_000;

// #18 point 4 (intentbatch): items of other tables written in the event's transaction.

/** An item another table writes in an audit append's transaction (one TransactItems entry). */
export type ExtraTransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** The audit table item of an event: the event plus the keys of its indexes (`timeKey`, `day`). */
export function auditItem(event: AuditEvent): Record<string, unknown> {
  const timeKey = `${event.time}#${event.eventId}`;
  return { ...event, timeKey, day: event.time.slice(0, 10) };
}

/**
 * Appends audit events to the audit table (partition `bucket`, sort `eventId`;
 * infra/resources/audit-table.yml) as one hash chain per bucket (lib/core/audit/linkEvent.ts).
 *
 * Recording links the event after the bucket's `#chain` head and writes, in one transaction, the head (only
 * if it is still the one linked after: same seq and hash, or none for a new chain) and the event (only if
 * its id is new), plus the parts of any document too large for the item. Event ids are deterministic, so a
 * retried worker's event is refused as a duplicate, which counts as recorded; a head another writer advanced
 * means "read it again (consistently) and retry", so concurrent writers to one chain are serialized.
 *
 * On the common path that transaction is the only request (#18 point 4): the head is one this sink wrote
 * itself, or one read with the heads of the chains its caller {@link expect}s (one BatchGetItem for a
 * reconcile batch), and the `#history` marker is read once per sink (auditHistoryStart.ts, KnownHistoryStart).
 * A chain it knows nothing of has its head read (GetItem), as does every retry.
 */
export class DynamoAuditSink implements AuditSink {
  private readonly options: DynamoAuditSinkOptions;
  private readonly heads: KnownChainHeads;
  private readonly historyStart: KnownHistoryStart;

  constructor(options: DynamoAuditSinkOptions) {
    this.options = options;
    this.heads = new KnownChainHeads({
      client: options.client,
      tableName: options.tableName,
      now: () => (options.now?.() ?? new Date()).getTime(),
      sleep: options.sleep ?? sleep,
    });
    this.historyStart = new KnownHistoryStart(options.client, options.tableName);
  }

  /**
   * The AuditSink port: the chains the next events will likely go to (a reconcile batch's buckets). Their
   * heads are read together, in one BatchGetItem, when the first of those events is recorded.
   */
  expect(buckets: readonly string[]): void {
    this.heads.expect(buckets);
  }

  /** The AuditSink port: records the event once (see {@link append}). */
  async record(event: AuditEvent): Promise<void> {
    await this.append(event);
  }

  /**
   * Records the event; resolves with it as stored, or undefined when its id was recorded before. `extra`
   * items join the event's transaction (#18 point 4: an intent's DeleteItem), written with it or not at all;
   * they must not touch the audit table's items, and a duplicate event cancels them too.
   */
  async append(
    event: AuditEvent,
    extra: readonly ExtraTransactItem[] = [],
  ): Promise<ChainedEvent | undefined> {
    const { event: reduced, parts } = reduceLargeFields(prepareEvent(event));
    const context = `TransactWriteItems ${this.options.tableName} ${event.action} ${event.eventId}`;
    const attempts = this.options.maxAttempts ?? 12;
    const { bucket } = reduced;
    // A guess (a head known, not read) comes first and only once; a refused guess is read again at once,
    // without counting as a try.
    let guess: KnownHead | undefined = await this.heads.get(bucket);
    for (let tries = 0; ; ) {
      if (guess === undefined) tries++;
      const head = guess !== undefined ? guess.head : await this.readHead(bucket);
      const linked = linkEvent(reduced, head, this.expiry(reduced.time));
      // A new chain may start the history earlier: move the `#history` marker back (auditHistoryStart.ts).
      const day = reduced.time.slice(0, 10);
      const start = head === undefined ? await this.historyStart.putFor(day) : undefined;
      try {
        await this.options.client.send(this.transaction(linked, head, parts, start, extra));
        this.heads.remember(bucket, linked.head);
        if (start !== undefined) this.historyStart.wrote(day);
        return linked.event;
      } catch (error) {
        // Whatever happened, what this sink knew of the chain's head is not to be trusted any more.
        this.heads.forget(bucket);
        const outcome = transactionOutcome(error, start !== undefined);
        if (outcome === 'duplicate') return undefined;
        if (outcome === 'failed') throw toAdapterError(error, context);
        if (guess !== undefined) {
          guess = undefined;
          continue;
        }
        if (tries >= attempts) {
          throw new AwsAdapterError({
            code: 'AuditChainContention',
            message: `${context}: the chain head of ${reduced.bucket} kept moving (${attempts} tries)`,
            retryable: true,
            cause: error,
          });
        }
      }
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** tries);
      await (this.options.sleep ?? sleep)((this.options.random ?? Math.random)() * ceiling);
    }
  }

  private async readHead(bucket: string): Promise<ChainHead | undefined> {
    const { tableName, client } = this.options;
    const { Item } = await callAws(`GetItem ${tableName} ${bucket} ${CHAIN_HEAD_ID}`, () =>
      client.send(
        new GetCommand({
          TableName: tableName,
          Key: { bucket, eventId: CHAIN_HEAD_ID },
          ConsistentRead: true,
        }),
      ),
    );
    return Item as ChainHead | undefined;
  }

  /** `expiresAt` from the event's time (or now, if it has none that parses), when retention is on. */
  private expiry(time: string): { expiresAt?: number } {
    const days = this.options.retentionDays;
    if (days === undefined) return {};
    const parsed = Date.parse(time);
    const from = Number.isNaN(parsed) ? (this.options.now?.() ?? new Date()).getTime() : parsed;
    return { expiresAt: Math.floor(from / 1000) + days * DAY_SECONDS };
  }

  private transaction(
    linked: ReturnType<typeof linkEvent>,
    read: ChainHead | undefined,
    parts: DocumentPart[],
    start: ReturnType<typeof historyStartPut>,
    extra: readonly ExtraTransactItem[],
  ) {
    const TableName = this.options.tableName;
    const isNew = 'attribute_not_exists(eventId)';
    // Parts expire with their event; the head never does (verify needs it to see a missing tail).
    const expiresAt = linked.event.expiresAt;
    return new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName,
            // Listed by the head index, for the digests (lib/adapters/aws/DynamoChainHeadIndex.ts).
            Item: indexedHead(linked.head, linked.event.time),
            ...(read === undefined
              ? { ConditionExpression: isNew }
              : {
                  // The hash too: a head known from earlier must be that very head, not one of a chain
                  // deleted and started again since with the same seq.
                  ConditionExpression: '#seq = :seq AND #hash = :hash',
                  ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash' },
                  ExpressionAttributeValues: { ':seq': read.seq, ':hash': read.hash },
                }),
          },
        },
        { Put: { TableName, Item: auditItem(linked.event), ConditionExpression: isNew } },
        ...(start === undefined ? [] : [start]),
        ...parts.map((part) => ({
          Put: {
            TableName,
            Item: { ...part, ...(expiresAt !== undefined && { expiresAt }) },
            ConditionExpression: isNew,
          },
        })),
        // Last, so that the items above keep their places in the cancellation reasons.
        ...extra,
      ],
    });
  }
}

/**
 * What a failed transaction means (items in order: head, event, the `#history` marker when `withStart`,
 * parts): the event exists already (a retried worker), the head or the marker moved or another
 * transaction held an item (try again), or anything else.
 */
function transactionOutcome(error: unknown, withStart: boolean): 'duplicate' | 'contended' | 'failed' {
  const { name, CancellationReasons } = error as {
    name?: string;
    CancellationReasons?: { Code?: string }[];
  };
  if (name === 'TransactionConflictException') return 'contended';
  if (name !== 'TransactionCanceledException' || !Array.isArray(CancellationReasons)) return 'failed';
  const codes = CancellationReasons.map((reason) => reason?.Code ?? 'None');
  if (codes[1] === 'ConditionalCheckFailed') return 'duplicate';
  const moved = (index: number) => codes[index] === 'ConditionalCheckFailed';
  if (moved(0) || (withStart && moved(2)) || codes.some((code) => RETRY_CODES.has(code))) return 'contended';
  return 'failed';
}

/** Cancellation reasons worth another try: another transaction held an item, or DynamoDB throttled. */
const RETRY_CODES = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
