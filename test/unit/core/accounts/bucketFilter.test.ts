import { describe, expect, it } from 'vitest';
import {
  bucketFilter,
  MAX_BITS,
  MIN_BITS,
  mayContain,
  sameFilter,
} from '../../../../lib/core/accounts/bucketFilter.js';

const names = (count: number, prefix = 'bucket') => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

describe('bucketFilter()', () => {
  it('contains every name that went in', () => {
    const selected = names(5_000);
    const filter = bucketFilter(selected);
    expect(selected.every((name) => mayContain(filter, name))).toBe(true);
    expect(filter.count).toBe(5_000);
  });

  it('tells names that did not go in apart, but for a small share of false positives', () => {
    const filter = bucketFilter(names(1_000));
    const strangers = names(10_000, 'other');
    const positives = strangers.filter((name) => mayContain(filter, name)).length;
    expect(positives).toBeLessThan(50); // 16 bits a name: about 0.05 % expected
    expect(mayContain(bucketFilter([]), 'anything')).toBe(false);
  });

  it('stays within 128 bytes to 64 KB whatever the number of names', () => {
    expect(bucketFilter([]).data.length).toBe(MIN_BITS / 8);
    expect(bucketFilter(names(3)).data.length).toBe(MIN_BITS / 8);
    const large = bucketFilter(names(100_000));
    expect(large.bits).toBe(MAX_BITS);
    expect(large.data.length).toBe(65_536);
    expect(names(100_000).every((name) => mayContain(large, name))).toBe(true);
  });

  it('is the same for the same names in any order, and differs when one changes', () => {
    const a = bucketFilter(['b', 'a', 'c']);
    expect(sameFilter(a, bucketFilter(['c', 'b', 'a', 'a']))).toBe(true);
    expect(sameFilter(a, bucketFilter(['a', 'b']))).toBe(false);
  });
});
