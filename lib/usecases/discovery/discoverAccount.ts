import type { TemplateDeclaration } from '../../core/desired/resolveTemplates.js';
import { matchesTemplate } from '../../core/desired/resolveTemplates.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { accountMatches } from '../../core/organization/membership.js';
import { ReconcileError } from '../../core/reconcile/errors.js';
import type { BucketMessage, ReconcileQueue } from '../reconcileMessage/bucketMessage.js';
import type { BucketTagSource } from '../sweep/sweep.js';
import type { DiscoveryMessage } from './discoveryMessage.js';

/** One account's buckets, through the role assumed there. */
export interface AccountBuckets extends BucketTagSource {
  /** Every bucket of the account with its region when ListBuckets says it (every page). */
  bucketLocations(): Promise<{ name: string; region?: string }[]>;
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
 * Discovers one member account (#18): lists its buckets with the role assumed there (ListBuckets with
 * `BucketRegion`, every page; the tagging API per region for templates that select by tag), keeps those a
 * template selects by account or OU, name, tag and region, and enqueues one bucket message each, with the
 * account and region, so that the worker reconciles it there. Nothing is asked of an account that is not
 * allowed (AccountNotAllowedError). Templates without `match.accounts` keep to the home account and are
 * not the business of discovery.
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
  const located = new Map((await source.bucketLocations()).map((bucket) => [bucket.name, bucket.region]));
  const tagged = new Map<string, Promise<string[]>>();
  const candidates = (tags: Readonly<Record<string, string>>): Promise<string[]> => {
    if (Object.keys(tags).length === 0) return Promise.resolve([...located.keys()]);
    const key = JSON.stringify(Object.entries(tags).sort(([a], [b]) => compareCodeUnits(a, b)));
    let found = tagged.get(key);
    if (!found) {
      found = source.bucketsTagged(tags);
      tagged.set(key, found);
    }
    return found;
  };
  const selected = new Map<string, string>();
  for (const { template } of templates) {
    const tags = template.match.tags ?? {};
    for (const bucket of await candidates(tags)) {
      if (selected.has(bucket) || !located.has(bucket)) continue;
      const region = located.get(bucket) ?? (await source.regionOf(bucket));
      if (region === undefined) continue; // gone since it was listed
      located.set(bucket, region);
      const known = { name: bucket, tags, account, parents, region, home: false };
      if (matchesTemplate(template.match, known)) selected.set(bucket, region);
    }
  }
  const buckets = [...selected.keys()].sort(compareCodeUnits);
  const messages: BucketMessage[] = buckets.map((bucket) => ({
    bucket,
    runId,
    reason: 'discovery',
    account,
    region: selected.get(bucket)!,
  }));
  await deps.keepSelected?.(account, buckets, runId);
  await deps.queue.enqueue(messages);
  return { account, buckets };
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
