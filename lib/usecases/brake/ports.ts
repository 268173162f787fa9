import type { BrakeLimits, ChangeCounts, Hold } from '../../core/brake/types.js';

/** What the window store answers a reservation: made, refused by a hold in force, or over the limits. */
export type WindowReservation =
  | { kind: 'granted' }
  | { kind: 'held'; hold: Hold }
  | { kind: 'over'; used: ChangeCounts; reason: string };

/**
 * The account-wide window of changes and the hold (the state table's `#brake` and `#hold` items in the
 * service: lib/adapters/aws/DynamoChangeWindow). Every writer of AWS reserves here before it writes.
 */
export interface ChangeWindowStore {
  /**
   * Adds `request` to the current minute's counter, atomically refused while a hold is in force, and
   * answered `over` (nothing added) when the window would cross `limits`.
   */
  reserve(request: ChangeCounts, limits: BrakeLimits, nowMs: number): Promise<WindowReservation>;
  /** Puts the hold unless one is in force: true when this call put it (so it alone announces it). */
  startHold(hold: Hold): Promise<boolean>;
  /** The hold in force (a strongly consistent read), or undefined. */
  currentHold(): Promise<Hold | undefined>;
  /** What the window ending now holds. */
  windowCounts(windowMinutes: number, nowMs: number): Promise<ChangeCounts>;
  /** Removes the hold and resets the window's counters: the hold removed, or undefined when none was. */
  release(windowMinutes: number, nowMs: number): Promise<Hold | undefined>;
}

/** What one bucket asks of the brake before it writes: the changes (deletes among them) of its plan. */
export interface BrakeRequest extends ChangeCounts {
  bucket: string;
  runId: string;
  actor: string;
  /**
   * Each write's intent record checks the hold itself (#18 point 4: lib/usecases/ports.ts
   * `IntentStore.checksHold`): a brake without limits then needs no read of the hold at all.
   */
  holdCheckedAtWrite?: boolean;
}

/** The brake's answer: write, or handle the bucket in detect mode because the service is on hold. */
export type BrakeAnswer = { granted: true } | { granted: false; hold: Hold; started: boolean };

/** The account-wide brake as a writer sees it (lib/usecases/brake/accountBrake). */
export interface ChangeBrake {
  reserve(request: BrakeRequest): Promise<BrakeAnswer>;
}
