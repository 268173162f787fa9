/**
 * The highest resident set size seen, sampled every `everyMs` from construction until `stop()`. The
 * process's own peak (`resourceUsage().maxRSS`) covers its whole life; this one covers one sweep.
 */
export class RssSampler {
  private peak = process.memoryUsage.rss();
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 100) {
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage.rss());
    }, everyMs);
    this.timer.unref();
  }

  /** Stops sampling; the peak in MiB. */
  stop(): number {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return this.peak / (1024 * 1024);
  }

  /**
   * The heap still in use after a full garbage collection, in MiB: what the process keeps, as opposed to
   * garbage not yet collected. Needs `--expose-gc` (the bench's worker has it); undefined without.
   */
  static retainedHeapMiB(): number | undefined {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) return undefined;
    gc();
    return process.memoryUsage().heapUsed / (1024 * 1024);
  }
}
