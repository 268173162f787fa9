import type { LambdaRuntime } from './LambdaRuntime.js';
import { scheduledEvent } from './lambdaEvents.js';
import { type ActivityListener, FunctionName, type SweepResult } from './types.js';

export interface SchedulerOptions {
  runtime: LambdaRuntime;
  region: string;
  /** Seconds between sweeps (serverless.yml's `scheduleRate`; default 60). */
  everySeconds?: number;
  onActivity?: ActivityListener;
}

/** The EventBridge schedule rule's name in the local account. */
const RULE_NAME = 's3ir-local-schedule';

/**
 * The EventBridge schedule of `schedule`: invokes it with a scheduled event every `everySeconds`, the
 * next one counted from the end of the last (a slow sweep is never overlapped by the next).
 */
export class Scheduler {
  private readonly options: SchedulerOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(options: SchedulerOptions) {
    this.options = options;
  }

  /** Invokes `schedule` once now. */
  async sweep(): Promise<SweepResult> {
    const event = scheduledEvent(this.options.region, RULE_NAME);
    const result = await this.options.runtime.invoke<SweepResult>(FunctionName.Schedule, event);
    this.options.onActivity?.({ kind: 'sweep', ...result });
    return result;
  }

  /** Sweeps every `everySeconds` from now on, until `stop()`. */
  start(): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.running = this.sweep()
          .catch((error: unknown) => {
            const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
            this.options.onActivity?.({ kind: 'error', source: FunctionName.Schedule, message });
          })
          .finally(() => this.start());
      },
      (this.options.everySeconds ?? 60) * 1_000,
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
