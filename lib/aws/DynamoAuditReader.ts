import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../audit/types.js';
import type { ClientFactory } from './ClientFactory.js';
import { callAws } from './toAdapterError.js';

export interface DynamoAuditReaderOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
  /** Longest `since`..`until` span read day by day through `byDay`; longer spans Scan (default 92 days). */
  maxDays?: number;
  now?: () => Date;
}

/** Which events to read; every field narrows. Times are ISO 8601 UTC, both ends inclusive. */
export interface AuditQuery {
  bucket?: string;
  runId?: string;
  action?: string;
  since?: string;
  until?: string;
}

const DAY_MS = 86_400_000;
/** Sorts after `#` and every hex digit, so `${until}~` bounds every timeKey of that instant. */
const AFTER_EVENT_IDS = '~';

/**
 * Reads the audit table (infra/resources/audit-table.yml) through the index that fits the query, newest
 * first: one run by `byRun`, one bucket by the `byTime` LSI, a time span by `byDay`, day by day; anything
 * else Scans. `timeKey` (`time#eventId`) bounds the span; other filters are FilterExpressions.
 */
export class DynamoAuditReader {
  private readonly options: DynamoAuditReaderOptions;

  constructor(options: DynamoAuditReaderOptions) {
    this.options = options;
  }

  async query(query: AuditQuery): Promise<AuditEvent[]> {
    const filters: Filter[] = [];
    if (query.action !== undefined) filters.push(['action', query.action]);
    if (query.runId !== undefined) {
      if (query.bucket !== undefined) filters.push(['bucket', query.bucket]);
      return this.collect(this.queryInput('byRun', 'runId', query.runId, query, filters));
    }
    if (query.bucket !== undefined) {
      return this.collect(this.queryInput('byTime', 'bucket', query.bucket, query, filters));
    }
    const days = query.since === undefined ? undefined : this.daysOf(query.since, query.until);
    if (days === undefined) return this.scan(query, filters);
    const events: AuditEvent[] = [];
    for (const day of days)
      events.push(...(await this.collect(this.queryInput('byDay', 'day', day, query, filters))));
    return events;
  }

  /** The days from `until` (or today) back to `since`, newest first; undefined when too many. */
  private daysOf(since: string, until: string | undefined): string[] | undefined {
    const first = Date.parse(since.slice(0, 10));
    const last = Date.parse((until ?? (this.options.now?.() ?? new Date()).toISOString()).slice(0, 10));
    const count = Math.floor((last - first) / DAY_MS) + 1;
    if (count > (this.options.maxDays ?? 92)) return undefined;
    return Array.from({ length: Math.max(count, 0) }, (_, i) =>
      new Date(last - i * DAY_MS).toISOString().slice(0, 10),
    );
  }

  private queryInput(index: string, name: string, value: string, query: AuditQuery, filters: Filter[]) {
    const range = timeRange(query);
    const expression = buildFilter(filters);
    const input: QueryCommandInput = {
      TableName: this.options.tableName,
      IndexName: index,
      KeyConditionExpression: `#key = :key${range.expression ? ` AND ${range.expression}` : ''}`,
      ExpressionAttributeNames: { '#key': name, ...range.names, ...expression.names },
      ExpressionAttributeValues: { ':key': value, ...range.values, ...expression.values },
      ScanIndexForward: false,
      ...(expression.expression && { FilterExpression: expression.expression }),
    };
    return input;
  }

  private async collect(input: QueryCommandInput): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await callAws(`Query ${this.options.tableName} ${input.IndexName}`, () =>
        this.options.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start })),
      );
      events.push(...(page.Items ?? []).map(toEvent));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return events;
  }

  private async scan(query: AuditQuery, filters: Filter[]): Promise<AuditEvent[]> {
    const range = timeRange(query);
    const expression = buildFilter(filters, range.expression);
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const names = { ...range.names, ...expression.names };
      const values = { ...range.values, ...expression.values };
      const page = await callAws(`Scan ${this.options.tableName}`, () =>
        this.options.client.send(
          new ScanCommand({
            TableName: this.options.tableName,
            ExclusiveStartKey: start,
            ...(expression.expression && {
              FilterExpression: expression.expression,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            }),
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    items.sort((a, b) =>
      String(a.timeKey) < String(b.timeKey) ? 1 : String(a.timeKey) > String(b.timeKey) ? -1 : 0,
    );
    return items.map(toEvent);
  }
}

type Filter = [attribute: string, value: string];

function timeRange(query: AuditQuery) {
  const names = { '#timeKey': 'timeKey' };
  const upper = query.until === undefined ? undefined : `${query.until}${AFTER_EVENT_IDS}`;
  if (query.since !== undefined && upper !== undefined) {
    return {
      expression: '#timeKey BETWEEN :since AND :until',
      names,
      values: { ':since': query.since, ':until': upper },
    };
  }
  if (query.since !== undefined)
    return { expression: '#timeKey >= :since', names, values: { ':since': query.since } };
  if (upper !== undefined) return { expression: '#timeKey <= :until', names, values: { ':until': upper } };
  return { expression: '', names: {}, values: {} };
}

function buildFilter(filters: Filter[], extra = '') {
  const names: Record<string, string> = {};
  const values: Record<string, string> = {};
  const terms = filters.map(([attribute, value], i) => {
    names[`#f${i}`] = attribute;
    values[`:f${i}`] = value;
    return `#f${i} = :f${i}`;
  });
  if (extra) terms.push(extra);
  return { expression: terms.join(' AND '), names, values };
}

/** The event as the Contract prints it: the item without its index keys. */
function toEvent(item: Record<string, unknown>): AuditEvent {
  const { timeKey: _timeKey, day: _day, ...event } = item;
  return event as unknown as AuditEvent;
}

/** A reader over the factory's home DynamoDB client (for the CLI, which holds no document client of its own). */
export async function auditReaderFor(factory: ClientFactory, tableName: string): Promise<DynamoAuditReader> {
  const client = DynamoDBDocumentClient.from(await factory.client(DynamoDBClient));
  return new DynamoAuditReader({ client, tableName });
}
