import type { AuditQuery } from '../core/audit/types.js';
import { BadParameterError } from './errors.js';
import { actionValue, bucketValue, integerValue, timeValue } from './paramValues.js';
import { rejectUnknown, single } from './queryParams.js';
import type { QueryParams } from './types.js';

/** Events a page holds by default, and at most (DynamoDB reads stay small, the page stays quick). */
export const EVENTS_LIMIT = { default: 100, max: 500 } as const;

/** `GET /events`, validated: the audit query, the page size and the token of the page to continue from. */
export interface EventsRequest {
  query: AuditQuery;
  limit: number;
  next?: string;
}

const PARAMS = ['bucket', 'since', 'until', 'run', 'action', 'limit', 'next'] as const;

/**
 * `GET /events?bucket=B&since=T&until=T&run=R&action=A&limit=N&next=TOKEN`: the filters of
 * `s3ir audit` (same names, same time syntax), each at most once. Throws {@link BadParameterError}
 * naming the first bad parameter.
 */
export function parseEventsRequest(params: QueryParams, now: Date): EventsRequest {
  rejectUnknown(params, PARAMS);
  const bucket = single(params, 'bucket');
  const since = single(params, 'since');
  const until = single(params, 'until');
  const run = single(params, 'run');
  const action = single(params, 'action');
  const limit = single(params, 'limit');
  const next = single(params, 'next');
  const query: AuditQuery = {
    ...(bucket !== undefined && { bucket: bucketValue('bucket', bucket) }),
    ...(run !== undefined && { runId: run }),
    ...(action !== undefined && { action: actionValue('action', action) }),
    ...(since !== undefined && { since: timeValue('since', since, now) }),
    ...(until !== undefined && { until: timeValue('until', until, now) }),
  };
  if (query.since !== undefined && query.until !== undefined && query.since > query.until)
    throw new BadParameterError('since', `${query.since} is after until (${query.until})`);
  return {
    query,
    limit: limit === undefined ? EVENTS_LIMIT.default : integerValue('limit', limit, 1, EVENTS_LIMIT.max),
    ...(next !== undefined && { next }),
  };
}
