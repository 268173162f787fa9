import type { DeliverOptions } from './types.js';

/** A `POST /_local/deliver` body that cannot be used. */
export class DeliverOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliverOptionsError';
  }
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads the optional body of `POST /_local/deliver`: `{ "now"?: ISO 8601, "buckets"?: [names] }`.
 * An empty body means now and every bucket.
 * @throws DeliverOptionsError naming the field and the reason.
 */
export function parseDeliverOptions(body: unknown, clock: () => Date = () => new Date()): DeliverOptions {
  if (body === undefined) return { now: clock() };
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new DeliverOptionsError('the body must be a JSON object {"now"?: ISO 8601, "buckets"?: [...]}');
  const { now, buckets, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new DeliverOptionsError(`unknown field(s) ${unknown.join(', ')}; known: now, buckets`);
  let at = clock();
  if (now !== undefined) {
    if (typeof now !== 'string' || !ISO_8601.test(now) || Number.isNaN(Date.parse(now)))
      throw new DeliverOptionsError('"now" must be an ISO 8601 time with a zone, e.g. 2024-05-01T00:00:00Z');
    at = new Date(now);
  }
  if (buckets === undefined) return { now: at };
  if (!Array.isArray(buckets) || !buckets.every((name) => typeof name === 'string' && name !== ''))
    throw new DeliverOptionsError('"buckets" must be an array of bucket names');
  return { now: at, buckets: buckets as string[] };
}
