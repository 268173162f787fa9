import { AwsAdapterError } from '../aws/errors.js';
import { describeFailure } from '../reconcile/reconcileErrors.js';
import { type BucketDeliveryDeps, checkBucketDelivery } from './checkBucketDelivery.js';
import type { DeliveryResult } from './types.js';

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
  const perBucket: (DeliveryResult[] | { error: string })[] = new Array(buckets.length);
  let next = 0;
  let done = 0;
  options.progress?.(0, buckets.length);
  const worker = async () => {
    while (next < buckets.length) {
      const index = next++;
      const bucket = buckets[index]!;
      try {
        perBucket[index] = await checkBucketDelivery(bucket, depsFor(bucket));
      } catch (error) {
        if (!(error instanceof AwsAdapterError)) throw error;
        perBucket[index] = { error: describeFailure(error) };
      }
      options.progress?.(++done, buckets.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, buckets.length) }, worker));
  const report: DeliveryReport = { results: [], errors: [] };
  perBucket.forEach((entry, index) => {
    if (Array.isArray(entry)) report.results.push(...entry);
    else report.errors.push({ bucket: buckets[index]!, message: entry.error });
  });
  return report;
}
