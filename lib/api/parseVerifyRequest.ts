import { BadParameterError } from './errors.js';
import { bucketValue, timeValue } from './paramValues.js';
import { many, rejectUnknown, single } from './queryParams.js';
import type { QueryParams } from './types.js';

/** Most buckets one `GET /verify` names: each is a chain read, and the viewer asks for all of them anyway. */
export const MAX_VERIFY_BUCKETS = 100;

/** What `GET /verify` checks without parameters: the chains changed in this window (never the whole table). */
export const DEFAULT_VERIFY_SINCE = '7d';

/** `GET /verify`, validated: whole chains of the named buckets, or only what changed since a time. */
export interface VerifyRequest {
  /** These buckets' chains (whole, or from `since` when given too). */
  buckets?: string[];
  /** ISO 8601 UTC: check only the chains changed since then, each from the event before the window on. */
  since?: string;
}

/**
 * `GET /verify[?bucket=B]…[&since=T]`: the named buckets' chains (whole, or from `since`), or, without a
 * bucket, every chain changed since `since` (default 7d ago: per page load the window is read, not the
 * table). Throws {@link BadParameterError} naming the first bad parameter.
 */
export function parseVerifyRequest(params: QueryParams, now: Date): VerifyRequest {
  rejectUnknown(params, ['bucket', 'since']);
  const buckets = many(params, 'bucket').map((bucket) => bucketValue('bucket', bucket));
  if (buckets.length > MAX_VERIFY_BUCKETS)
    throw new BadParameterError('bucket', `given ${buckets.length} times; at most ${MAX_VERIFY_BUCKETS}`);
  const given = single(params, 'since');
  const since =
    given !== undefined
      ? timeValue('since', given, now)
      : buckets.length === 0
        ? timeValue('since', DEFAULT_VERIFY_SINCE, now)
        : undefined;
  return {
    ...(buckets.length > 0 && { buckets: [...new Set(buckets)] }),
    ...(since !== undefined && { since }),
  };
}
