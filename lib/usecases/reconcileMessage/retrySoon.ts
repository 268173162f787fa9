import { describeFailure } from '../../core/reconcile/reconcileErrors.js';
import { type RetryDelayOptions, type RetrySoonReason, retryDelay } from './retryDelay.js';

/** A message to hand out again after `visibilitySeconds`: SQS ChangeMessageVisibility on its receipt. */
export interface VisibilityChange {
  messageId: string;
  /** The queue it came from (the record's `eventSourceARN`). */
  queueArn: string;
  receiptHandle: string;
  visibilitySeconds: number;
}

/** A change that was not made: SQS refused it, or could not be asked. */
export interface VisibilityFailure {
  messageId: string;
  error: string;
}

/** SQS ChangeMessageVisibility(Batch) (lib/adapters/aws/SqsMessageVisibility). Answers the changes not made. */
export interface MessageVisibilityPort {
  changeVisibility(changes: readonly VisibilityChange[]): Promise<VisibilityFailure[]>;
}

/** A message of the batch whose reconcile threw (it is in `batchItemFailures`). */
export interface FailedMessage {
  messageId: string;
  queueArn: string;
  receiptHandle: string;
  /** SQS's `ApproximateReceiveCount` of this delivery (1 on the first). */
  receiveCount: number;
  error: unknown;
}

export interface RetrySoonOptions extends RetryDelayOptions {
  visibility: MessageVisibilityPort;
}

/** What the step did: the messages that come back soon (and why), and the changes that failed. */
export interface RetrySoonReport {
  scheduled: (VisibilityChange & { reason: RetrySoonReason })[];
  failed: VisibilityFailure[];
}

/**
 * Makes the failed messages that failed for a passing reason (lib/usecases/reconcileMessage/retryDelay) visible again
 * after their short delay, instead of the queue's full visibility timeout. Never throws: a change that
 * fails is only reported, and its message waits the full timeout as it would have anyway, so this step
 * can never fail or change the batch response.
 */
export async function retrySoon(
  failed: readonly FailedMessage[],
  options: RetrySoonOptions,
): Promise<RetrySoonReport> {
  const scheduled = failed.flatMap((message) => {
    const delay = retryDelay(message.error, message.receiveCount, options);
    if (delay === undefined) return [];
    const { messageId, queueArn, receiptHandle } = message;
    return [{ messageId, queueArn, receiptHandle, visibilitySeconds: delay.seconds, reason: delay.reason }];
  });
  if (scheduled.length === 0) return { scheduled, failed: [] };
  let refused: VisibilityFailure[];
  try {
    refused = await options.visibility.changeVisibility(
      scheduled.map(({ reason: _reason, ...change }) => change),
    );
  } catch (error) {
    const why = describeFailure(error);
    refused = scheduled.map((change) => ({ messageId: change.messageId, error: why }));
  }
  const notMade = new Set(refused.map((failure) => failure.messageId));
  return { scheduled: scheduled.filter((change) => !notMade.has(change.messageId)), failed: refused };
}
