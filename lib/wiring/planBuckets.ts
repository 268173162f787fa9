import { AwsAdapterError } from '../adapters/aws/errors.js';
import { unreachableMessage } from '../adapters/aws/unreachable.js';
import { mapLimit } from '../core/concurrency/mapLimit.js';
import type { InventoryConfiguration } from '../core/inventory/types.js';
import { AccountNotAllowedError, refusedPlan } from '../core/reconcile/allowedAccounts.js';
import { plan } from '../core/reconcile/plan.js';
import { describeFailure } from '../core/reconcile/reconcileErrors.js';
import type { Plan } from '../core/reconcile/types.js';
import type { ReconcileBucketDeps } from '../usecases/ports.js';
import { readBucketState } from '../usecases/reconcileBucket/readBucketState.js';
import { type SweepDeps, sweepBuckets } from '../usecases/sweep/sweep.js';
import type { ReconcileDepsFor } from './reconcileBucketWiring.js';

/**
 * What planning one bucket gave: its plan; nothing declared (not managed), with the configurations it has
 * when they were asked for; or why it could not be read.
 */
export type BucketPlan =
  | { bucket: string; plan: Plan }
  | { bucket: string; notDeclared: true; configurations?: InventoryConfiguration[] }
  | { bucket: string; error: string };

/** What planning reads: the buckets the sweep would take, and each bucket's reconcile reads. */
export interface PlanningDeps extends Pick<SweepDeps, 'catalog' | 'buckets'> {
  reconcileDepsFor: ReconcileDepsFor;
}

/** Reports progress: `done` of `total` buckets planned. */
export type Progress = (done: number, total: number) => void;

/**
 * The buckets a command works on: those named (in order, once each), else every bucket the scheduler would
 * sweep (buckets with desired state of their own, plus those a template selects).
 */
export async function targetBuckets(
  deps: Pick<SweepDeps, 'catalog' | 'buckets'>,
  named: readonly string[] = [],
): Promise<string[]> {
  if (named.length > 0) return [...new Set(named)];
  return sweepBuckets(deps);
}

/**
 * Plans one bucket from exactly what `reconcileBucket` reads, through the same read step (`readBucketState`:
 * the desired state, the bucket's region, its actual configurations and the facts of every destination and
 * key); then the pure `plan`. Reads only: a region learned here is not kept. `listUndeclared` lists the actual
 * configurations of a bucket nothing declares. AWS and desired-state errors come back as `error`; anything else
 * is a bug and is thrown.
 */
export async function planBucket(
  bucket: string,
  deps: ReconcileBucketDeps,
  options: { listUndeclared?: boolean } = {},
): Promise<BucketPlan> {
  try {
    const state = await readBucketState(bucket, deps);
    if (!state) {
      if (!options.listUndeclared) return { bucket, notDeclared: true };
      // Named by the user yet declared by nobody: what it has is what they need to decide to adopt it.
      const region = await deps.facts.bucketRegion(bucket);
      const configurations = await deps.inventoryFor({ bucket, region }).list(bucket);
      return { bucket, notDeclared: true, configurations };
    }
    const planOptions = { ...deps.limits, allowedAccounts: state.allowed };
    return { bucket, plan: plan(state.desired, state.actual, state.facts, planOptions) };
  } catch (error) {
    if (error instanceof AccountNotAllowedError) return { bucket, plan: refusedPlan(error) };
    if (error instanceof AwsAdapterError)
      return { bucket, error: unreachableMessage(error, process.env) ?? describeFailure(error) };
    throw error;
  }
}

/**
 * Plans every bucket, `concurrency` at a time, in one facts run (a destination or key shared by several
 * buckets is read once). Results come in the order of `buckets`.
 */
export async function planBuckets(
  deps: Pick<PlanningDeps, 'reconcileDepsFor'>,
  buckets: readonly string[],
  options: { runId: string; concurrency?: number; progress?: Progress; listUndeclared?: boolean },
): Promise<BucketPlan[]> {
  let done = 0;
  options.progress?.(0, buckets.length);
  const results = await mapLimit(buckets, options.concurrency ?? 8, async (bucket) => {
    const bucketDeps = deps.reconcileDepsFor({ bucket, runId: options.runId });
    const result = await planBucket(bucket, bucketDeps, { listUndeclared: options.listUndeclared ?? false });
    options.progress?.(++done, buckets.length);
    return result;
  });
  return results;
}

/** `cli-20260101T120000123Z`: a run id for one CLI invocation (ids of its audit events derive from it). */
export function cliRunId(now = new Date()): string {
  return `cli-${now.toISOString().replace(/[-:.]/g, '')}`;
}
