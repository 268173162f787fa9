import type { Context } from 'aws-lambda';

/**
 * The four functions the local service runs, as the Lambda runtime calls them (the other two of functions/,
 * delivery-check and audit-api, run locally as `s3ir delivery` and `s3ir serve`).
 */
export const FunctionName = {
  Schedule: 'schedule',
  Reconcile: 'reconcile',
  S3Change: 's3Change',
  DesiredChange: 'desiredChange',
  /** The discovery fan-out's handler (#18), run only when the env names a discovery queue. */
  Discover: 'discover',
} as const;
export type FunctionName = (typeof FunctionName)[keyof typeof FunctionName];

/** A handler as the runtime sees it: an event and a context in, a result out. */
export type LambdaHandler = (event: never, context: Context) => Promise<unknown>;

/** The result of a batch function (SQS, DynamoDB stream) with partial batch responses. */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** What the local runtime reports as it works; the start script prints these, tests collect them. */
export type ServiceActivity =
  | { kind: 'sweep'; runId: string; buckets: number }
  | { kind: 'reconciled'; messages: number; failed: number }
  | { kind: 'discovered'; messages: number; failed: number }
  | { kind: 'change'; eventName: string; bucket?: string; enqueued: string[]; ignored: boolean }
  | { kind: 'desired-change'; records: number; failed: number }
  | { kind: 'error'; source: FunctionName | 'poller' | 'stream'; message: string };

export type ActivityListener = (activity: ServiceActivity) => void;

/** What `schedule` answers (functions/schedule.ts), as far as the local service reports it. */
export interface SweepResult {
  runId: string;
  buckets: number;
  /** With a discovery queue (#18): the member accounts enqueued for discovery, and those dropped. */
  accountsDiscovered?: string[];
  accountsDropped?: string[];
}

/** Options of `startLocalService()`. */
export interface LocalServiceOptions {
  /** The env that points at the local AWS (`LocalAws.env`). */
  env: Record<string, string>;
  /** Subscribe to the gateway's change events (`LocalAws.onChangeEvent`); without it, no event-driven path. */
  onChangeEvent?: (listener: (event: unknown) => void) => () => void;
  /** Seconds between scheduled sweeps (default 60); 0 turns the scheduler off. */
  scheduleSeconds?: number;
  /** Emulate the desired-state table's stream for `desiredChange` (default true). */
  streams?: boolean;
  onActivity?: ActivityListener;
}

/** A running local service. */
export interface LocalService {
  /** Invokes `schedule` now, as the EventBridge rule would. */
  sweep(): Promise<SweepResult>;
  /**
   * Receives and reconciles until the queue stays empty for one long poll; resolves with the messages handled.
   * With a discovery queue, its messages are handled first (they enqueue buckets), until both stay empty.
   */
  drain(): Promise<number>;
  /** Whether the desired-state stream is being emulated (false when DynamoDB Local has no stream). */
  readonly streaming: boolean;
  /** Stops the scheduler and the pollers, waits for the invocation in flight; safe to call twice. */
  stop(): Promise<void>;
}
