import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { DOCUMENT_ID_PREFIX } from '../../core/audit/constants.js';
import { referencedDocuments, restoreDocuments } from '../../core/audit/documentParts.js';
import { InvalidAuditQueryError, InvalidPageTokenError } from '../../core/audit/errors.js';
import { decodePageToken, encodePageToken, type PageState } from '../../core/audit/pageToken.js';
import type { AuditEvent, AuditPage, AuditQuery } from '../../core/audit/types.js';
import { mapLimit } from '../../core/concurrency/mapLimit.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { readHistoryStart } from './auditHistoryStart.js';
import { type AuditReadPlan, type IndexKey, planAuditRead } from './auditReadPlan.js';
import type { ClientFactory } from './ClientFactory.js';
import { documentClient } from './documentClient.js';
import { queryAllItems } from './readAllItems.js';
import { callAws } from './toAdapterError.js';

export type { AuditPage, AuditQuery } from '../../core/audit/types.js';

/** A page's `byDay` Queries at most (issue 16: a first page reads at most 2 DynamoDB pages). */
const DEFAULT_DAYS_PER_PAGE = 2;

export interface DynamoAuditReaderOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
  /**
   * Days one page reads at most through `byDay` before handing out a `next` token (default 2): a page costs at
   * most 2 Queries whatever the table's size or how thin its days are; a short page carries `next`, which the
   * CLI and the viewer follow until they have what they show.
   */
  maxDaysPerPage?: number;
  now?: () => Date;
}

/** What `page()` takes: how many events at most (1..1000) and the `next` token of the page before. */
export interface AuditPageOptions {
  limit: number;
  next?: string;
}

/** The largest page `page()` hands out. */
export const MAX_AUDIT_PAGE = 1000;

const DAY_MS = 86_400_000;
/** Days a whole read (`query()`) asks for at once. */
const DAYS_AT_ONCE = 8;

type Item = Record<string, unknown>;
type Slice = { items: Item[]; next?: PageState };

/**
 * Reads the audit table (infra/resources/audit-table.yml) newest first, through the index that fits the
 * query (lib/adapters/aws/auditReadPlan.ts), never with a Scan: whole (`query`) or a page at a time (`page`,
 * with an opaque `next` token). Without a bucket, run or action it walks `byDay` back from the newest day,
 * stopping when the page is full, at `since`, or at the day the history starts (the `#history` marker,
 * lib/adapters/aws/auditHistoryStart.ts); a page reads at most `maxDaysPerPage` days (2), so quiet days cost
 * short pages that carry `next`, never an unbounded request. Expired events and the chain's own items are never returned;
 * documents stored in parts come back whole.
 */
export class DynamoAuditReader {
  private readonly options: DynamoAuditReaderOptions;

  constructor(options: DynamoAuditReaderOptions) {
    this.options = options;
  }

  /** Every event that matches, newest first. */
  async query(query: AuditQuery): Promise<AuditEvent[]> {
    return (await this.read(query, undefined, undefined)).events;
  }

  /**
   * At most `limit` events that match, newest first, and a `next` token while more may follow (the last
   * page may come back empty).
   * @throws InvalidAuditQueryError for a limit out of 1..1000; InvalidPageTokenError for a `next` token
   *   that is malformed or was handed out for another query
   */
  async page(query: AuditQuery, options: AuditPageOptions): Promise<AuditPage> {
    const { limit } = options;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE)
      throw new InvalidAuditQueryError(
        `limit must be a whole number from 1 to ${MAX_AUDIT_PAGE}, not ${limit}`,
      );
    return this.read(query, limit, options.next);
  }

  private async read(
    query: AuditQuery,
    limit: number | undefined,
    next: string | undefined,
  ): Promise<AuditPage> {
    const plan = planAuditRead(query, {
      tableName: this.options.tableName,
      now: this.options.now?.() ?? new Date(),
    });
    const state = next === undefined ? {} : decodePageToken(query, next);
    const slice = await this.slice(plan, state, limit);
    const events = await Promise.all(slice.items.map((item) => this.withDocuments(toEvent(item))));
    return { events, ...(slice.next !== undefined && { next: encodePageToken(query, slice.next) }) };
  }

  private slice(plan: AuditReadPlan, state: PageState, limit: number | undefined): Promise<Slice> {
    if (state.after !== undefined)
      throw new InvalidPageTokenError('it holds a position of another kind of query');
    if (plan.kind === 'days') return this.fromDays(plan, state, limit);
    if (state.day !== undefined)
      throw new InvalidPageTokenError('it holds a day, this query is not read by day');
    return this.fromIndex(plan.input, plan.key, state.key, limit);
  }

  /** Reads one index partition from `start` until `limit` events (all, without a limit). */
  private async fromIndex(
    input: QueryCommandInput,
    key: IndexKey,
    start: Record<string, string> | undefined,
    limit: number | undefined,
  ): Promise<Slice & { lastKey?: Record<string, string> }> {
    if (start !== undefined) checkStartKey(start, key);
    const items: Item[] = [];
    let position: Item | undefined = start;
    do {
      const remaining = limit === undefined ? undefined : limit - items.length;
      const page = await callAws(`Query ${input.TableName} ${input.IndexName}`, () =>
        this.options.client.send(
          new QueryCommand({ ...input, ExclusiveStartKey: position, ...(remaining && { Limit: remaining }) }),
        ),
      );
      items.push(...(page.Items ?? []));
      position = page.LastEvaluatedKey;
    } while (position !== undefined && (limit === undefined || items.length < limit));
    const lastKey = position as Record<string, string> | undefined;
    return { items, ...(lastKey !== undefined && { next: { key: lastKey }, lastKey }) };
  }

  /**
   * Day after day (newest first), each through `byDay`, until `limit` events, the oldest day of the span,
   * or `maxDaysPerPage` days read (a page, not a whole walk, when there is a limit).
   */
  private async fromDays(
    plan: Extract<AuditReadPlan, { kind: 'days' }>,
    state: PageState,
    limit: number | undefined,
  ): Promise<Slice> {
    let day = state.day ?? plan.newest;
    if (day > plan.newest || (plan.oldest !== undefined && day < plan.oldest))
      throw new InvalidPageTokenError(`its day ${day} is outside the query's span`);
    // The `#history` marker is read only once a page must look past the day it started on.
    let oldest = plan.oldest ?? day;
    let known = plan.oldest !== undefined;
    const pastFirstDay = async () => {
      if (!known) oldest = await this.historyStart(plan.newest);
      known = true;
    };
    if (limit === undefined) {
      await pastFirstDay();
      return { items: await this.everyDay(plan, day, oldest, state.key) };
    }
    const budget = this.options.maxDaysPerPage ?? DEFAULT_DAYS_PER_PAGE;
    let start = state.key;
    let read = 0;
    const items: Item[] = [];
    while (day >= oldest && read < budget && items.length < limit) {
      const found = await this.fromIndex(plan.inputFor(day), plan.key(day), start, limit - items.length);
      items.push(...found.items);
      read++;
      start = found.lastKey;
      if (start !== undefined) break;
      day = dayBefore(day);
      if (day < oldest && items.length < limit) await pastFirstDay();
    }
    const next = { day, ...(start !== undefined && { key: start }) };
    // A full page need not know where the history starts: the next page finds out.
    if (!known && items.length >= limit) return { items, next };
    if (day < oldest) await pastFirstDay();
    return day < oldest ? { items } : { items, next };
  }

  /** Every event from `newest` (after `start` in it) back to `oldest`: days read 8 at a time, kept in order. */
  private async everyDay(
    plan: Extract<AuditReadPlan, { kind: 'days' }>,
    newest: string,
    oldest: string,
    start: Record<string, string> | undefined,
  ): Promise<Item[]> {
    const days: string[] = [];
    for (let day = newest; day >= oldest; day = dayBefore(day)) days.push(day);
    const read = await mapLimit(days, DAYS_AT_ONCE, async (day, index) => {
      const found = await this.fromIndex(
        plan.inputFor(day),
        plan.key(day),
        index === 0 ? start : undefined,
        undefined,
      );
      return found.items;
    });
    return read.flat();
  }

  /**
   * The oldest day a walk without `since` reads: the day before the `#history` marker's (events of a
   * chain's first day may carry a time a little earlier, from another writer's clock). No marker: no chain
   * was ever created (or only before the marker existed): only `newest` is read.
   */
  private async historyStart(newest: string): Promise<string> {
    const marked = await readHistoryStart(this.options.client, this.options.tableName);
    return marked === undefined ? newest : dayBefore(marked);
  }

  /** The event with its documents put back whole from their parts (one Query of its partition). */
  private async withDocuments(event: AuditEvent): Promise<AuditEvent> {
    if (referencedDocuments(event as unknown as Item).length === 0) return event;
    const parts = await queryAllItems(this.options.client, {
      TableName: this.options.tableName,
      KeyConditionExpression: '#bucket = :bucket AND begins_with(#eventId, :prefix)',
      ExpressionAttributeNames: { '#bucket': 'bucket', '#eventId': 'eventId' },
      ExpressionAttributeValues: {
        ':bucket': event.bucket,
        ':prefix': `${DOCUMENT_ID_PREFIX}${event.eventId}#`,
      },
      ConsistentRead: true,
    });
    return restoreDocuments(event, parts);
  }
}

/** The day (YYYY-MM-DD) before `day`. */
function dayBefore(day: string): string {
  return new Date(Date.parse(day) - DAY_MS).toISOString().slice(0, 10);
}

/** A token's LastEvaluatedKey must be one of this index partition's (DynamoDB would refuse it less clearly). */
function checkStartKey(start: Record<string, string>, key: IndexKey): void {
  const names = Object.keys(start).sort(compareCodeUnits);
  const expected = [...key.attributes].sort(compareCodeUnits);
  if (names.join() !== expected.join() || start[key.name] !== key.value)
    throw new InvalidPageTokenError("its position does not belong to this query's index");
}

/** The event as the Contract prints it: the item without its index keys (chain fields are kept). */
function toEvent(item: Item): AuditEvent {
  const { timeKey: _timeKey, day: _day, ...event } = item;
  return event as unknown as AuditEvent;
}

/** A document client over the factory's home DynamoDB client (the CLI holds none of its own). */
export async function auditTableClient(factory: ClientFactory): Promise<DynamoDBDocumentClient> {
  return documentClient(factory);
}

/** A reader over the factory's home DynamoDB client. */
export async function auditReaderFor(factory: ClientFactory, tableName: string): Promise<DynamoAuditReader> {
  return new DynamoAuditReader({ client: await auditTableClient(factory), tableName });
}
