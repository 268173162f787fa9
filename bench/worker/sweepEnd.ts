/** What the worker knows of a sweep when it asks whether the sweep has ended. */
export interface SweepProgress {
  /** The schedule handler has answered (its run id and bucket count are known). */
  scheduled: boolean;
  /** When every member account's discovery settled (ms, the worker's clock); at once without any. */
  discoverySettledAt: number | undefined;
  /** Bucket messages of the run settled so far, and how many the sweep waits for. */
  settled: number;
  wanted: number;
  /** Whether a discovery queue feeds this sweep: only then may it end on an idle reconcile queue. */
  discovery: boolean;
  /** Reconcile batches in flight, and when the last one ended (ms). */
  inFlight: number;
  lastBatchAt: number;
  now: number;
  /** How long the reconcile queue must stay idle once discovery settled. */
  idleMs: number;
}

/**
 * When the sweep ended, or undefined while it goes on. It ends when every bucket message it waits for has
 * settled (now); with discovery, also once discovery settled and no batch ran for `idleMs` (at the last
 * batch's end): an account whose discovery failed, or found fewer buckets, never sends the rest.
 * @example sweepEnd({ scheduled: true, discoverySettledAt: 0, settled: 10, wanted: 10, ... now: 42 }) // 42
 */
export function sweepEnd(progress: SweepProgress): number | undefined {
  if (!progress.scheduled || progress.discoverySettledAt === undefined) return undefined;
  if (progress.settled >= progress.wanted) return progress.now;
  if (!progress.discovery || progress.inFlight > 0) return undefined;
  const last = Math.max(progress.lastBatchAt, progress.discoverySettledAt);
  return progress.now - last >= progress.idleMs ? last : undefined;
}
