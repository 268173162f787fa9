import { ACCOUNT_ID, isOrganizationUnitId } from './organizationIds.js';
import type { OrganizationMembership } from './types.js';

/**
 * The accounts a list of account, organization and OU ids names: account ids as given, and every ACTIVE
 * account of the membership that lies in one of the organization or OU ids (at any depth). An organization
 * or OU id the membership does not know names nothing: it never widens what the service touches.
 * @example accountsSelectedBy(['ou-ab12-cdef3456', '444455556666'], membership) // Set {'111122223333', '444455556666'}
 */
export function accountsSelectedBy(
  selectors: readonly string[],
  membership: OrganizationMembership | undefined,
): Set<string> {
  const selected = new Set(selectors.filter((selector) => ACCOUNT_ID.test(selector)));
  const units = new Set(selectors.filter(isOrganizationUnitId));
  if (units.size === 0 || membership === undefined) return selected;
  for (const [account, parents] of Object.entries(membership.accounts)) {
    if (parents.some((parent) => units.has(parent))) selected.add(account);
  }
  return selected;
}

/** The organization and OU ids that contain `account` (none when it is not an ACTIVE member). */
export function parentsOf(
  account: string,
  membership: OrganizationMembership | undefined,
): readonly string[] {
  return membership?.accounts[account] ?? [];
}

/**
 * Whether an account matches one of `selectors` (account ids, the organization id, OU ids): its own id, or
 * an organization or OU id among its `parents`.
 */
export function accountMatches(
  account: string | undefined,
  parents: readonly string[],
  selectors: readonly string[],
): boolean {
  if (account === undefined) return false;
  return selectors.some((selector) => selector === account || parents.includes(selector));
}

/**
 * A membership read back from storage (the state table's `#accounts` item), checked: ids in their formats,
 * parents organization or OU ids. `undefined` when it is not one.
 */
export function parseMembership(value: unknown): OrganizationMembership | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { organizationId, accounts } = value as Record<string, unknown>;
  if (typeof organizationId !== 'string' || !isOrganizationUnitId(organizationId)) return undefined;
  if (typeof accounts !== 'object' || accounts === null || Array.isArray(accounts)) return undefined;
  const checked: Record<string, readonly string[]> = {};
  for (const [account, parents] of Object.entries(accounts)) {
    if (!ACCOUNT_ID.test(account) || !Array.isArray(parents)) return undefined;
    if (!parents.every((parent) => typeof parent === 'string' && isOrganizationUnitId(parent)))
      return undefined;
    checked[account] = parents as string[];
  }
  return { organizationId, accounts: checked };
}
