import { describe, expect, it } from 'vitest';
import { compareCodeUnits } from '../../../../lib/core/json/compareCodeUnits.js';

describe('compareCodeUnits()', () => {
  it('orders by UTF-16 code unit, the same in every locale: upper case before lower, digits first', () => {
    expect(['b', 'a', 'B', 'é', '_', '1', 'A'].sort(compareCodeUnits)).toEqual([
      '1',
      'A',
      'B',
      '_',
      'a',
      'b',
      'é',
    ]);
  });

  it('puts a prefix first and says 0 only for equal strings', () => {
    expect(compareCodeUnits('inv', 'inv-1')).toBeLessThan(0);
    expect(compareCodeUnits('inv-1', 'inv')).toBeGreaterThan(0);
    expect(compareCodeUnits('inv', 'inv')).toBe(0);
  });

  it('compares astral characters by their surrogates, as S3 sorts Ids and as Array#sort does', () => {
    const values = ['\uffff', '\u{1f600}', 'z'];
    expect([...values].sort(compareCodeUnits)).toEqual([...values].sort());
    expect(compareCodeUnits('\u{1f600}', '\uffff')).toBeLessThan(0);
  });
});
