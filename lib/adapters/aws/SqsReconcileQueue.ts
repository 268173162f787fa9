import type { SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { mapLimit } from '../../core/concurrency/mapLimit.js';
import {
  type BucketMessage,
  formatBucketMessage,
  type ReconcileQueue,
} from '../../usecases/reconcileMessage/bucketMessage.js';
import { SQS_BATCH_LIMIT } from './constants.js';
import { AwsAdapterError } from './errors.js';
import { loadSdk } from './loadSdk.js';
import { callAws } from './toAdapterError.js';

export interface SqsReconcileQueueOptions {
  client: Pick<SQSClient, 'send'>;
  queueUrl: string;
  /** Rounds of resending entries SQS refused (default 3). */
  maxRounds?: number;
  /** Pause before a resend round, doubled each round (default 100 ms). */
  backoffMs?: number;
  /** SendMessageBatch calls in flight at once (default 16): a 10,000-bucket sweep is 1,000 batches. */
  concurrency?: number;
}

/**
 * The reconcile queue: bucket messages in batches of 10 (SendMessageBatch), resending the entries SQS
 * refused (a batch can partly fail) until none are left or the rounds run out. The SQS package is loaded
 * with the first batch (lib/adapters/aws/loadSdk): the reconcile function holds this queue and never enqueues.
 */
export class SqsReconcileQueue implements ReconcileQueue {
  private readonly options: SqsReconcileQueueOptions;

  constructor(options: SqsReconcileQueueOptions) {
    this.options = options;
  }

  async enqueue(messages: readonly BucketMessage[]): Promise<void> {
    const batches: SendMessageBatchRequestEntry[][] = [];
    for (let start = 0; start < messages.length; start += SQS_BATCH_LIMIT) {
      batches.push(
        messages.slice(start, start + SQS_BATCH_LIMIT).map((message, index) => ({
          Id: String(index),
          MessageBody: formatBucketMessage(message),
        })),
      );
    }
    // Bounded: 1,000 batches at once would wait on sockets past the SDK's connection timeout.
    await mapLimit(batches, this.options.concurrency ?? 16, (batch) => this.send(batch));
  }

  private async send(entries: SendMessageBatchRequestEntry[]): Promise<void> {
    const maxRounds = this.options.maxRounds ?? 3;
    const { SendMessageBatchCommand } = await loadSdk('sqs');
    let pending = entries;
    for (let round = 0; ; round++) {
      const output = await callAws(`SendMessageBatch ${this.options.queueUrl}`, () =>
        this.options.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: pending }),
        ),
      );
      const failed = new Set((output.Failed ?? []).map((entry) => entry.Id));
      const refused = (output.Failed ?? []).filter((entry) => entry.SenderFault);
      if (refused.length > 0) {
        throw new AwsAdapterError({
          code: refused[0]!.Code ?? 'SenderFault',
          message: `SendMessageBatch refused ${refused.length} entries: ${refused[0]!.Message ?? ''}`,
        });
      }
      pending = pending.filter((entry) => failed.has(entry.Id));
      if (pending.length === 0) return;
      if (round + 1 >= maxRounds) {
        throw new AwsAdapterError({
          code: 'BatchEntriesFailed',
          message: `SendMessageBatch: ${pending.length} entries still failing after ${maxRounds} rounds`,
          retryable: true,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, (this.options.backoffMs ?? 100) * 2 ** round));
    }
  }
}
