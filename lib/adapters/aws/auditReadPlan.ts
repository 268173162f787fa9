import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { UnboundedAuditQueryError } from '../../core/audit/errors.js';
import type { AuditQuery } from '../../core/audit/types.js';

/**
 * How to read a query's events from the audit table (infra/resources/audit-table.yml), newest first. Never
 * a Scan (docs/aws-facts.md, "Audit reads without a Scan"):
 * - `query`: one index partition: a run by `byRun`, a bucket by the `byTime` LSI, an action by `byAction`;
 * - `days`: no bucket, run or action: `byDay`, one day after another from `newest` back to `oldest` (the
 *   `since` day; without `since`, the day the history starts, which the reader looks up).
 * `timeKey` (`time#eventId`) bounds the span; a second filter, expired events (TTL deletes lazily) and
 * the chain's own items are FilterExpressions.
 */
export type AuditReadPlan =
  | { kind: 'query'; input: QueryCommandInput; key: IndexKey }
  | {
      kind: 'days';
      /** The newest day to read (YYYY-MM-DD): `until`'s, else today's. */
      newest: string;
      /** The oldest day to read: `since`'s; undefined: down to the history's first day. */
      oldest?: string;
      inputFor: (day: string) => QueryCommandInput;
      key: (day: string) => IndexKey;
    };

/** The partition a Query reads, and the attributes its LastEvaluatedKey holds (to check a page token). */
export interface IndexKey {
  name: string;
  value: string;
  attributes: string[];
}

export interface AuditReadPlanOptions {
  tableName: string;
  now: Date;
}

/** Sorts after `#` and every hex digit, so `${until}~` bounds every timeKey of that instant. */
const AFTER_EVENT_IDS = '~';
const TABLE_KEY = ['bucket', 'eventId'];

type Filter = [attribute: string, value: string];
interface Expression {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * A filter no index key serves, so that answering it means reading a whole partition and dropping what
 * does not match: `action` with `bucket` (the bucket's history, filtered). Such a query must give `since`,
 * which bounds the read; a run's events are bounded by the run, so filters on a run need no bound.
 * Undefined when the query is served by keys alone or is bounded.
 */
export function unboundedFilter(query: AuditQuery): { filter: 'action'; index: 'bucket' } | undefined {
  if (query.runId !== undefined || query.since !== undefined) return undefined;
  if (query.bucket !== undefined && query.action !== undefined) return { filter: 'action', index: 'bucket' };
  return undefined;
}

/**
 * The plan for a query: the index that fits it best.
 * @throws UnboundedAuditQueryError for a filter no index serves and no time bound limits ({@link unboundedFilter})
 */
export function planAuditRead(query: AuditQuery, options: AuditReadPlanOptions): AuditReadPlan {
  const unbounded = unboundedFilter(query);
  if (unbounded !== undefined) throw new UnboundedAuditQueryError(unbounded.filter, unbounded.index);
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
  const key = (day: string): IndexKey => ({
    name: 'day',
    value: day,
    attributes: [...TABLE_KEY, 'day', 'timeKey'],
  });
  return {
    kind: 'days',
    newest: (query.until ?? options.now.toISOString()).slice(0, 10),
    ...(query.since !== undefined && { oldest: query.since.slice(0, 10) }),
    key,
    inputFor: (day) => queryInput('byDay', key(day), query, filters, options),
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
