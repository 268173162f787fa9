import { mapLimit } from '../../core/concurrency/mapLimit.js';
import type { DeliveryResult } from '../../core/delivery/types.js';
import { PortError } from '../../core/reconcile/portError.js';
import { describeFailure } from '../../core/reconcile/reconcileErrors.js';
import { type BucketDeliveryDeps, checkBucketDelivery } from './checkBucketDelivery.js';

/** Every bucket's results, in the order of the buckets, and the buckets that could not be checked. */
export interface DeliveryReport {
  results: DeliveryResult[];
  errors: { bucket: string; message: string }[];
}

/**
 * Checks the delivery of many buckets, `concurrency` at a time; one bucket's AWS failure is reported
 * and never stops the others (anything else is a bug and is thrown).
 */
export async function checkBuckets(
  buckets: readonly string[],
  depsFor: (bucket: string) => BucketDeliveryDeps,
  options: { concurrency?: number; progress?: (done: number, total: number) => void } = {},
): Promise<DeliveryReport> {
  let done = 0;
  options.progress?.(0, buckets.length);
  const perBucket = await mapLimit(buckets, options.concurrency ?? 8, async (bucket) => {
    let entry: DeliveryResult[] | { error: string };
    try {
      entry = await checkBucketDelivery(bucket, depsFor(bucket));
    } catch (error) {
      if (!(error instanceof PortError)) throw error;
      entry = { error: describeFailure(error) };
    }
    options.progress?.(++done, buckets.length);
    return entry;
  });
  const report: DeliveryReport = { results: [], errors: [] };
  perBucket.forEach((entry, index) => {
    if (Array.isArray(entry)) report.results.push(...entry);
    else report.errors.push({ bucket: buckets[index]!, message: entry.error });
  });
  return report;
}
