import { describe, expect, it } from 'vitest';
import {
  inWindow,
  isLimited,
  judgeReservation,
  slotId,
  slotRoom,
  sumWindow,
  windowRange,
} from '../../../../lib/core/brake/brakeWindow.js';

const AT = Date.parse('2026-12-06T15:45:30.000Z');
const MINUTE = 60_000;

describe('slotId()', () => {
  it('names the minute a time falls in, fixed width, so ids sort as times do', () => {
    expect(slotId(AT)).toBe('2026-12-06T15:45Z');
    expect(slotId(Date.parse('2026-12-06T15:45:00.000Z'))).toBe('2026-12-06T15:45Z');
    expect(slotId(Date.parse('2026-12-06T15:45:59.999Z'))).toBe('2026-12-06T15:45Z');
    expect(
      slotId(Date.parse('2026-12-06T09:05:00.000Z')) < slotId(Date.parse('2026-12-06T10:00:00.000Z')),
    ).toBe(true);
  });
});

describe('windowRange() and inWindow()', () => {
  it('covers exactly the last N minute slots, the current one included', () => {
    expect(windowRange(AT, 60)).toEqual({ first: '2026-12-06T14:46Z', last: '2026-12-06T15:45Z' });
    expect(windowRange(AT, 1)).toEqual({ first: '2026-12-06T15:45Z', last: '2026-12-06T15:45Z' });
    expect(inWindow('2026-12-06T14:46Z', AT, 60)).toBe(true);
    expect(inWindow('2026-12-06T14:45Z', AT, 60)).toBe(false);
    expect(inWindow('2026-12-06T15:46Z', AT, 60)).toBe(false);
  });

  it('crosses midnight and the end of a month', () => {
    const justAfter = Date.parse('2027-01-01T00:00:10.000Z');
    expect(windowRange(justAfter, 2)).toEqual({ first: '2026-12-31T23:59Z', last: '2027-01-01T00:00Z' });
  });
});

describe('sumWindow()', () => {
  it('adds the slots inside the window and ignores those that slid out (not yet expired by TTL)', () => {
    const slots = [
      { slot: slotId(AT), changes: 3, deletes: 1 },
      { slot: slotId(AT - 59 * MINUTE), changes: 4, deletes: 0 },
      { slot: slotId(AT - 60 * MINUTE), changes: 100, deletes: 100 },
    ];
    expect(sumWindow(slots, AT, 60)).toEqual({ changes: 7, deletes: 1 });
    // A minute later the 4 slide out too.
    expect(sumWindow(slots, AT + MINUTE, 60)).toEqual({ changes: 3, deletes: 1 });
  });
});

describe('judgeReservation()', () => {
  const limits = { maxChanges: 100, maxDeletes: 10, windowMinutes: 60 };

  it('lets a reservation reach the limit exactly, and refuses one more naming the setting', () => {
    expect(judgeReservation({ changes: 98, deletes: 0 }, { changes: 2, deletes: 0 }, limits)).toEqual({
      fits: true,
    });
    expect(judgeReservation({ changes: 99, deletes: 0 }, { changes: 2, deletes: 0 }, limits)).toEqual({
      fits: false,
      reason: '101 changes in the last 60 min (limit 100, S3IR_MAX_CHANGES)',
    });
  });

  it('holds deletes to their own limit, and names both when both cross', () => {
    expect(judgeReservation({ changes: 5, deletes: 10 }, { changes: 1, deletes: 1 }, limits)).toEqual({
      fits: false,
      reason: '11 deletes in the last 60 min (limit 10, S3IR_MAX_DELETES)',
    });
    expect(judgeReservation({ changes: 100, deletes: 10 }, { changes: 1, deletes: 1 }, limits)).toMatchObject(
      {
        reason: expect.stringMatching(/^101 changes .* and 11 deletes /),
      },
    );
  });

  it('counts nothing against an absent limit', () => {
    expect(
      judgeReservation(
        { changes: 10 ** 6, deletes: 10 ** 6 },
        { changes: 1, deletes: 1 },
        { windowMinutes: 60 },
      ),
    ).toEqual({
      fits: true,
    });
    expect(isLimited({ windowMinutes: 60 })).toBe(false);
    expect(isLimited({ windowMinutes: 60, maxDeletes: 0 })).toBe(true);
  });
});

describe('slotRoom()', () => {
  it('is what the current slot may hold before the ADD: the limit less the other slots and the request', () => {
    expect(
      slotRoom(
        { changes: 40, deletes: 2 },
        { changes: 5, deletes: 1 },
        { maxChanges: 100, maxDeletes: 10, windowMinutes: 60 },
      ),
    ).toEqual({ changes: 55, deletes: 7 });
    expect(
      slotRoom(
        { changes: 40, deletes: 2 },
        { changes: 5, deletes: 1 },
        { maxChanges: 100, windowMinutes: 60 },
      ),
    ).toEqual({
      changes: 55,
    });
  });
});
