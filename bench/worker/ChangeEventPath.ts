import type { Context } from 'aws-lambda';
import { lambdaContext } from '../../infra/local/service/lambdaEvents.js';
import type { QueueLanes } from './QueueLanes.js';

/** serverless.yml's timeout of s3Change (the 6 s default, given room as infra/local/service does). */
const S3_CHANGE_TIMEOUT_MS = 30_000;

export type S3ChangeHandler = (event: unknown, context: Context) => Promise<unknown>;

/** What one listening period handled. */
export interface QuietReport {
  messages: number;
  failed: number;
  /** s3Change invocations that threw, one line each. */
  changeErrors: string[];
}

/**
 * The event-driven path while listening: each change event goes to `s3Change`, one at a time and in
 * order (as infra/local/service delivers them), and the reconcile queue is polled all along, so the
 * buckets it enqueues are reconciled at once.
 */
export class ChangeEventPath {
  private listening:
    | {
        stopping: boolean;
        running: Promise<void>;
        chain: Promise<void>;
        errors: string[];
        base: [number, number];
      }
    | undefined;

  constructor(
    private readonly lanes: QueueLanes,
    private readonly s3Change: S3ChangeHandler,
    private readonly region: string,
  ) {}

  listen(): void {
    if (this.listening) return;
    const state: NonNullable<ChangeEventPath['listening']> = {
      stopping: false,
      running: Promise.resolve(),
      chain: Promise.resolve(),
      errors: [],
      base: [this.lanes.messages, this.lanes.failed],
    };
    // Never aborted: moto would still hand messages to an abandoned long poll (see worker.ts).
    state.running = this.lanes.run(() => state.stopping, new AbortController().signal);
    this.listening = state;
  }

  /** One change event, as the EventBridge rule would deliver it; ignored while not listening. */
  deliver(event: unknown): void {
    const state = this.listening;
    if (!state) return;
    state.chain = state.chain.then(async () => {
      try {
        await this.s3Change(event, lambdaContext('s3Change', S3_CHANGE_TIMEOUT_MS, this.region));
      } catch (error) {
        state.errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
    });
  }

  /**
   * Stops listening once the events delivered so far are handled and the batches in flight settled (the
   * lanes' last long polls end within a second).
   */
  async quiet(): Promise<QuietReport> {
    const state = this.listening;
    if (!state) return { messages: 0, failed: 0, changeErrors: [] };
    this.listening = undefined;
    await state.chain;
    state.stopping = true;
    await state.running;
    return {
      messages: this.lanes.messages - state.base[0],
      failed: this.lanes.failed - state.base[1],
      changeErrors: state.errors,
    };
  }
}
