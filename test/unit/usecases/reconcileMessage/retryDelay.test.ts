import { describe, expect, it } from 'vitest';
import { RetryableReconcileError, type RetryReason } from '../../../../lib/core/reconcile/reconcileErrors.js';
import { InvalidBucketMessageError } from '../../../../lib/usecases/reconcileMessage/bucketMessage.js';
import { DeadlineError } from '../../../../lib/usecases/reconcileMessage/deadline.js';
import {
  DEFAULT_MAX_RETRY_DELAY_SECONDS,
  RETRY_DELAYS,
  retryDelay,
  retrySoonReason,
} from '../../../../lib/usecases/reconcileMessage/retryDelay.js';

const failed = (reason: RetryReason) => new RetryableReconcileError('photos', reason, `photos: ${reason}`);
const lowest = () => 0;
const highest = () => 0.999_999;
const middle = () => 0.5;

describe('retrySoonReason()', () => {
  it('retries conflicts, unverified writes, transient errors and deadline hand-backs soon', () => {
    expect(retrySoonReason(failed('conflict'))).toBe('conflict');
    expect(retrySoonReason(failed('unverified'))).toBe('unverified');
    expect(retrySoonReason(failed('transient'))).toBe('transient');
    expect(retrySoonReason(new DeadlineError('m-1'))).toBe('deadline');
  });

  it('leaves bugs, malformed messages and anything unknown to the full visibility timeout', () => {
    expect(retrySoonReason(new TypeError('x is undefined'))).toBeUndefined();
    expect(retrySoonReason(new InvalidBucketMessageError('not JSON'))).toBeUndefined();
    expect(retrySoonReason('a string')).toBeUndefined();
    expect(retrySoonReason(undefined)).toBeUndefined();
  });
});

describe('retryDelay()', () => {
  it('draws a conflict retry from 5 to 30 s on the first receive', () => {
    expect(retryDelay(failed('conflict'), 1, { random: lowest })).toEqual({ reason: 'conflict', seconds: 5 });
    expect(retryDelay(failed('conflict'), 1, { random: middle })).toEqual({
      reason: 'conflict',
      seconds: 18, // 5 + 0.5 x 25 = 17.5, rounded
    });
    expect(retryDelay(failed('conflict'), 1, { random: highest })).toEqual({
      reason: 'conflict',
      seconds: 30,
    });
  });

  it('gives each reason its own range', () => {
    const ranges = Object.fromEntries(
      (['conflict', 'unverified', 'transient'] as const).map((reason) => [
        reason,
        [
          retryDelay(failed(reason), 1, { random: lowest })!.seconds,
          retryDelay(failed(reason), 1, { random: highest })!.seconds,
        ],
      ]),
    );
    ranges.deadline = [
      retryDelay(new DeadlineError('m'), 1, { random: lowest })!.seconds,
      retryDelay(new DeadlineError('m'), 1, { random: highest })!.seconds,
    ];
    expect(ranges).toEqual({
      conflict: [5, 30],
      unverified: [10, 60],
      transient: [30, 120],
      deadline: [1, 5],
    });
    expect(RETRY_DELAYS.conflict).toEqual({ minSeconds: 5, maxSeconds: 30 });
  });

  it('answers nothing for an error not worth a quick retry', () => {
    expect(retryDelay(new Error('bug'), 1, { random: middle })).toBeUndefined();
  });

  it('doubles the range with each earlier receive, up to the cap', () => {
    const conflictAt = (receive: number, random: () => number) =>
      retryDelay(failed('conflict'), receive, { random })!.seconds;
    expect(
      [1, 2, 3, 4].map((receive) => [conflictAt(receive, lowest), conflictAt(receive, highest)]),
    ).toEqual([
      [5, 30],
      [10, 60],
      [20, 120],
      [40, 240],
    ]);
    expect(conflictAt(6, highest)).toBe(DEFAULT_MAX_RETRY_DELAY_SECONDS);
    expect(conflictAt(1_000, lowest)).toBe(DEFAULT_MAX_RETRY_DELAY_SECONDS);
  });

  it('spreads draws over the whole range: jitter, not a fixed delay', () => {
    const draws = Array.from({ length: 26 }, (_, index) => index / 26);
    const seconds = new Set(
      draws.map((value) => retryDelay(failed('conflict'), 1, { random: () => value })!.seconds),
    );
    expect(Math.min(...seconds)).toBe(5);
    expect(Math.max(...seconds)).toBe(29);
    expect(seconds.size).toBe(25);
  });

  it('reads a missing or nonsense receive count as the first receive', () => {
    for (const receive of [0, -3, Number.NaN]) {
      expect(retryDelay(failed('conflict'), receive, { random: highest })!.seconds).toBe(30);
    }
  });

  it('caps every delay at maxSeconds, down to 0 (at once)', () => {
    expect(retryDelay(failed('transient'), 1, { random: highest, maxSeconds: 45 })!.seconds).toBe(45);
    expect(retryDelay(failed('conflict'), 1, { random: lowest, maxSeconds: 45 })!.seconds).toBe(5);
    expect(retryDelay(failed('conflict'), 1, { random: middle, maxSeconds: 0 })!.seconds).toBe(0);
  });

  it('stays within the range for any draw', () => {
    for (let index = 0; index < 200; index++) {
      const { seconds } = retryDelay(failed('conflict'), 1)!;
      expect(seconds).toBeGreaterThanOrEqual(5);
      expect(seconds).toBeLessThanOrEqual(30);
    }
  });
});
