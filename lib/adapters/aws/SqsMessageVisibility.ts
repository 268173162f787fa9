import type { SQSClient } from '@aws-sdk/client-sqs';
import { describeFailure } from '../../core/reconcile/reconcileErrors.js';
import type {
  MessageVisibilityPort,
  VisibilityChange,
  VisibilityFailure,
} from '../../usecases/reconcileMessage/retrySoon.js';
import { SQS_BATCH_LIMIT } from './constants.js';
import { loadSdk } from './loadSdk.js';
import { parseQueueArn, queueUrlOf } from './sqsQueueUrl.js';
import { callAws } from './toAdapterError.js';

export interface SqsMessageVisibilityOptions {
  /** The SQS client for a queue's region (the one factory's, home account). */
  clientFor: (region: string) => Promise<Pick<SQSClient, 'send'>>;
  /** The function's own queue URL (`S3IR_QUEUE_URL`), preferred for that queue (lib/adapters/aws/sqsQueueUrl). */
  queueUrl?: string;
}

/**
 * Changes the visibility timeout of received messages by receipt handle, with ChangeMessageVisibilityBatch
 * per queue (10 entries a call; IAM authorizes it as sqs:ChangeMessageVisibility). Answers the changes not
 * made, each with its reason, rather than throwing: a batch can partly fail, and one queue's or call's
 * failure leaves the others' changes made. The SQS package is loaded with the first change (lib/adapters/aws/loadSdk):
 * most invocations have no failure to hand back.
 */
export class SqsMessageVisibility implements MessageVisibilityPort {
  private readonly options: SqsMessageVisibilityOptions;

  constructor(options: SqsMessageVisibilityOptions) {
    this.options = options;
  }

  async changeVisibility(changes: readonly VisibilityChange[]): Promise<VisibilityFailure[]> {
    const byQueue = new Map<string, VisibilityChange[]>();
    for (const change of changes)
      byQueue.set(change.queueArn, [...(byQueue.get(change.queueArn) ?? []), change]);
    const calls: Promise<VisibilityFailure[]>[] = [];
    for (const [queueArn, entries] of byQueue) {
      for (let start = 0; start < entries.length; start += SQS_BATCH_LIMIT)
        calls.push(this.changeBatch(queueArn, entries.slice(start, start + SQS_BATCH_LIMIT)));
    }
    return (await Promise.all(calls)).flat();
  }

  private async changeBatch(
    queueArn: string,
    changes: readonly VisibilityChange[],
  ): Promise<VisibilityFailure[]> {
    try {
      const queueUrl = queueUrlOf(queueArn, this.options.queueUrl);
      const client = await this.options.clientFor(parseQueueArn(queueArn).region);
      const { ChangeMessageVisibilityBatchCommand } = await loadSdk('sqs');
      const output = await callAws(`ChangeMessageVisibilityBatch ${queueUrl}`, () =>
        client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            // Ids are positions: a message id is not guaranteed to fit SQS's batch entry id rules.
            Entries: changes.map((change, index) => ({
              Id: String(index),
              ReceiptHandle: change.receiptHandle,
              VisibilityTimeout: change.visibilitySeconds,
            })),
          }),
        ),
      );
      return (output.Failed ?? []).map((entry) => ({
        messageId: changes[Number(entry.Id)]?.messageId ?? `entry ${entry.Id}`,
        error: `${entry.Code ?? 'Failed'}: ${entry.Message ?? 'ChangeMessageVisibilityBatch refused the entry'}`,
      }));
    } catch (error) {
      const why = describeFailure(error);
      return changes.map((change) => ({ messageId: change.messageId, error: why }));
    }
  }
}
