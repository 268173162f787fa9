import { mapLimit } from '../../core/concurrency/mapLimit.js';
import type { TemplateDeclaration } from '../../core/desired/resolveTemplates.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { ReconcileError } from '../../core/reconcile/errors.js';
import { PortError } from '../../core/reconcile/portError.js';
import { describeFailure } from '../../core/reconcile/reconcileErrors.js';
import type { BucketMessage } from '../reconcileMessage/bucketMessage.js';
import { accountsToDiscover, type DiscoverAccountDeps, discoverAccount } from './discoverAccount.js';

/** What finding the member accounts' buckets reads: discovery's ports (no queue), and the home account. */
export interface MemberBucketsDeps extends Omit<DiscoverAccountDeps, 'queue' | 'templates'> {
  homeAccount(): Promise<string>;
}

/** A bucket a template selects in a member account, where discovery found it. */
export interface MemberBucket {
  bucket: string;
  account: string;
  region: string;
}

/** A member account whose buckets could not be listed (its role refused, AWS out of reach), and why. */
export interface AccountFailure {
  account: string;
  message: string;
}

/** What {@link memberBuckets} found. */
export interface MemberBuckets {
  /** The member accounts looked at, sorted. */
  accounts: string[];
  /** The buckets templates select there, sorted by name. */
  buckets: MemberBucket[];
  /** Accounts that failed, sorted: the others' buckets are still in `buckets`. */
  failures: AccountFailure[];
}

export interface MemberBucketsOptions {
  /** Names the AssumeRole sessions and the messages; nothing is enqueued. */
  runId: string;
  /** Only these accounts (`--account`); empty or absent: every allowed member account a template reaches. */
  accounts?: readonly string[];
  /** Accounts listed at once (default 8). */
  concurrency?: number;
}

/**
 * The buckets templates select in the member accounts (#18), found exactly as the deployed discovery finds
 * them (`discoverAccount`, with the role assumed in each account), for a command that works on them at once
 * (`s3ir plan`, `reconcile`, `status`, `delivery`; the plan of `npm start`) instead of through the discovery
 * queue. Accounts are listed `concurrency` at a time; one that fails is reported in `failures` and never stops
 * the others. Without a template that names accounts, nothing is asked of AWS.
 */
export async function memberBuckets(
  templates: readonly TemplateDeclaration[],
  deps: MemberBucketsDeps,
  options: MemberBucketsOptions,
): Promise<MemberBuckets> {
  if (!templates.some(({ template }) => template.match.accounts !== undefined)) {
    return { accounts: [], buckets: [], failures: [] };
  }
  const [allowed, home] = await Promise.all([deps.allowedAccounts(), deps.homeAccount()]);
  const wanted = options.accounts?.length ? new Set(options.accounts) : undefined;
  const candidates = [...allowed].filter(
    (account) => account !== home && (wanted === undefined || wanted.has(account)),
  );
  const parents = new Map(
    await Promise.all(candidates.map(async (account) => [account, await deps.parentsOf(account)] as const)),
  );
  const accounts = accountsToDiscover(
    templates,
    new Set(candidates),
    home,
    (account) => parents.get(account) ?? [],
  );
  type Found = { buckets: BucketMessage[] } | { failure: AccountFailure };
  const found = await mapLimit(accounts, options.concurrency ?? 8, async (account): Promise<Found> => {
    const selected: BucketMessage[] = [];
    const queue = { enqueue: async (messages: readonly BucketMessage[]) => void selected.push(...messages) };
    try {
      await discoverAccount(
        { account, runId: options.runId },
        { ...deps, templates: async () => [...templates], queue },
      );
      return { buckets: selected };
    } catch (error) {
      // An AWS failure or a refusal is this account's alone; anything else is a bug.
      if (!(error instanceof PortError || error instanceof ReconcileError)) throw error;
      return { failure: { account, message: describeFailure(error) } };
    }
  });
  const buckets: MemberBucket[] = [];
  const failures: AccountFailure[] = [];
  for (const entry of found) {
    if ('failure' in entry) failures.push(entry.failure);
    else
      for (const { bucket, account, region } of entry.buckets) {
        if (account !== undefined && region !== undefined) buckets.push({ bucket, account, region });
      }
  }
  buckets.sort((a, b) => compareCodeUnits(a.bucket, b.bucket));
  return { accounts, buckets, failures };
}
