import { describe, expect, it } from 'vitest';
import type { OrganizationMembership } from '../../../../lib/core/organization/types.js';
import {
  type MembershipStore,
  organizationAccounts,
} from '../../../../lib/usecases/organization/organizationAccounts.js';

const ORG = 'o-a1b2c3d4e5';
const SEC = 'ou-ab12-cdef3456';
const APPS = 'ou-ab12-99998888';

function org(accounts: Record<string, string[]>): OrganizationMembership {
  return { organizationId: ORG, accounts };
}

/** A directory that answers `answers` in turn, counting its calls; an Error answer is thrown. */
function directory(...answers: (OrganizationMembership | Error)[]) {
  const calls = { count: 0 };
  return {
    calls,
    async membership() {
      const answer = answers[Math.min(calls.count, answers.length - 1)]!;
      calls.count++;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

function memoryStore(initial?: OrganizationMembership) {
  let item = initial && { membership: initial, resolvedAt: '2026-12-01T00:00:00.000Z' };
  const writes: OrganizationMembership[] = [];
  const store: MembershipStore = {
    async get() {
      return item;
    },
    async put(membership, current) {
      if (current && JSON.stringify(current.membership) === JSON.stringify(membership)) return false;
      writes.push(membership);
      item = { membership, resolvedAt: '2026-12-06T00:00:00.000Z' };
      return true;
    },
  };
  return { store, writes };
}

const three = org({ '111111111111': [ORG], '222222222222': [ORG, SEC], '333333333333': [ORG, APPS] });

describe('organizationAccounts()', () => {
  it('asks nothing and allows nothing when no organization or OU id is configured', async () => {
    const dir = directory(three);
    const accounts = organizationAccounts({ units: [], directory: dir, store: memoryStore().store });
    expect([...(await accounts.allowed())]).toEqual([]);
    expect(await accounts.refresh()).toBeUndefined();
    expect(dir.calls.count).toBe(0);
  });

  it('allows the accounts below the configured OU, read from the store, kept in memory for the TTL', async () => {
    const dir = directory(three);
    const { store } = memoryStore(three);
    let now = 0;
    const accounts = organizationAccounts({
      units: [SEC],
      directory: dir,
      store,
      ttlMs: 1000,
      now: () => now,
    });
    expect([...(await accounts.allowed())]).toEqual(['222222222222']);
    expect(dir.calls.count).toBe(0); // the stored membership: Organizations is asked by the sweep only
    now = 999;
    expect([...(await accounts.allowed())]).toEqual(['222222222222']);
  });

  it('resolves and stores the membership when nothing is stored yet', async () => {
    const dir = directory(three);
    const { store, writes } = memoryStore();
    const accounts = organizationAccounts({ units: [ORG], directory: dir, store });
    expect([...(await accounts.allowed())].sort()).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(dir.calls.count).toBe(1);
    expect(writes).toEqual([three]);
  });

  it('refresh() resolves once per sweep, writes only a change, and names the accounts that dropped out', async () => {
    const moved = org({ '111111111111': [ORG], '222222222222': [ORG, APPS], '333333333333': [ORG, APPS] });
    const dir = directory(three, three, moved);
    const { store, writes } = memoryStore();
    const accounts = organizationAccounts({ units: [SEC], directory: dir, store });
    expect(await accounts.refresh()).toMatchObject({
      allowed: ['222222222222'],
      dropped: [],
      added: ['222222222222'],
    });
    expect(await accounts.refresh()).toMatchObject({ allowed: ['222222222222'], dropped: [], added: [] });
    expect(writes).toHaveLength(1); // the steady sweep wrote nothing
    expect(await accounts.refresh()).toMatchObject({ allowed: [], dropped: ['222222222222'], added: [] });
    expect([...(await accounts.allowed())]).toEqual([]); // at once in this sandbox
    expect(dir.calls.count).toBe(3);
  });

  it('keeps the stored membership when Organizations fails, and says so; fails with nothing stored', async () => {
    const denied = new Error('AccessDeniedException on DescribeOrganization');
    const accounts = organizationAccounts({
      units: [ORG],
      directory: directory(denied),
      store: memoryStore(three).store,
    });
    const refresh = await accounts.refresh();
    expect(refresh?.stale).toBe(denied);
    expect(refresh?.allowed).toEqual(['111111111111', '222222222222', '333333333333']);
    const empty = organizationAccounts({
      units: [ORG],
      directory: directory(denied),
      store: memoryStore().store,
    });
    await expect(empty.refresh()).rejects.toBe(denied);
    await expect(empty.allowed()).rejects.toBe(denied);
  });
});
