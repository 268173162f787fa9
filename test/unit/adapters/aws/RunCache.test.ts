import { describe, expect, it } from 'vitest';
import { RunCache } from '../../../../lib/adapters/aws/RunCache.js';

describe('RunCache', () => {
  it('loads once for 10 concurrent callers of the same key, sharing the in-flight promise', async () => {
    const cache = new RunCache();
    let loads = 0;
    let release!: (value: string) => void;
    const load = () => {
      loads += 1;
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    };
    const callers = Array.from({ length: 10 }, () => cache.getOrLoad('destination|dest', load));
    release('facts');
    expect(await Promise.all(callers)).toEqual(Array(10).fill('facts'));
    await expect(cache.getOrLoad('destination|dest', load)).resolves.toBe('facts');
    expect(loads).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('keeps keys apart', async () => {
    const cache = new RunCache();
    await expect(cache.getOrLoad('a', async () => 1)).resolves.toBe(1);
    await expect(cache.getOrLoad('b', async () => 2)).resolves.toBe(2);
    expect(cache.has('a') && cache.has('b')).toBe(true);
  });

  it('forgets a failed load so the next caller tries again, but shares the failure while in flight', async () => {
    const cache = new RunCache();
    let loads = 0;
    const failing = () => {
      loads += 1;
      return Promise.reject(new Error('throttled'));
    };
    const results = await Promise.allSettled([cache.getOrLoad('k', failing), cache.getOrLoad('k', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(loads).toBe(1);
    expect(cache.has('k')).toBe(false);
    await expect(cache.getOrLoad('k', async () => 'ok')).resolves.toBe('ok');
  });

  it('clears everything', async () => {
    const cache = new RunCache();
    await cache.getOrLoad('a', async () => 1);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
