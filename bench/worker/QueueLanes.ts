import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { lambdaContext, sqsEvent } from '../../infra/local/service/lambdaEvents.js';

/** The reconcile function's handler, as Lambda calls it. */
export type ReconcileHandler = (
  event: SQSEvent,
  context: Context,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

export interface QueueLanesOptions {
  sqs: Pick<SQSClient, 'send'>;
  queueUrl: string;
  queueArn: string;
  region: string;
  /** One handler per lane: each lane is one Lambda sandbox, invoked with one batch at a time. */
  handlers: readonly ReconcileHandler[];
  /** The function the queue feeds, for its Lambda context (default the reconcile function and its timeout). */
  function?: { name: string; timeoutMs: number };
}

/** serverless.yml: the reconcile function's timeout, and its event source's batch size. */
const RECONCILE_TIMEOUT_MS = 120_000;
const BATCH_SIZE = 10;
/** Long-poll wait of an idle lane: short, so a finished sweep lets its lanes go within a second. */
const WAIT_SECONDS = 1;

/**
 * The reconcile queue's event source mapping with `handlers.length` concurrent sandboxes: each lane
 * receives up to 10 messages, invokes its handler with the SQS event Lambda would build, and deletes the
 * messages the partial batch response did not name. Those it makes visible again at once: Lambda leaves
 * them for the queue's visibility timeout (720 s), which would carry a sweep's retries into the next
 * measurement. Counts what it handled; the counts carry over between runs.
 */
export class QueueLanes {
  messages = 0;
  failed = 0;
  invocations = 0;
  private readonly options: QueueLanesOptions;

  constructor(options: QueueLanesOptions) {
    this.options = options;
  }

  /**
   * Runs every lane until `stop()` says so (checked before each receive) or `signal` aborts a receive.
   * `onBatch` is called with each batch once it is settled, with the ids of the messages that failed
   * (they are back on the queue).
   */
  async run(
    stop: () => boolean,
    signal: AbortSignal,
    onBatch?: (messages: Message[], failed: ReadonlySet<string>) => void,
  ): Promise<void> {
    await Promise.all(
      this.options.handlers.map(async (handler) => {
        while (!stop() && !signal.aborted) {
          const messages = await this.receive(signal);
          if (messages.length === 0) continue;
          const failed = await this.handle(handler, messages);
          onBatch?.(messages, failed);
        }
      }),
    );
  }

  private async receive(signal: AbortSignal): Promise<Message[]> {
    try {
      const output = await this.options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.options.queueUrl,
          MaxNumberOfMessages: BATCH_SIZE,
          WaitTimeSeconds: WAIT_SECONDS,
          MessageSystemAttributeNames: ['All'],
        }),
        { abortSignal: signal },
      );
      return output.Messages ?? [];
    } catch (error) {
      if (signal.aborted) return [];
      throw error;
    }
  }

  private async handle(handler: ReconcileHandler, messages: Message[]): Promise<Set<string>> {
    const { queueArn, region, queueUrl } = this.options;
    this.invocations += 1;
    let failed: Set<string>;
    try {
      const response = await handler(
        sqsEvent(messages, queueArn, region),
        lambdaContext(
          this.options.function?.name ?? 'reconcile',
          this.options.function?.timeoutMs ?? RECONCILE_TIMEOUT_MS,
          region,
        ),
      );
      failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch {
      // A thrown invocation fails the whole batch: every message comes back.
      failed = new Set(messages.map((message) => message.MessageId!));
    }
    const done = messages.filter((message) => !failed.has(message.MessageId!));
    if (done.length > 0) {
      await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle!,
          })),
        }),
      );
    }
    const retry = messages.filter((message) => failed.has(message.MessageId!));
    if (retry.length > 0) {
      await this.options.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: retry.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle!,
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
    this.messages += messages.length;
    this.failed += failed.size;
    return failed;
  }
}
