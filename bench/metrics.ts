import type { CallCounts, LatencyByService } from './types.js';

/** The DynamoDB operations that write (a BatchWriteItem or TransactWriteItems counts once per call). */
export const DYNAMODB_WRITES = [
  'dynamodb.PutItem',
  'dynamodb.UpdateItem',
  'dynamodb.DeleteItem',
  'dynamodb.BatchWriteItem',
  'dynamodb.TransactWriteItems',
] as const;

/** `s3` of `s3.ListBucketInventoryConfigurations`. */
export function serviceOf(operation: string): string {
  const dot = operation.indexOf('.');
  return dot === -1 ? operation : operation.slice(0, dot);
}

/**
 * The least wall time the calls could take: every call waits its service's injected latency, and
 * `concurrency` workers wait side by side. Σ(calls × latency) ÷ concurrency, in ms.
 * @example floorMs({ 's3.ListBucketInventoryConfigurations': 100 }, { s3: 20 }, 8) // 250
 */
export function floorMs(calls: CallCounts, latency: LatencyByService, concurrency: number): number {
  if (!(concurrency > 0)) throw new RangeError(`concurrency must be positive, not ${concurrency}`);
  let total = 0;
  for (const [operation, count] of Object.entries(calls))
    total += count * (latency[serviceOf(operation)] ?? 0);
  return total / concurrency;
}

/** wall ÷ floor; undefined when the floor is 0 (no call had latency). */
export function floorRatio(wallMs: number, floor: number): number | undefined {
  return floor > 0 ? wallMs / floor : undefined;
}

/**
 * The nearest-rank percentile (`p` in 0–100): the smallest value with at least p% of the values at or
 * below it. Undefined for no values. p95 of 20 values is the 19th smallest.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (p < 0 || p > 100) throw new RangeError(`percentile must be 0–100, not ${p}`);
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** The median (p50, nearest rank). */
export function median(values: readonly number[]): number | undefined {
  return percentile(values, 50);
}

/** Calls per bucket by operation, largest first, then by name. */
export function callsPerBucket(calls: CallCounts, buckets: number): CallCounts {
  if (!(buckets > 0)) throw new RangeError(`buckets must be positive, not ${buckets}`);
  const entries = Object.entries(calls)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([operation, count]) => [operation, count / buckets]));
}

/** Calls per bucket summed by service (`s3`, `kms`, …). */
export function serviceCallsPerBucket(calls: CallCounts, buckets: number): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [operation, count] of Object.entries(calls)) {
    const service = serviceOf(operation);
    totals[service] = (totals[service] ?? 0) + count;
  }
  return callsPerBucket(totals, buckets);
}

/** DynamoDB write calls among the counts. */
export function dynamoWrites(calls: CallCounts): number {
  return DYNAMODB_WRITES.reduce((sum, operation) => sum + (calls[operation] ?? 0), 0);
}

/**
 * How wall time grows with N: the least-squares slope of log(wall) against log(N). 1 is linear, below 1
 * is sublinear (fixed costs still show at small N), 2 quadratic. Undefined with fewer than two sizes.
 */
export function growthExponent(points: readonly { buckets: number; wallMs: number }[]): number | undefined {
  const usable = points.filter((point) => point.buckets > 0 && point.wallMs > 0);
  if (new Set(usable.map((point) => point.buckets)).size < 2) return undefined;
  const xs = usable.map((point) => Math.log(point.buckets));
  const ys = usable.map((point) => Math.log(point.wallMs));
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  let covariance = 0;
  let variance = 0;
  for (let index = 0; index < xs.length; index++) {
    covariance += (xs[index]! - meanX) * (ys[index]! - meanY);
    variance += (xs[index]! - meanX) ** 2;
  }
  return covariance / variance;
}

/**
 * The calls that cost the floor, largest first: each operation's share of Σ(calls × latency). Why a
 * sweep is as slow as it is, in the order worth fixing.
 */
export function floorShares(
  calls: CallCounts,
  latency: LatencyByService,
): { operation: string; share: number; ms: number }[] {
  const costs = Object.entries(calls)
    .map(([operation, count]) => ({ operation, ms: count * (latency[serviceOf(operation)] ?? 0) }))
    .filter((cost) => cost.ms > 0);
  const total = costs.reduce((sum, cost) => sum + cost.ms, 0);
  return costs
    .sort((a, b) => b.ms - a.ms || (a.operation < b.operation ? -1 : 1))
    .map((cost) => ({ ...cost, share: cost.ms / total }));
}

/** Every service's injected latency multiplied by `factor`, rounded to whole milliseconds. */
export function scaleLatency(latency: LatencyByService, factor: number): LatencyByService {
  return Object.fromEntries(
    Object.entries(latency).map(([service, ms]) => [service, Math.round(ms * factor)]),
  );
}
