import type { Plan } from '../../../lib/core/reconcile/types.js';
import type { AccountFailure } from '../../../lib/usecases/discovery/memberBuckets.js';
import {
  commandTargets,
  type PlanningDeps,
  planBuckets,
  type TargetingDeps,
} from '../../../lib/wiring/planBuckets.js';

/** The plans of every bucket a sweep would reconcile, and the buckets and member accounts that could not be planned. */
export interface EstatePlans {
  plans: Plan[];
  errors: { bucket: string; message: string }[];
  /** Member accounts whose buckets could not be listed (#18). */
  accountErrors: AccountFailure[];
}

/**
 * What a sweep would do, without doing it: the same planning `s3ir plan` does (the reads `reconcileBucket`
 * makes, one facts run for all, then the pure planner) over every bucket the scheduler would enqueue, and
 * every bucket the discovery would find in the member accounts (#18), planned where it lives.
 */
export async function planEstate(service: PlanningDeps & TargetingDeps, runId: string): Promise<EstatePlans> {
  const { buckets, locations, failures } = await commandTargets(service, [], { runId });
  const result: EstatePlans = { plans: [], errors: [], accountErrors: failures };
  for (const outcome of await planBuckets(service, buckets, { runId, locations })) {
    if ('plan' in outcome) result.plans.push(outcome.plan);
    else if ('error' in outcome) result.errors.push({ bucket: outcome.bucket, message: outcome.error });
  }
  return result;
}
