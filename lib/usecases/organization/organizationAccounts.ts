import { accountsSelectedBy } from '../../core/organization/membership.js';
import type { OrganizationMembership } from '../../core/organization/types.js';

/** Organizations itself: the ACTIVE accounts and the OUs that contain each (one resolution). */
export interface MembershipDirectory {
  membership(): Promise<OrganizationMembership>;
}

/** Where the last resolution is kept for every worker of the service (the state table). */
export interface MembershipStore {
  get(): Promise<{ membership: OrganizationMembership; resolvedAt: string } | undefined>;
  /** Writes unless `current` holds the same membership; `true` when it wrote. */
  put(
    membership: OrganizationMembership,
    current?: { membership: OrganizationMembership; resolvedAt: string },
  ): Promise<boolean>;
}

export interface OrganizationAccountsDeps {
  /** The organization and OU ids of `S3IR_ALLOWED_ACCOUNTS`. */
  units: readonly string[];
  directory: MembershipDirectory;
  store: MembershipStore;
  /** How long a worker keeps a membership it read before reading the store again (default 60 s). */
  ttlMs?: number;
  now?: () => number;
}

/** What one sweep's resolution changed. */
export interface MembershipRefresh {
  membership: OrganizationMembership;
  /** The accounts the organization and OU ids allow now. */
  allowed: string[];
  /** Accounts they allowed before and no longer do (suspended, closed, removed, moved out of the OU). */
  dropped: string[];
  added: string[];
  /** Organizations did not answer: the stored membership was used (its error). */
  stale?: Error;
}

/**
 * The accounts that `S3IR_ALLOWED_ACCOUNTS`'s organization and OU ids allow, resolved through Organizations
 * once per sweep ({@link refresh}, by the schedule) and kept in the state table, where every worker reads it
 * ({@link allowed}; kept in memory for `ttlMs`). A worker that finds nothing stored resolves it itself (and
 * stores it). With no organization or OU id configured nothing is asked and nothing is allowed here.
 * @example const accounts = organizationAccounts({ units: ['o-a1b2c3d4e5'], directory, store });
 * (await accounts.allowed()).has('111122223333');
 */
export function organizationAccounts(deps: OrganizationAccountsDeps) {
  const ttl = deps.ttlMs ?? 60_000;
  const now = deps.now ?? Date.now;
  let cached: { at: number; value: Promise<OrganizationMembership | undefined> } | undefined;

  async function readOrResolve(): Promise<OrganizationMembership | undefined> {
    const stored = await deps.store.get();
    if (stored !== undefined) return stored.membership;
    const membership = await deps.directory.membership();
    await deps.store.put(membership);
    return membership;
  }

  /** The membership, from memory (`ttlMs`), else the store, else Organizations. Undefined without units. */
  function membership(): Promise<OrganizationMembership | undefined> {
    if (deps.units.length === 0) return Promise.resolve(undefined);
    const at = now();
    if (!cached || at - cached.at >= ttl) {
      const value = readOrResolve();
      value.catch(() => {
        cached = undefined; // asked again by the next caller
      });
      cached = { at, value };
    }
    return cached.value;
  }

  /** The accounts the organization and OU ids allow now (account ids listed on their own are not here). */
  async function allowed(): Promise<ReadonlySet<string>> {
    return accountsSelectedBy(deps.units, await membership());
  }

  /**
   * Resolves through Organizations now and stores the result when it changed (a steady sweep writes
   * nothing). When Organizations fails, the stored membership stands (`stale`), so that one failed call never
   * drops every member account; with nothing stored the error is thrown.
   */
  async function refresh(): Promise<MembershipRefresh | undefined> {
    if (deps.units.length === 0) return undefined;
    const stored = await deps.store.get();
    let fresh: OrganizationMembership;
    let stale: Error | undefined;
    try {
      fresh = await deps.directory.membership();
      await deps.store.put(fresh, stored);
    } catch (error) {
      if (stored === undefined) throw error;
      fresh = stored.membership;
      stale = error as Error;
    }
    cached = { at: now(), value: Promise.resolve(fresh) };
    const before = accountsSelectedBy(deps.units, stored?.membership);
    const after = accountsSelectedBy(deps.units, fresh);
    return {
      membership: fresh,
      allowed: [...after].sort(),
      dropped: stored === undefined ? [] : [...before].filter((account) => !after.has(account)).sort(),
      added: [...after].filter((account) => !before.has(account)).sort(),
      ...(stale !== undefined && { stale }),
    };
  }

  /**
   * Drops the membership kept in memory: the next caller reads the store. For a worker handed an account its
   * copy does not know yet (the sweep stores the membership before it sends the account: #18).
   */
  function forget(): void {
    cached = undefined;
  }

  return { membership, allowed, refresh, forget };
}

export type OrganizationAccounts = ReturnType<typeof organizationAccounts>;
