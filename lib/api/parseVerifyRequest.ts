import { BadParameterError } from './errors.js';
import { bucketValue } from './paramValues.js';
import { many, rejectUnknown } from './queryParams.js';
import type { QueryParams } from './types.js';

/** Most buckets one `GET /verify` names: each is a chain read, and the viewer asks for all of them anyway. */
export const MAX_VERIFY_BUCKETS = 100;

/**
 * `GET /verify[?bucket=B]…`: the buckets whose hash chains to check, undefined for every bucket.
 * Throws {@link BadParameterError} naming the first bad parameter.
 */
export function parseVerifyRequest(params: QueryParams): { buckets?: string[] } {
  rejectUnknown(params, ['bucket']);
  const buckets = many(params, 'bucket').map((bucket) => bucketValue('bucket', bucket));
  if (buckets.length > MAX_VERIFY_BUCKETS)
    throw new BadParameterError('bucket', `given ${buckets.length} times; at most ${MAX_VERIFY_BUCKETS}`);
  return buckets.length === 0 ? {} : { buckets: [...new Set(buckets)] };
}
