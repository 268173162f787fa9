import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { LambdaRuntime } from './LambdaRuntime.js';
import { sqsEvent } from './lambdaEvents.js';
import { type ActivityListener, type BatchResponse, FunctionName } from './types.js';

export interface QueuePollerOptions {
  runtime: LambdaRuntime;
  sqs: Pick<SQSClient, 'send'>;
  queueUrl: string;
  queueArn: string;
  region: string;
  /** The function the queue feeds (default `reconcile`; `discover` for the discovery queue). */
  functionName?: FunctionName;
  /** Long-poll wait of the background loop (default 20 s, the SQS maximum). */
  waitSeconds?: number;
  onActivity?: ActivityListener;
}

/** serverless.yml's `batchSize` for the reconcile queue (also the ReceiveMessage maximum). */
const BATCH_SIZE = 10;

/**
 * The SQS event source mapping of `reconcile`: long-polls the reconcile queue, hands each batch to the
 * function as an SQS event, and deletes the messages it did not report in `batchItemFailures` (those
 * come back after the visibility timeout, as in Lambda). A batch whose invocation throws is left whole.
 */
export class QueuePoller {
  private readonly options: QueuePollerOptions;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(options: QueuePollerOptions) {
    this.options = options;
  }

  /** Polls in the background until `stop()`. */
  start(): void {
    this.loop ??= this.poll();
  }

  /** Receives and reconciles until one receive (1 s wait) comes back empty; resolves with the messages handled. */
  async drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      const messages = await this.receive(1);
      if (messages.length === 0) return handled;
      await this.handle(messages);
      handled += messages.length;
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async poll(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        const messages = await this.receive(this.options.waitSeconds ?? 20);
        if (messages.length > 0) await this.handle(messages);
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.report(error);
        // The local AWS may be going away or throttling: do not spin.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  private async receive(waitSeconds: number): Promise<Message[]> {
    const output = await this.options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: BATCH_SIZE,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
      }),
      { abortSignal: this.abort.signal },
    );
    return output.Messages ?? [];
  }

  private async handle(messages: Message[]): Promise<void> {
    const { runtime, queueArn, region } = this.options;
    let response: BatchResponse;
    try {
      response = await runtime.invoke<BatchResponse>(
        this.options.functionName ?? FunctionName.Reconcile,
        sqsEvent(messages, queueArn, region),
      );
    } catch (error) {
      this.report(error);
      return;
    }
    const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    const done = messages.filter((message) => !failed.has(message.MessageId!));
    if (done.length > 0) {
      await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: done.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle!,
          })),
        }),
      );
    }
    const kind = this.options.functionName === FunctionName.Discover ? 'discovered' : 'reconciled';
    this.options.onActivity?.({ kind, messages: messages.length, failed: failed.size });
  }

  private report(error: unknown): void {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.options.onActivity?.({ kind: 'error', source: 'poller', message });
  }
}
