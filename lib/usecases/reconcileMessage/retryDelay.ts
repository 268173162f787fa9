import { RetryableReconcileError, type RetryReason } from '../../core/reconcile/reconcileErrors.js';
import { DeadlineError } from './deadline.js';

/**
 * How long a failed bucket's message waits before SQS hands it out again, by why it failed (seconds,
 * first receive; each later receive doubles the range). Without this it waits the queue's whole
 * visibility timeout (720 s, 6 x the function timeout), which suits nothing that failed for a passing
 * reason:
 * - `conflict`: the lease holder is done within a second; the worker already waited 3 s and re-planned.
 *   5 s lets a burst of sources on one shared policy drain; 30 s is the lease TTL, so by then even a
 *   lease left by a crashed worker has expired. The spread keeps workers that met from meeting again.
 * - `unverified`: a policy write read back differently (S3 and KMS policy changes propagate in seconds)
 *   or the audit table refused an event (a concurrent append, throttling): gone within a minute.
 * - `transient`: throttling, 5xx, timeouts that outlasted the SDK's own retries, so the pressure lasts
 *   longer than seconds; a minute or two, widely spread, keeps retries from adding to it.
 * - `deadline`: the bucket was never started (the invocation was about to time out); nothing is wrong
 *   with it, so it goes back almost at once.
 * Anything else (a bug, a malformed message) keeps the full timeout: a retry in seconds would not fix it.
 */
export const RETRY_DELAYS = {
  conflict: { minSeconds: 5, maxSeconds: 30 },
  unverified: { minSeconds: 10, maxSeconds: 60 },
  transient: { minSeconds: 30, maxSeconds: 120 },
  deadline: { minSeconds: 1, maxSeconds: 5 },
} as const satisfies Record<RetryReason | 'deadline', { minSeconds: number; maxSeconds: number }>;

/** Why a failed message is retried soon: a {@link RetryReason}, or `deadline`. */
export type RetrySoonReason = keyof typeof RETRY_DELAYS;

/**
 * The longest delay by default: under the queue's 720 s visibility timeout, so a retry is never later than
 * it would have been, while the doubling still spreads a persistent failure over its 5 receives (the
 * redrive `maxReceiveCount`) rather than sending it to the DLQ within two minutes.
 */
export const DEFAULT_MAX_RETRY_DELAY_SECONDS = 600;
/** SQS's own limit on a visibility timeout (12 hours). */
/** Receives past this add no growth (2^10 x any range is beyond every cap already). */
const MAX_DOUBLINGS = 10;

export interface RetryDelayOptions {
  /** Uniform in [0, 1); default `Math.random`. */
  random?: () => number;
  /** Cap on every delay (default {@link DEFAULT_MAX_RETRY_DELAY_SECONDS}). */
  maxSeconds?: number;
}

/** When to retry a failed message, and why. */
export interface RetryDelay {
  reason: RetrySoonReason;
  seconds: number;
}

/** Why `error` is worth retrying soon, or `undefined` when it should wait the full visibility timeout. */
export function retrySoonReason(error: unknown): RetrySoonReason | undefined {
  if (error instanceof DeadlineError) return 'deadline';
  if (error instanceof RetryableReconcileError) return error.reason;
  return undefined;
}

/**
 * The delay before the message that failed with `error` on its `receiveCount`th receive is handed out
 * again: a whole number of seconds drawn uniformly from the reason's range doubled once per earlier
 * receive (exponential backoff with jitter), capped. `undefined`: leave it to the visibility timeout.
 * @example retryDelay(new RetryableReconcileError('b', 'conflict', '…'), 1) // { reason: 'conflict', seconds: 5..30 }
 */
export function retryDelay(
  error: unknown,
  receiveCount: number,
  options: RetryDelayOptions = {},
): RetryDelay | undefined {
  const reason = retrySoonReason(error);
  if (reason === undefined) return undefined;
  const { minSeconds, maxSeconds } = RETRY_DELAYS[reason];
  const earlier = Number.isFinite(receiveCount) ? Math.max(0, Math.floor(receiveCount) - 1) : 0;
  const growth = 2 ** Math.min(earlier, MAX_DOUBLINGS);
  const drawn = (minSeconds + (options.random ?? Math.random)() * (maxSeconds - minSeconds)) * growth;
  const cap = options.maxSeconds ?? DEFAULT_MAX_RETRY_DELAY_SECONDS;
  return { reason, seconds: Math.min(Math.round(drawn), cap) };
}
