import { describe, expect, it, vi } from 'vitest';
import type { BucketStatus } from '../../../../lib/core/alerts/bucketStatus.js';
import { PrefetchedStatusStore } from '../../../../lib/core/alerts/PrefetchedStatusStore.js';
import { memoryStatusStore } from '../../../helpers/memoryAlerts.js';

const status = (bucket: string, version: number, state: BucketStatus['state'] = 'drifted'): BucketStatus => ({
  bucket,
  state,
  since: '2026-03-01T00:00:00.000Z',
  conditions: {},
  runId: 'run-1',
  version,
});

describe('PrefetchedStatusStore', () => {
  it('answers the buckets read ahead without asking the store, and asks it for the others', async () => {
    const store = memoryStatusStore([status('later', 2)]);
    const get = vi.spyOn(store, 'get');
    const prefetched = new PrefetchedStatusStore(
      store,
      new Map([
        ['a', status('a', 4)],
        ['new', undefined],
      ]),
    );
    expect(await prefetched.get('a')).toEqual(status('a', 4));
    expect(await prefetched.get('new')).toBeUndefined();
    expect(get).not.toHaveBeenCalled();
    expect(await prefetched.get('later')).toEqual(status('later', 2));
    expect(get).toHaveBeenCalledWith('later');
  });

  it('shows a second message of the batch the status the first wrote', async () => {
    const store = memoryStatusStore([]);
    const prefetched = new PrefetchedStatusStore(store, new Map([['a', undefined]]));
    expect(await prefetched.put(status('a', 1))).toBe(true);
    expect(await prefetched.get('a')).toEqual(status('a', 1));
    expect(await prefetched.put(status('a', 2, 'in-sync'))).toBe(true);
    expect(store.statuses.get('a')).toEqual(status('a', 2, 'in-sync'));
  });

  it('reads the store again after a refused or failed write', async () => {
    const store = memoryStatusStore([status('a', 5)]);
    const prefetched = new PrefetchedStatusStore(store, new Map([['a', status('a', 3)]]));
    // Another run wrote versions 4 and 5 since the batch read: the write is refused, the next read is fresh.
    expect(await prefetched.put(status('a', 4))).toBe(false);
    expect(await prefetched.get('a')).toEqual(status('a', 5));

    const failing = memoryStatusStore([status('b', 1)]);
    const afterFailure = new PrefetchedStatusStore(failing, new Map([['b', status('b', 1)]]));
    failing.failNext('put', new Error('throttled'));
    await expect(afterFailure.put(status('b', 2))).rejects.toThrow('throttled');
    failing.statuses.set('b', status('b', 7));
    expect(await afterFailure.get('b')).toEqual(status('b', 7));
  });

  it('does not change the map it was given, and lists from the store', async () => {
    const known = new Map<string, BucketStatus | undefined>([['a', undefined]]);
    const store = memoryStatusStore([status('z', 1)]);
    const prefetched = new PrefetchedStatusStore(store, known);
    await prefetched.put(status('a', 1));
    expect(known.get('a')).toBeUndefined();
    expect(await prefetched.list()).toEqual([status('a', 1), status('z', 1)]);
  });
});
