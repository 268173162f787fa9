import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { QueueLanes, type ReconcileHandler } from '../../../bench/worker/QueueLanes.js';

/** A queue in memory that answers the three calls the lanes make, and records them. */
function fakeSqs(messages: Message[]) {
  const pending = [...messages];
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  const send = async (command: unknown) => {
    const { input } = command as { input: Record<string, unknown> };
    if (command instanceof ReceiveMessageCommand) {
      calls.push({ name: 'ReceiveMessage', input });
      // An empty queue answers after a wait, as a long poll does.
      if (pending.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      return { Messages: pending.splice(0, Number(input.MaxNumberOfMessages)) };
    }
    if (command instanceof DeleteMessageBatchCommand) calls.push({ name: 'DeleteMessageBatch', input });
    if (command instanceof ChangeMessageVisibilityBatchCommand) {
      calls.push({ name: 'ChangeMessageVisibilityBatch', input });
    }
    return {};
  };
  return { sqs: { send } as never, calls, pending };
}

const message = (id: number): Message => ({
  MessageId: `m${id}`,
  ReceiptHandle: `r${id}`,
  Body: JSON.stringify({ bucket: `b${id}`, runId: 'sweep-1' }),
  Attributes: { ApproximateReceiveCount: '1' },
});

describe('QueueLanes', () => {
  it('hands batches of up to 10 to the handlers as SQS events and deletes what succeeded', async () => {
    const { sqs, calls } = fakeSqs(Array.from({ length: 25 }, (_, index) => message(index)));
    const events: SQSEvent[] = [];
    const handler: ReconcileHandler = async (event, context) => {
      events.push(event);
      expect(context.getRemainingTimeInMillis()).toBeGreaterThan(100_000);
      return { batchItemFailures: [] };
    };
    const lanes = new QueueLanes({
      sqs,
      queueUrl: 'q',
      queueArn: 'arn:q',
      region: 'us-east-1',
      handlers: [handler],
    });
    await lanes.run(() => lanes.messages >= 25, new AbortController().signal);

    expect(events.map((event) => event.Records.length)).toEqual([10, 10, 5]);
    expect(events[0]!.Records[0]).toMatchObject({
      messageId: 'm0',
      receiptHandle: 'r0',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:q',
    });
    const deleted = calls.filter((call) => call.name === 'DeleteMessageBatch');
    expect(deleted.map((call) => (call.input.Entries as unknown[]).length)).toEqual([10, 10, 5]);
    expect([lanes.messages, lanes.failed, lanes.invocations]).toEqual([25, 0, 3]);
  });

  it('makes the failures visible again at once instead of deleting them, and reports them per batch', async () => {
    const { sqs, calls } = fakeSqs([message(1), message(2), message(3)]);
    const handler: ReconcileHandler = async () => ({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    const lanes = new QueueLanes({
      sqs,
      queueUrl: 'q',
      queueArn: 'arn:q',
      region: 'us-east-1',
      handlers: [handler],
    });
    const failedPerBatch: string[][] = [];
    await lanes.run(
      () => lanes.messages >= 3,
      new AbortController().signal,
      (_, failed) => failedPerBatch.push([...failed]),
    );

    expect(failedPerBatch).toEqual([['m2']]);
    const byName = Object.fromEntries(
      calls.filter((c) => c.name !== 'ReceiveMessage').map((c) => [c.name, c.input]),
    );
    expect(byName.DeleteMessageBatch!.Entries).toEqual([
      { Id: '0', ReceiptHandle: 'r1' },
      { Id: '1', ReceiptHandle: 'r3' },
    ]);
    expect(byName.ChangeMessageVisibilityBatch!.Entries).toEqual([
      { Id: '0', ReceiptHandle: 'r2', VisibilityTimeout: 0 },
    ]);
    expect(lanes.failed).toBe(1);
  });

  it('fails the whole batch when the handler throws, as Lambda does', async () => {
    const { sqs } = fakeSqs([message(1), message(2)]);
    const handler: ReconcileHandler = async () => {
      throw new Error('boom');
    };
    const lanes = new QueueLanes({
      sqs,
      queueUrl: 'q',
      queueArn: 'arn:q',
      region: 'us-east-1',
      handlers: [handler],
    });
    await lanes.run(() => lanes.messages >= 2, new AbortController().signal);
    expect(lanes.failed).toBe(2);
  });

  it('runs one batch at a time per handler, the handlers side by side', async () => {
    const { sqs } = fakeSqs(Array.from({ length: 40 }, (_, index) => message(index)));
    let running = 0;
    let most = 0;
    const handler: ReconcileHandler = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return { batchItemFailures: [] };
    };
    const lanes = new QueueLanes({
      sqs,
      queueUrl: 'q',
      queueArn: 'arn:q',
      region: 'us-east-1',
      handlers: [handler, handler, handler],
    });
    await lanes.run(() => lanes.messages >= 40, new AbortController().signal);
    expect(most).toBe(3);
    expect(lanes.invocations).toBe(4);
  });

  it('stops when the signal aborts, even with nothing to receive', async () => {
    const { sqs } = fakeSqs([]);
    const lanes = new QueueLanes({
      sqs,
      queueUrl: 'q',
      queueArn: 'arn:q',
      region: 'us-east-1',
      handlers: [async () => ({ batchItemFailures: [] })],
    });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 20);
    await lanes.run(() => false, abort.signal);
    expect(lanes.messages).toBe(0);
  });
});
