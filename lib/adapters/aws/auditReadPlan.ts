import type { QueryCommandInput, ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { RESERVED_ID_PREFIX } from '../../core/audit/constants.js';
import type { AuditQuery } from '../../core/audit/types.js';

/**
 * How to read a query's events from the audit table (infra/resources/audit-table.yml), newest first:
 * - `query`: one index partition: a run by `byRun`, a bucket by the `byTime` LSI, an action by `byAction`;
 * - `days`: a time span without those filters, by `byDay`, one day (newest first) after another;
 * - `scan`: no filter, or a span longer than `maxDays`: the whole table is read and sorted, on every
 *   page (cost: the table's size in read units per page; narrow the query to avoid it).
 * `timeKey` (`time#eventId`) bounds the span; other filters, expired events (TTL deletes lazily) and
 * the chain's own items are FilterExpressions.
 */
export type AuditReadPlan =
  | { kind: 'query'; input: QueryCommandInput; key: IndexKey }
  | {
      kind: 'days';
      days: string[];
      inputFor: (day: string) => QueryCommandInput;
      key: (day: string) => IndexKey;
    }
  | { kind: 'scan'; input: ScanCommandInput };

/** The partition a Query reads, and the attributes its LastEvaluatedKey holds (to check a page token). */
export interface IndexKey {
  name: string;
  value: string;
  attributes: string[];
}

export interface AuditReadPlanOptions {
  tableName: string;
  now: Date;
  /** Longest span read day by day; longer ones Scan. */
  maxDays: number;
}

const DAY_MS = 86_400_000;
/** Sorts after `#` and every hex digit, so `${until}~` bounds every timeKey of that instant. */
const AFTER_EVENT_IDS = '~';
const TABLE_KEY = ['bucket', 'eventId'];

type Filter = [attribute: string, value: string];
interface Expression {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** The plan for a query: the index that fits it best, else a Scan. */
export function planAuditRead(query: AuditQuery, options: AuditReadPlanOptions): AuditReadPlan {
  const filters: Filter[] = [];
  if (query.action !== undefined && (query.runId !== undefined || query.bucket !== undefined))
    filters.push(['action', query.action]);
  if (query.runId !== undefined) {
    if (query.bucket !== undefined) filters.push(['bucket', query.bucket]);
    return indexPlan('byRun', 'runId', query.runId, query, filters, options);
  }
  if (query.bucket !== undefined) return indexPlan('byTime', 'bucket', query.bucket, query, filters, options);
  if (query.action !== undefined)
    return indexPlan('byAction', 'action', query.action, query, filters, options);
  const days = query.since === undefined ? undefined : daysOf(query.since, query.until, options);
  if (days !== undefined) {
    const key = (day: string): IndexKey => ({
      name: 'day',
      value: day,
      attributes: [...TABLE_KEY, 'day', 'timeKey'],
    });
    return {
      kind: 'days',
      days,
      key,
      inputFor: (day) => queryInput('byDay', key(day), query, filters, options),
    };
  }
  const range = timeRange(query);
  const live = notExpired(options.now);
  const events: Expression = {
    expression: 'NOT begins_with(#eventId, :reserved)',
    names: { '#eventId': 'eventId' },
    values: { ':reserved': RESERVED_ID_PREFIX },
  };
  const filter = combine([events, live, range]);
  return {
    kind: 'scan',
    input: {
      TableName: options.tableName,
      FilterExpression: filter.expression,
      ExpressionAttributeNames: filter.names,
      ExpressionAttributeValues: filter.values,
    },
  };
}

function indexPlan(
  index: string,
  name: string,
  value: string,
  query: AuditQuery,
  filters: Filter[],
  options: AuditReadPlanOptions,
): AuditReadPlan {
  // An LSI's LastEvaluatedKey is the table key plus its sort key; a GSI's adds its partition key.
  const attributes = name === 'bucket' ? [...TABLE_KEY, 'timeKey'] : [...TABLE_KEY, name, 'timeKey'];
  const key = { name, value, attributes };
  return { kind: 'query', key, input: queryInput(index, key, query, filters, options) };
}

function queryInput(
  index: string,
  key: IndexKey,
  query: AuditQuery,
  filters: Filter[],
  options: AuditReadPlanOptions,
): QueryCommandInput {
  const range = timeRange(query);
  const filter = combine([...filters.map(equals), notExpired(options.now)]);
  return {
    TableName: options.tableName,
    IndexName: index,
    KeyConditionExpression: `#key = :key${range.expression ? ` AND ${range.expression}` : ''}`,
    ExpressionAttributeNames: { '#key': key.name, ...range.names, ...filter.names },
    ExpressionAttributeValues: { ':key': key.value, ...range.values, ...filter.values },
    FilterExpression: filter.expression,
    ScanIndexForward: false,
  };
}

/** The days from `until` (or today) back to `since`, newest first; undefined when more than `maxDays`. */
function daysOf(
  since: string,
  until: string | undefined,
  options: AuditReadPlanOptions,
): string[] | undefined {
  const first = Date.parse(since.slice(0, 10));
  const last = Date.parse((until ?? options.now.toISOString()).slice(0, 10));
  const count = Math.floor((last - first) / DAY_MS) + 1;
  if (count > options.maxDays) return undefined;
  return Array.from({ length: Math.max(count, 0) }, (_, i) =>
    new Date(last - i * DAY_MS).toISOString().slice(0, 10),
  );
}

function timeRange(query: AuditQuery): Expression {
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

function equals([attribute, value]: Filter, i: number): Expression {
  return { expression: `#f${i} = :f${i}`, names: { [`#f${i}`]: attribute }, values: { [`:f${i}`]: value } };
}

/** Events TTL may delete but has not yet (docs/aws-facts.md §6: expiry is lazy) are not shown. */
function notExpired(now: Date): Expression {
  return {
    expression: '(attribute_not_exists(#expiresAt) OR #expiresAt > :now)',
    names: { '#expiresAt': 'expiresAt' },
    values: { ':now': Math.floor(now.getTime() / 1000) },
  };
}

function combine(parts: Expression[]): Expression {
  const used = parts.filter((part) => part.expression !== '');
  return {
    expression: used.map((part) => part.expression).join(' AND '),
    names: Object.assign({}, ...used.map((part) => part.names)),
    values: Object.assign({}, ...used.map((part) => part.values)),
  };
}
