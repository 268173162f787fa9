import { describe, expect, it } from 'vitest';
import { type SweepProgress, sweepEnd } from '../../../bench/worker/sweepEnd.js';

const progress = (overrides: Partial<SweepProgress> = {}): SweepProgress => ({
  scheduled: true,
  discoverySettledAt: 1_000,
  settled: 10,
  wanted: 10,
  discovery: true,
  inFlight: 0,
  lastBatchAt: 2_000,
  now: 3_000,
  idleMs: 5_000,
  ...overrides,
});

describe('sweepEnd()', () => {
  it('ends now once every bucket message it waits for settled', () => {
    expect(sweepEnd(progress())).toBe(3_000);
    expect(sweepEnd(progress({ discovery: false }))).toBe(3_000);
  });

  it('goes on before the schedule answered or while discovery has not settled, whatever the count', () => {
    expect(sweepEnd(progress({ scheduled: false }))).toBeUndefined();
    expect(sweepEnd(progress({ discoverySettledAt: undefined }))).toBeUndefined();
  });

  it('with discovery, ends at the last batch once the queue stayed idle, the missing messages left unsettled', () => {
    expect(sweepEnd(progress({ settled: 8, now: 6_999 }))).toBeUndefined();
    expect(sweepEnd(progress({ settled: 8, now: 7_000 }))).toBe(2_000);
    // Discovery settled after the last batch: idle counts from then.
    expect(sweepEnd(progress({ settled: 8, discoverySettledAt: 4_000, now: 8_999 }))).toBeUndefined();
    expect(sweepEnd(progress({ settled: 8, discoverySettledAt: 4_000, now: 9_000 }))).toBe(4_000);
  });

  it('never ends on idleness while a batch is in flight, nor without discovery', () => {
    expect(sweepEnd(progress({ settled: 8, now: 60_000, inFlight: 1 }))).toBeUndefined();
    expect(sweepEnd(progress({ settled: 8, now: 60_000, discovery: false }))).toBeUndefined();
  });
});
