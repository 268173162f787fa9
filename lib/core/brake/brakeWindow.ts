import type { BrakeLimits, ChangeCounts } from './types.js';

/** One counter item per minute: the window is the sum of its last `windowMinutes` slots. */
export const SLOT_MS = 60_000;

/** A minute slot's counts, as the counter items hold them. */
export interface SlotCounts extends ChangeCounts {
  /** The slot's id ({@link slotId}). */
  slot: string;
}

/**
 * The id of the minute slot `timeMs` falls in: `2026-12-06T15:45Z`. Fixed width, so ids sort as times
 * do and a window is one `BETWEEN` range.
 */
export function slotId(timeMs: number): string {
  const start = Math.floor(timeMs / SLOT_MS) * SLOT_MS;
  return `${new Date(start).toISOString().slice(0, 16)}Z`;
}

/** The first and last slot of the window that ends with the slot of `nowMs` (both inclusive). */
export function windowRange(nowMs: number, windowMinutes: number): { first: string; last: string } {
  return { first: slotId(nowMs - (windowMinutes - 1) * SLOT_MS), last: slotId(nowMs) };
}

/** Whether a slot id falls in the window ending at `nowMs`. */
export function inWindow(slot: string, nowMs: number, windowMinutes: number): boolean {
  const { first, last } = windowRange(nowMs, windowMinutes);
  return slot >= first && slot <= last;
}

/** The window's totals: the slots in it summed (slots outside it, e.g. not yet expired by TTL, ignored). */
export function sumWindow(slots: readonly SlotCounts[], nowMs: number, windowMinutes: number): ChangeCounts {
  let changes = 0;
  let deletes = 0;
  for (const slot of slots) {
    if (!inWindow(slot.slot, nowMs, windowMinutes)) continue;
    changes += slot.changes;
    deletes += slot.deletes;
  }
  return { changes, deletes };
}

/** What a reservation of `request` on a window holding `used` gives: fits, or crosses with why. */
export type WindowJudgement = { fits: true } | { fits: false; reason: string };

/**
 * Whether `request` fits in the window beside `used`. A limit that is absent does not count; a request that
 * exactly reaches a limit fits (the limit is what may be made), one more crosses it.
 * @example judgeReservation({ changes: 99, deletes: 0 }, { changes: 2, deletes: 0 }, { maxChanges: 100, windowMinutes: 60 })
 *   // { fits: false, reason: '101 changes in the last 60 min (limit 100, S3IR_MAX_CHANGES)' }
 */
export function judgeReservation(
  used: ChangeCounts,
  request: ChangeCounts,
  limits: BrakeLimits,
): WindowJudgement {
  const window = `in the last ${limits.windowMinutes} min`;
  const over: string[] = [];
  const changes = used.changes + request.changes;
  const deletes = used.deletes + request.deletes;
  if (limits.maxChanges !== undefined && changes > limits.maxChanges)
    over.push(`${changes} changes ${window} (limit ${limits.maxChanges}, S3IR_MAX_CHANGES)`);
  if (limits.maxDeletes !== undefined && deletes > limits.maxDeletes)
    over.push(`${deletes} deletes ${window} (limit ${limits.maxDeletes}, S3IR_MAX_DELETES)`);
  return over.length === 0 ? { fits: true } : { fits: false, reason: over.join(' and ') };
}

/**
 * The most the current slot may hold after a reservation, given what the window's other slots hold: the
 * conditional ADD's bound (`changes <= room`), so workers racing in one slot never pass the limit together.
 * `undefined` where the limit is absent.
 */
export function slotRoom(
  others: ChangeCounts,
  request: ChangeCounts,
  limits: BrakeLimits,
): { changes?: number; deletes?: number } {
  return {
    ...(limits.maxChanges !== undefined && {
      changes: limits.maxChanges - others.changes - request.changes,
    }),
    ...(limits.maxDeletes !== undefined && {
      deletes: limits.maxDeletes - others.deletes - request.deletes,
    }),
  };
}

/** Whether the limits are set at all: without either, nothing is counted. */
export function isLimited(limits: BrakeLimits): boolean {
  return limits.maxChanges !== undefined || limits.maxDeletes !== undefined;
}
