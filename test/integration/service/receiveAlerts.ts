import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** One receive (1 s long poll) of alerts from an SQS subscription of the topic: their JSON bodies, deleted. */
export async function receive(queue: { sqs: SQSClient; url: string }): Promise<Record<string, unknown>[]> {
  const page = await queue.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  const messages = page.Messages ?? [];
  if (messages.length > 0) {
    await queue.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle!,
        })),
      }),
    );
  }
  return messages.map((message) => JSON.parse(JSON.parse(message.Body!).Message) as Record<string, unknown>);
}
