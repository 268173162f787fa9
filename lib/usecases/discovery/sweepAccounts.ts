import type { TemplateDeclaration } from '../../core/desired/resolveTemplates.js';
import type { MembershipRefresh } from '../organization/organizationAccounts.js';
import { accountsToDiscover } from './discoverAccount.js';
import type { DiscoveryQueue } from './discoveryMessage.js';

export interface SweepAccountsDeps {
  /** Resolves the organization now (once per sweep); undefined when no organization or OU is configured. */
  refresh(): Promise<MembershipRefresh | undefined>;
  templates(): Promise<TemplateDeclaration[]>;
  allowedAccounts(): Promise<ReadonlySet<string>>;
  homeAccount(): Promise<string>;
  parentsOf(account: string): Promise<readonly string[]>;
  queue: DiscoveryQueue;
}

/** What the sweep did for the member accounts. */
export interface SweepAccountsReport {
  /** The accounts sent to discovery, sorted. */
  accounts: string[];
  /** Accounts the organization's OUs no longer allow (suspended, closed, removed, moved): no longer swept. */
  dropped: string[];
  /** Accounts the organization's OUs allow since this sweep (on the first resolution: every one), sorted. */
  added: string[];
  /** Organizations did not answer: the membership the last sweep stored stood. */
  stale?: Error;
}

/**
 * The member-account half of a sweep (#18): resolves the organization once, then sends one discovery
 * message per allowed member account that some template's `match.accounts` selects (the discovery
 * handlers list their buckets in parallel and enqueue them), instead of listing hundreds of accounts in
 * series here.
 */
export async function sweepAccounts(deps: SweepAccountsDeps, runId: string): Promise<SweepAccountsReport> {
  const refreshed = await deps.refresh();
  const [templates, allowed, home] = await Promise.all([
    deps.templates(),
    deps.allowedAccounts(),
    deps.homeAccount(),
  ]);
  const candidates = [...allowed].filter((account) => account !== home);
  const parents = new Map(
    await Promise.all(candidates.map(async (account) => [account, await deps.parentsOf(account)] as const)),
  );
  const accounts = accountsToDiscover(templates, allowed, home, (account) => parents.get(account) ?? []);
  await deps.queue.enqueueDiscovery(accounts.map((account) => ({ account, runId })));
  return {
    accounts,
    dropped: refreshed?.dropped ?? [],
    added: refreshed?.added ?? [],
    ...(refreshed?.stale !== undefined && { stale: refreshed.stale }),
  };
}
