import { ReconcileError } from '../../core/reconcile/errors.js';

/** Defaults of the reconcile worker's deadline handling; serviceConfig's settings override them. */
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
