import type { ServiceDeps } from '../aws/createServiceDeps.js';
import { AwsAdapterError } from '../aws/errors.js';
import { mapLimit } from '../concurrency/mapLimit.js';
import { AccountNotAllowedError, refusedPlan } from '../reconcile/allowedAccounts.js';
import { plan } from '../reconcile/plan.js';
import { readBucketState } from '../reconcile/readBucketState.js';
import { describeFailure } from '../reconcile/reconcileErrors.js';
import type { ReconcileBucketDeps } from '../reconcile/servicePorts.js';
import { sweepBuckets } from '../reconcile/sweep.js';
import type { Plan } from '../reconcile/types.js';

/** What planning one bucket gave: its plan, nothing declared, or why it could not be read. */
export type BucketPlan =
  | { bucket: string; plan: Plan }
  | { bucket: string; notDeclared: true }
  | { bucket: string; error: string };

/** Reports progress: `done` of `total` buckets planned. */
export type Progress = (done: number, total: number) => void;

/**
 * The buckets a command works on: those named (in order, once each), else every bucket the scheduler would
 * sweep (buckets with desired state of their own, plus those a template selects).
 */
export async function targetBuckets(service: ServiceDeps, named: readonly string[] = []): Promise<string[]> {
  if (named.length > 0) return [...new Set(named)];
  return sweepBuckets({ catalog: () => service.desired.listBuckets(), buckets: service.catalog });
}

/**
 * Plans one bucket from exactly what `reconcileBucket` reads, through the same read step (`readBucketState`:
 * the desired state, the bucket's region, its actual configurations and the facts of every destination and
 * key); then the pure `plan`. Reads only: a region learned here is not kept. AWS and desired-state errors come
 * back as `error`; anything else is a bug and is thrown.
 */
export async function planBucket(bucket: string, deps: ReconcileBucketDeps): Promise<BucketPlan> {
  try {
    const state = await readBucketState(bucket, deps);
    if (!state) return { bucket, notDeclared: true };
    const options = { ...deps.limits, allowedAccounts: state.allowed };
    return { bucket, plan: plan(state.desired, state.actual, state.facts, options) };
  } catch (error) {
    if (error instanceof AccountNotAllowedError) return { bucket, plan: refusedPlan(error) };
    if (error instanceof AwsAdapterError) return { bucket, error: describeFailure(error) };
    throw error;
  }
}

/**
 * Plans every bucket, `concurrency` at a time, in one facts run (a destination or key shared by several
 * buckets is read once). Results come in the order of `buckets`.
 */
export async function planBuckets(
  service: ServiceDeps,
  buckets: readonly string[],
  options: { runId: string; concurrency?: number; progress?: Progress },
): Promise<BucketPlan[]> {
  let done = 0;
  options.progress?.(0, buckets.length);
  const results = await mapLimit(buckets, options.concurrency ?? 8, async (bucket) => {
    const result = await planBucket(bucket, service.reconcileDepsFor({ bucket, runId: options.runId }));
    options.progress?.(++done, buckets.length);
    return result;
  });
  return results;
}

/** `cli-20260101T120000123Z`: a run id for one CLI invocation (ids of its audit events derive from it). */
export function cliRunId(now = new Date()): string {
  return `cli-${now.toISOString().replace(/[-:.]/g, '')}`;
}
