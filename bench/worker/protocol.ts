import type { SweepMeasurement } from '../types.js';

/** What the bench's main process asks of the worker (over the IPC channel of `fork`). */
export type WorkerRequest =
  /**
   * Run one sweep: the schedule handler, then the queue through the reconcile sandboxes. `expect`: bucket
   * messages discovery enqueues beyond the schedule's own (#18, bench/org), waited for as well.
   */
  | { type: 'sweep'; expect?: number }
  /** Start the event-driven path: change events to `s3Change`, the queue polled continuously. */
  | { type: 'listen' }
  /** One change event of the gateway, as EventBridge would deliver it to `s3Change`. */
  | { type: 'change-event'; event: unknown }
  /** Stop the event-driven path once the messages in flight are handled. */
  | { type: 'quiet' }
  /** Report the process's peak RSS and exit. */
  | { type: 'finish' };

/** What the worker answers. */
export type WorkerReply =
  | { type: 'ready'; loadMs: number }
  | { type: 'swept'; measurement: SweepMeasurement }
  | { type: 'listening' }
  | { type: 'quiet'; messages: number; failed: number; changeErrors: string[] }
  | { type: 'finished'; maxRssMiB: number }
  | { type: 'error'; message: string };

/** The worker's settings, passed in its environment as JSON (`S3IR_BENCH_WORKER`). */
export interface WorkerSettings {
  /** The local AWS's env (your credentials): the worker turns it into the functions' env. */
  localEnv: Record<string, string>;
  concurrency: number;
}

export const WORKER_SETTINGS_VAR = 'S3IR_BENCH_WORKER';
