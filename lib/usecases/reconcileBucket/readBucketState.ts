import type { InventoryConfiguration } from '../../core/inventory/types.js';
import { AccountNotAllowedError } from '../../core/reconcile/allowedAccounts.js';
import type { BucketFacts } from '../../core/reconcile/types.js';
import type { BucketScope, ReconcileBucketDeps, StoredDesiredBucket } from '../ports.js';
import { factsRequestFor } from './factsRequest.js';

/** A bucket's desired state and where it lives: what stays the same across one reconcile's re-plans. */
export interface BucketTarget {
  desired: StoredDesiredBucket;
  scope: BucketScope;
  /** The allowed accounts the plan is made against. */
  allowed: ReadonlySet<string>;
}

/** Everything the pure `plan` needs about one bucket. */
export interface BucketState extends BucketTarget {
  actual: InventoryConfiguration[];
  facts: BucketFacts;
}

export interface ReadBucketStateOptions {
  /**
   * Keep a region learned here with the desired state, so later runs ask no more (a reconcile does; a plan,
   * which changes nothing, does not).
   */
  keepRegion?: boolean;
  /**
   * Where the scheduler or the discovery saw the bucket: templates that select by account or region match
   * it there, and a bucket only templates reach is reconciled in that account (#18).
   */
  location?: BucketLocation;
}

type ReadDeps = Pick<ReconcileBucketDeps, 'desired' | 'facts' | 'inventoryFor' | 'allowedAccounts'>;

/**
 * The one read step of a bucket, shared by `reconcileBucket` and `s3ir plan`/`status`: its desired state
 * (table and templates), its region, its actual configurations (every page) and the facts of every
 * destination and key they involve. `undefined` when nothing is declared for the bucket. Reads only, but for
 * `keepRegion`.
 * @example const state = await readBucketState('photos-prod', deps);
 */
export async function readBucketState(
  bucket: string,
  deps: ReadDeps,
  options: ReadBucketStateOptions = {},
): Promise<BucketState | undefined> {
  const target = await readBucketTarget(bucket, deps, options);
  return target && readActualState(target, deps);
}

/**
 * The first half of {@link readBucketState}: the desired state and the region.
 * @throws AccountNotAllowedError when the bucket's account setting is not an allowed account: checked
 *   before anything is asked of that account (its region, its configurations).
 */
export async function readBucketTarget(
  bucket: string,
  deps: Pick<ReadDeps, 'desired' | 'facts' | 'allowedAccounts'>,
  options: ReadBucketStateOptions = {},
): Promise<BucketTarget | undefined> {
  const [desired, allowed] = await Promise.all([
    deps.desired.getBucket(bucket, options.location),
    deps.allowedAccounts(),
  ]);
  if (!desired) return undefined;
  if (desired.account !== undefined && !allowed.has(desired.account)) {
    throw new AccountNotAllowedError(bucket, desired.account);
  }
  const region = desired.region ?? (await learnRegion(bucket, desired.account, deps, options));
  const scope: BucketScope = {
    bucket,
    region,
    ...(desired.account !== undefined && { account: desired.account }),
  };
  return { desired, scope, allowed };
}

/**
 * The second half of {@link readBucketState}: what the bucket holds now and the facts around it. A re-plan
 * reads only this again (the facts through the run's cache, less what a conflict invalidated). `listed`:
 * the bucket's configurations already being listed in the target's scope ({@link listAhead}).
 */
export async function readActualState(
  target: BucketTarget,
  deps: ReadDeps,
  listed?: Promise<InventoryConfiguration[]>,
): Promise<BucketState> {
  const { desired, scope } = target;
  const actual = await (listed ?? deps.inventoryFor(scope).list(scope.bucket));
  const facts = await deps.facts.read(factsRequestFor(desired, actual, scope.region));
  return { ...target, actual, facts };
}

/** Where the scheduler saw a bucket live (its settings item): a hint, never trusted over the desired state. */
export interface BucketLocation {
  region: string;
  account?: string;
  /**
   * The bucket's whole tag set as discovery read it there (#18): templates are matched with it and the tags
   * are not asked again. Absent: asked when a template selects by tag.
   */
  tags?: Readonly<Record<string, string>>;
}

/** A listing started before the desired state was read, and the scope it was started in. */
export interface ListingAhead {
  scope: BucketScope;
  listed: Promise<InventoryConfiguration[]>;
}

/**
 * Starts listing a bucket's configurations where the scheduler saw it, so that the listing's latency
 * overlaps the desired-state read instead of following it (a bucket never moves: the hint is nearly always
 * the target's scope). Its failure is left for whoever takes the listing; one nobody takes is dropped.
 */
export function listAhead(
  bucket: string,
  location: BucketLocation,
  deps: Pick<ReadDeps, 'inventoryFor'>,
): ListingAhead {
  const scope: BucketScope = {
    bucket,
    region: location.region,
    ...(location.account !== undefined && { account: location.account }),
  };
  const listed = deps.inventoryFor(scope).list(bucket);
  listed.catch(() => undefined); // settled by readActualState when taken; else never awaited
  return { scope, listed };
}

/** The listing started ahead when it was started in `scope`; else undefined (list again). */
export function takeListing(
  ahead: ListingAhead | undefined,
  scope: BucketScope,
): Promise<InventoryConfiguration[]> | undefined {
  if (!ahead) return undefined;
  const same = ahead.scope.region === scope.region && ahead.scope.account === scope.account;
  return same ? ahead.listed : undefined;
}

/**
 * Asks the facts for a bucket's region and, for a reconcile, keeps it with the desired state, so that later
 * runs make no HeadBucket for it. Keeping it is an optimization: a failed write only means the next run asks
 * again.
 */
async function learnRegion(
  bucket: string,
  account: string | undefined,
  deps: Pick<ReadDeps, 'desired' | 'facts'>,
  options: ReadBucketStateOptions,
): Promise<string> {
  const region = await deps.facts.bucketRegion(bucket, account);
  if (!options.keepRegion) return region;
  try {
    await deps.desired.keepRegion?.(bucket, region);
  } catch {
    // Not worth failing the reconcile for: the region is known for this run.
  }
  return region;
}
