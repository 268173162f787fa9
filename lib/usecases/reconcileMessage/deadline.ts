import { ReconcileError } from '../../core/reconcile/errors.js';

/** Defaults of the reconcile worker's deadline handling; the environment may override them. */
export const WORKER_DEFAULTS = {
  /** Do not start a bucket with less than this left before the Lambda deadline. */
  deadlineMarginMs: 15_000,
  /** The queue's redrive `maxReceiveCount` (serverless.yml default). */
  maxReceiveCount: 5,
} as const;

/** A message not started because the invocation was about to time out; SQS redelivers it. */
export class DeadlineError extends ReconcileError {
  readonly retryable = true;
  constructor(messageId: string) {
    super(`not started: too close to the Lambda deadline (message ${messageId})`);
    this.name = 'DeadlineError';
  }
}

/** `S3IR_DEADLINE_MARGIN_MS`, else the default. */
export function deadlineMarginMs(env: Readonly<Record<string, string | undefined>>): number {
  return positive(env.S3IR_DEADLINE_MARGIN_MS) ?? WORKER_DEFAULTS.deadlineMarginMs;
}

/** `S3IR_MAX_RECEIVE_COUNT` (the queue's redrive setting), else the default. */
export function maxReceiveCount(env: Readonly<Record<string, string | undefined>>): number {
  return positive(env.S3IR_MAX_RECEIVE_COUNT) ?? WORKER_DEFAULTS.maxReceiveCount;
}

function positive(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && text !== '' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
