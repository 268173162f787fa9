/** Options of {@link waitUntil}. */
export interface WaitUntilOptions {
  /** Give up after this many milliseconds. */
  timeoutMs: number;
  /** Pause between attempts (default 100 ms). */
  intervalMs?: number;
  /** Stop early, e.g. when the child process exited; the returned reason becomes the error. */
  abortReason?: () => string | undefined;
}

/**
 * Polls `probe` until it returns true. Resolves on success; rejects with a reason (timeout or abort)
 * as an `Error` whose message the caller wraps.
 */
export async function waitUntil(probe: () => Promise<boolean>, options: WaitUntilOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 100;
  for (;;) {
    const aborted = options.abortReason?.();
    if (aborted) throw new Error(aborted);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`not ready after ${Math.round(options.timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
