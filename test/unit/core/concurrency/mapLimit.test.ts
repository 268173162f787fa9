import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../../../lib/core/concurrency/mapLimit.js';

describe('mapLimit()', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (value, index) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, value));
      running -= 1;
      return `${index}:${value * 10}`;
    });
    expect(results).toEqual(['0:50', '1:10', '2:40', '3:20', '4:30']);
    expect(most).toBe(2);
  });

  it('rejects with the first error and starts nothing after it', async () => {
    const started: number[] = [];
    const run = mapLimit([1, 2, 3, 4], 1, async (value) => {
      started.push(value);
      if (value === 2) throw new Error('bucket 2 failed');
      return value;
    });
    await expect(run).rejects.toThrow('bucket 2 failed');
    expect(started).toEqual([1, 2]);
  });

  it('resolves to nothing for no items', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});
