import type { Plan } from '../../../lib/core/reconcile/types.js';
import { type PlanningDeps, planBuckets, targetBuckets } from '../../../lib/wiring/planBuckets.js';

/** The plans of every bucket a sweep would reconcile, and the buckets that could not be planned. */
export interface EstatePlans {
  plans: Plan[];
  errors: { bucket: string; message: string }[];
}

/**
 * What a sweep would do, without doing it: the same planning `s3ir plan` does (the reads `reconcileBucket`
 * makes, one facts run for all, then the pure planner) over every bucket the scheduler would enqueue.
 */
export async function planEstate(service: PlanningDeps, runId: string): Promise<EstatePlans> {
  const buckets = await targetBuckets(service);
  const result: EstatePlans = { plans: [], errors: [] };
  for (const outcome of await planBuckets(service, buckets, { runId })) {
    if ('plan' in outcome) result.plans.push(outcome.plan);
    else if ('error' in outcome) result.errors.push({ bucket: outcome.bucket, message: outcome.error });
  }
  return result;
}
