import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

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

/** A queue of the test's own: its URL, and its ARN to subscribe it to a topic. */
export async function makeQueue(sqs: SQSClient, name: string): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: Attributes!.QueueArn! };
}

/** Receives (and deletes) until `enough` or `rounds` empty-handed waits. */
export async function drain(
  sqs: SQSClient,
  url: string,
  enough: (got: Message[]) => boolean,
  rounds = 3,
): Promise<Message[]> {
  const got: Message[] = [];
  for (let empty = 0; empty < rounds && !enough(got); ) {
    const page = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const messages = page.Messages ?? [];
    if (messages.length === 0) empty++;
    got.push(...messages);
    if (messages.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle!,
          })),
        }),
      );
    }
  }
  return got;
}
