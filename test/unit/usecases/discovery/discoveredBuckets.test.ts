import { describe, expect, it } from 'vitest';
import type { BucketFilter } from '../../../../lib/core/accounts/bucketFilter.js';
import {
  type DiscoveredStore,
  keepDiscovered,
  memberBucketsKept,
} from '../../../../lib/usecases/discovery/discoveredBuckets.js';
import {
  type BookkeepingItem,
  type BookkeepingStore,
  cleanBookkeeping,
} from '../../../../lib/usecases/sweep/cleanBookkeeping.js';

const AUDIT = '222222222222';
const WEB = '333333333333';

function memoryDiscovered() {
  const filters = new Map<string, BucketFilter>();
  const puts: string[] = [];
  const store: DiscoveredStore = {
    get: async (account) => filters.get(account),
    put: async (account, filter) => {
      puts.push(account);
      filters.set(account, filter);
    },
    list: async () => new Map(filters),
  };
  return { store, puts, filters };
}

function bookkeeping(buckets: string[]) {
  const items: BookkeepingItem[] = buckets.map((bucket) => ({
    kind: 'status',
    bucket,
    key: { bucket, id: '#status' },
    version: 1,
  }));
  const removed: string[] = [];
  const store: BookkeepingStore = {
    list: async () => items.filter((item) => !removed.includes(item.bucket)),
    remove: async (item) => {
      removed.push(item.bucket);
      return true;
    },
  };
  return { store, removed };
}

describe('keepDiscovered()', () => {
  it('writes what a discovery selected only when it changed', async () => {
    const { store, puts } = memoryDiscovered();
    expect(await keepDiscovered(store, AUDIT, ['a-1', 'a-2'], 'sweep-1')).toBe(true);
    expect(await keepDiscovered(store, AUDIT, ['a-2', 'a-1'], 'sweep-2')).toBe(false);
    expect(await keepDiscovered(store, AUDIT, ['a-1'], 'sweep-3')).toBe(true);
    expect(puts).toEqual([AUDIT, AUDIT]);
  });
});

describe("cleanBookkeeping() with the member accounts' discovered buckets", () => {
  it('keeps what the accounts sent now discovered, removes a bucket no longer selected and those of an account that left', async () => {
    const discovered = memoryDiscovered();
    await keepDiscovered(discovered.store, AUDIT, ['a-1', 'a-2'], 'sweep-1');
    await keepDiscovered(discovered.store, WEB, ['w-1'], 'sweep-1');
    // a-2 untagged since: the last discovery of AUDIT selected a-1 only.
    await keepDiscovered(discovered.store, AUDIT, ['a-1'], 'sweep-2');
    const { store, removed } = bookkeeping(['home-1', 'a-1', 'a-2', 'w-1']);
    // WEB left the organization: it is not sent to discovery any more.
    const report = await cleanBookkeeping(['home-1'], store, {
      alsoKept: () => memberBucketsKept(discovered.store, [AUDIT]),
    });
    expect(removed.sort()).toEqual(['a-2', 'w-1']);
    expect(report.removed.sort()).toEqual(['status a-2', 'status w-1']);
  });

  it('removes nothing while an account sent to discovery has no record yet', async () => {
    const discovered = memoryDiscovered();
    await keepDiscovered(discovered.store, AUDIT, ['a-1'], 'sweep-1');
    const { store, removed } = bookkeeping(['home-1', 'a-1', 'w-1']);
    const report = await cleanBookkeeping(['home-1'], store, {
      alsoKept: () => memberBucketsKept(discovered.store, [AUDIT, WEB]),
    });
    expect(removed).toEqual([]);
    expect(report.skipped).toMatch(/no record of its buckets yet/);
  });
});
