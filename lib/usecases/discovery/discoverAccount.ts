import type { TemplateDeclaration } from '../../core/desired/resolveTemplates.js';
import { matchesTemplate } from '../../core/desired/resolveTemplates.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { accountMatches } from '../../core/organization/membership.js';
import { ReconcileError } from '../../core/reconcile/errors.js';
import type { BucketMessage, ReconcileQueue } from '../reconcileMessage/bucketMessage.js';
import { tagsForMessage } from '../reconcileMessage/messageTags.js';
import type { DiscoveryMessage } from './discoveryMessage.js';

/** One account's buckets, through the role assumed there. */
export interface AccountBuckets {
  /** Every bucket of the account with its region when ListBuckets says it (one walk of every page). */
  bucketLocations(): Promise<{ name: string; region?: string }[]>;
  /**
   * Every tagged bucket of `regions` with its whole tag set (GetResources without a tag filter, one walk per
   * region); a bucket of those regions that is not in the answer has no tags.
   */
  tagsIn(regions: readonly string[]): Promise<ReadonlyMap<string, Readonly<Record<string, string>>>>;
  /** A bucket's region when ListBuckets did not say it (HeadBucket); undefined when it is gone. */
  regionOf(bucket: string): Promise<string | undefined>;
}

export interface DiscoverAccountDeps {
  templates(): Promise<TemplateDeclaration[]>;
  /** The allowed accounts (home, listed, and the organization's resolved). */
  allowedAccounts(): Promise<ReadonlySet<string>>;
  /** Forgets the organization's membership kept in memory, so that the next read is the sweep's own. */
  forgetMembership?(): void;
  /** The organization and OU ids containing an account (none outside the organization). */
  parentsOf(account: string): Promise<readonly string[]>;
  bucketsOf(account: string): AccountBuckets;
  queue: ReconcileQueue;
  /**
   * Keeps what this discovery selected (lib/usecases/discovery/discoveredBuckets), before anything is enqueued,
   * so that the sweep's cleanup knows the account's buckets.
   */
  keepSelected?(account: string, buckets: readonly string[], runId: string): Promise<unknown>;
}

/** A discovery message names an account that is not (or no longer) allowed: nothing is asked of it. */
export class AccountNotDiscoverableError extends ReconcileError {
  readonly retryable = false;
  readonly account: string;
  constructor(account: string) {
    super(`account ${account} is not allowed (S3IR_ALLOWED_ACCOUNTS and its organization): not discovered`);
    this.name = 'AccountNotDiscoverableError';
    this.account = account;
  }
}

/** What one account's discovery found. */
export interface DiscoveryReport {
  account: string;
  /** The buckets enqueued, sorted. */
  buckets: string[];
  /**
   * Buckets ListBuckets gave no region for, whose region HeadBucket was asked (AWS gives every bucket's
   * `BucketRegion`: a non-empty list says an emulator or a change of AWS's answer). Sorted; absent when none.
   */
  regionsAsked?: string[];
}

/** The templates that may select buckets of an account: those whose `match.accounts` name it or an OU above it. */
export function templatesFor(
  templates: readonly TemplateDeclaration[],
  account: string,
  parents: readonly string[],
): TemplateDeclaration[] {
  return templates.filter(({ template }) => {
    const accounts = template.match.accounts;
    return accounts !== undefined && accountMatches(account, parents, accounts);
  });
}

/**
 * Discovers one member account (#18): lists its buckets with the role assumed there (one ListBuckets walk,
 * every page, each bucket's `BucketRegion`; HeadBucket only for a bucket listed without one), and, when a
 * template selects by tag, every tagged bucket's tags (one GetResources walk per region that holds a bucket).
 * It keeps those a template selects by account or OU, name, tag and region, and enqueues one bucket message
 * each, with the account, the region and the bucket's whole tag set (when tags were read), so that the worker
 * reconciles it there without asking again. Nothing is asked of an account that is not allowed
 * (AccountNotDiscoverableError). Templates without `match.accounts` keep to the home account and are not the
 * business of discovery.
 */
export async function discoverAccount(
  message: DiscoveryMessage,
  deps: DiscoverAccountDeps,
): Promise<DiscoveryReport> {
  const { account, runId } = message;
  let [allowed, parents, all] = await Promise.all([
    deps.allowedAccounts(),
    deps.parentsOf(account),
    deps.templates(),
  ]);
  if (!allowed.has(account) && deps.forgetMembership !== undefined) {
    // A copy older than the sweep that sent this account (which stored the membership first): read it again.
    deps.forgetMembership();
    [allowed, parents] = await Promise.all([deps.allowedAccounts(), deps.parentsOf(account)]);
  }
  if (!allowed.has(account)) throw new AccountNotDiscoverableError(account);
  const templates = templatesFor(all, account, parents);
  if (templates.length === 0) {
    await deps.keepSelected?.(account, [], runId);
    return { account, buckets: [] };
  }
  const source = deps.bucketsOf(account);
  const { located, regionsAsked } = await locateBuckets(source);
  // Any template with tags (this account's, or one the worker also weighs by name) needs the tag sets.
  const tags = all.some(({ template }) => Object.keys(template.match.tags ?? {}).length > 0)
    ? await source.tagsIn([...new Set(located.values())])
    : undefined;
  const selected: BucketMessage[] = [];
  for (const [bucket, region] of [...located].sort(([a], [b]) => compareCodeUnits(a, b))) {
    const own = tags?.get(bucket) ?? {};
    const known = { name: bucket, tags: own, account, parents, region, home: false };
    if (!templates.some(({ template }) => matchesTemplate(template.match, known))) continue;
    const carried = tags && tagsForMessage(own);
    selected.push({
      bucket,
      runId,
      reason: 'discovery',
      account,
      region,
      ...(carried !== undefined && { tags: carried }),
    });
  }
  const buckets = selected.map((entry) => entry.bucket);
  await deps.keepSelected?.(account, buckets, runId);
  await deps.queue.enqueue(selected);
  return { account, buckets, ...(regionsAsked.length > 0 && { regionsAsked }) };
}

/**
 * The account's buckets and their regions from one ListBuckets walk; HeadBucket only for a bucket listed
 * without a region (one gone since it was listed is left out).
 */
async function locateBuckets(
  source: AccountBuckets,
): Promise<{ located: Map<string, string>; regionsAsked: string[] }> {
  const located = new Map<string, string>();
  const regionsAsked: string[] = [];
  for (const { name, region } of await source.bucketLocations()) {
    if (region !== undefined) {
      located.set(name, region);
      continue;
    }
    regionsAsked.push(name);
    const asked = await source.regionOf(name);
    if (asked !== undefined) located.set(name, asked);
  }
  return { located, regionsAsked: regionsAsked.sort(compareCodeUnits) };
}

/**
 * The member accounts a sweep sends to discovery: allowed, not the home account, and named (or lying below
 * an OU named) by some template's `match.accounts`. Sorted.
 */
export function accountsToDiscover(
  templates: readonly TemplateDeclaration[],
  allowed: ReadonlySet<string>,
  home: string,
  parentsOf: (account: string) => readonly string[],
): string[] {
  return [...allowed]
    .filter((account) => account !== home)
    .filter((account) => templatesFor(templates, account, parentsOf(account)).length > 0)
    .sort(compareCodeUnits);
}
