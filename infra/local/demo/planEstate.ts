import type { ServiceDeps } from '../../../lib/aws/createServiceDeps.js';
import { AwsAdapterError } from '../../../lib/aws/errors.js';
import { factsRequestFor } from '../../../lib/reconcile/factsRequest.js';
import { plan } from '../../../lib/reconcile/plan.js';
import { describeFailure } from '../../../lib/reconcile/reconcileErrors.js';
import { sweepBuckets } from '../../../lib/reconcile/sweep.js';
import type { Plan } from '../../../lib/reconcile/types.js';

/** The plans of every bucket a sweep would reconcile, and the buckets that could not be planned. */
export interface EstatePlans {
  plans: Plan[];
  errors: { bucket: string; message: string }[];
}

/**
 * What a sweep would do, without doing it: for each bucket the scheduler would enqueue, the same reads
 * `reconcileBucket` makes (desired state, region, actual configurations, destination and key facts, one
 * facts run for all) and the pure planner. Reads only.
 */
export async function planEstate(service: ServiceDeps, runId: string): Promise<EstatePlans> {
  const buckets = await sweepBuckets({
    catalog: () => service.desired.listBuckets(),
    buckets: service.catalog,
  });
  const result: EstatePlans = { plans: [], errors: [] };
  const outcomes = new Array<Plan | { bucket: string; message: string } | undefined>(buckets.length);
  let next = 0;
  const worker = async () => {
    while (next < buckets.length) {
      const index = next++;
      outcomes[index] = await planOne(buckets[index]!, service, runId);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, buckets.length) }, worker));
  for (const outcome of outcomes) {
    if (outcome === undefined) continue;
    if ('message' in outcome) result.errors.push(outcome);
    else result.plans.push(outcome);
  }
  return result;
}

async function planOne(
  bucket: string,
  service: ServiceDeps,
  runId: string,
): Promise<Plan | { bucket: string; message: string } | undefined> {
  const deps = service.reconcileDepsFor({ bucket, runId });
  try {
    const desired = await deps.desired.getBucket(bucket);
    if (!desired) return undefined;
    const region = desired.region ?? (await deps.facts.bucketRegion(bucket, desired.account));
    const scope = { bucket, region, ...(desired.account !== undefined && { account: desired.account }) };
    const actual = await deps.inventoryFor(scope).list(bucket);
    const facts = await deps.facts.read(factsRequestFor(desired, actual, region));
    return plan(desired, actual, facts, deps.limits);
  } catch (error) {
    if (error instanceof AwsAdapterError) return { bucket, message: describeFailure(error) };
    throw error;
  }
}
