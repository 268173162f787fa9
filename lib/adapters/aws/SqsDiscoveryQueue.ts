import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DiscoveryMessage, DiscoveryQueue } from '../../usecases/discovery/discoveryMessage.js';
import { SQS_BATCH_LIMIT } from './constants.js';
import { AwsAdapterError } from './errors.js';
import { loadSdk } from './loadSdk.js';
import { callAws } from './toAdapterError.js';

export interface SqsDiscoveryQueueOptions {
  client: Pick<SQSClient, 'send'>;
  queueUrl: string;
}

/**
 * The discovery queue (#18): one message per member account a sweep discovers, in batches of 10
 * (SendMessageBatch). A batch with entries SQS failed is an error (the schedule is retried by Lambda and
 * the next sweep discovers again): a few hundred accounts are a few dozen batches.
 */
export class SqsDiscoveryQueue implements DiscoveryQueue {
  private readonly options: SqsDiscoveryQueueOptions;

  constructor(options: SqsDiscoveryQueueOptions) {
    this.options = options;
  }

  async enqueueDiscovery(messages: readonly DiscoveryMessage[]): Promise<void> {
    const { SendMessageBatchCommand } = await loadSdk('sqs');
    for (let start = 0; start < messages.length; start += SQS_BATCH_LIMIT) {
      const Entries = messages.slice(start, start + SQS_BATCH_LIMIT).map((message, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify({ account: message.account, runId: message.runId }),
      }));
      const output = await callAws(`SendMessageBatch ${this.options.queueUrl}`, () =>
        this.options.client.send(new SendMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries })),
      );
      const failed = output.Failed ?? [];
      if (failed.length > 0) {
        throw new AwsAdapterError({
          code: failed[0]!.Code ?? 'BatchEntriesFailed',
          message: `SendMessageBatch: ${failed.length} discovery messages not sent: ${failed[0]!.Message ?? ''}`,
          retryable: !failed.some((entry) => entry.SenderFault),
        });
      }
    }
  }
}
