import { AwsAdapterError } from '../adapters/aws/errors.js';
import { unreachableMessage } from '../adapters/aws/unreachable.js';
import { mapLimit } from '../core/concurrency/mapLimit.js';
import type { InventoryConfiguration } from '../core/inventory/types.js';
import { AccountNotAllowedError, refusedPlan } from '../core/reconcile/allowedAccounts.js';
import { plan } from '../core/reconcile/plan.js';
import { describeFailure } from '../core/reconcile/reconcileErrors.js';
import type { Plan } from '../core/reconcile/types.js';
import {
  type AccountFailure,
  type MemberBucketsDeps,
  memberBuckets,
} from '../usecases/discovery/memberBuckets.js';
import type { ReconcileBucketDeps } from '../usecases/ports.js';
import { type BucketLocation, readBucketState } from '../usecases/reconcileBucket/readBucketState.js';
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

/** What a command's targets are found with: the sweep's reads, and the member accounts' discovery (#18). */
export interface TargetingDeps extends Pick<SweepDeps, 'catalog' | 'buckets'> {
  members: MemberBucketsDeps;
}

/** The buckets a command works on, where the member ones live, and the member accounts that failed. */
export interface CommandTargets {
  /** Sorted when nothing was named; else the names given, in order, once each. */
  buckets: string[];
  /** Where each bucket a template reaches in a member account lives: plan and reconcile it there. */
  locations: ReadonlyMap<string, BucketLocation>;
  /** Member accounts whose buckets could not be listed: the others' are in `buckets` (exit 1). */
  failures: AccountFailure[];
}

/**
 * {@link targetBuckets} over the whole organization (#18): the home account's buckets as the sweep takes
 * them, plus the buckets templates select in every allowed member account they reach (`accounts`: only
 * those), found with the role assumed there as the deployed discovery finds them. Named buckets are located
 * too when the table does not declare them itself (a template may reach them in a member account); when the
 * table cannot be read then, they are taken as they are and planning says why.
 */
export async function commandTargets(
  deps: TargetingDeps,
  named: readonly string[],
  options: { runId: string; accounts?: readonly string[] },
): Promise<CommandTargets> {
  if (named.length > 0) {
    const buckets = [...new Set(named)];
    let catalog: Awaited<ReturnType<SweepDeps['catalog']>>;
    try {
      catalog = await deps.catalog();
    } catch {
      return { buckets, locations: new Map(), failures: [] };
    }
    const declared = new Set(catalog.buckets);
    if (buckets.every((bucket) => declared.has(bucket)))
      return { buckets, locations: new Map(), failures: [] };
    const found = await memberBuckets(catalog.templates, deps.members, options);
    const asked = new Set(buckets);
    const locations = new Map(
      found.buckets
        .filter((entry) => asked.has(entry.bucket))
        .map(({ bucket, account, region }) => [bucket, { account, region }] as const),
    );
    return { buckets, locations, failures: found.failures };
  }
  // One read of the table for both halves; the home account's and the member accounts' listed at once.
  const catalog = await deps.catalog();
  const [home, found] = await Promise.all([
    sweepBuckets({ buckets: deps.buckets, catalog: async () => catalog }),
    memberBuckets(catalog.templates, deps.members, options),
  ]);
  const locations = new Map(
    found.buckets.map(({ bucket, account, region }) => [bucket, { account, region }] as const),
  );
  const buckets = [...new Set([...home, ...locations.keys()])].sort();
  return { buckets, locations, failures: found.failures };
}

/**
 * Plans one bucket from exactly what `reconcileBucket` reads, through the same read step (`readBucketState`:
 * the desired state, the bucket's region, its actual configurations and the facts of every destination and
 * key); then the pure `plan`. Reads only: a region learned here is not kept. `listUndeclared` lists the actual
 * configurations of a bucket nothing declares; `location` is where discovery found it (a member account's).
 * AWS and desired-state errors come back as `error`; anything else is a bug and is thrown.
 */
export async function planBucket(
  bucket: string,
  deps: ReconcileBucketDeps,
  options: { listUndeclared?: boolean; location?: BucketLocation } = {},
): Promise<BucketPlan> {
  try {
    const state = await readBucketState(bucket, deps, options.location && { location: options.location });
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
 * buckets is read once), each where `locations` says it lives (member buckets). Results come in the order of
 * `buckets`.
 */
export async function planBuckets(
  deps: Pick<PlanningDeps, 'reconcileDepsFor'>,
  buckets: readonly string[],
  options: {
    runId: string;
    concurrency?: number;
    progress?: Progress;
    listUndeclared?: boolean;
    locations?: ReadonlyMap<string, BucketLocation>;
  },
): Promise<BucketPlan[]> {
  let done = 0;
  options.progress?.(0, buckets.length);
  const results = await mapLimit(buckets, options.concurrency ?? 8, async (bucket) => {
    const location = options.locations?.get(bucket);
    const bucketDeps = deps.reconcileDepsFor({ bucket, runId: options.runId, ...location });
    const result = await planBucket(bucket, bucketDeps, {
      listUndeclared: options.listUndeclared ?? false,
      ...(location && { location }),
    });
    options.progress?.(++done, buckets.length);
    return result;
  });
  return results;
}

/** `cli-20260101T120000123Z`: a run id for one CLI invocation (ids of its audit events derive from it). */
export function cliRunId(now = new Date()): string {
  return `cli-${now.toISOString().replace(/[-:.]/g, '')}`;
}
