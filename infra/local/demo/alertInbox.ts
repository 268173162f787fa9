import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { ArrivedAlert, DemoClientConfig } from './types.js';

/** An SQS queue subscribed to the alert topic: where the demo reads the alerts that were sent. */
export interface AlertInbox {
  queueUrl: string;
  /** Receives (and deletes) every alert waiting, in arrival order. */
  read(): Promise<ArrivedAlert[]>;
  close(): void;
}

const QUEUE_NAME = 's3ir-demo-alerts';

interface SnsEnvelope {
  Message: string;
  MessageAttributes?: Record<string, { Value?: string }>;
}

function toAlert(body: string): ArrivedAlert {
  const envelope = JSON.parse(body) as SnsEnvelope;
  const message = JSON.parse(envelope.Message) as { type?: string; bucket?: string; summary?: string };
  return {
    eventType: envelope.MessageAttributes?.eventType?.Value ?? message.type ?? 'unknown',
    bucket: envelope.MessageAttributes?.bucket?.Value ?? message.bucket ?? '',
    summary: message.summary ?? '',
  };
}

/**
 * Subscribes a queue to the alert topic, as an operator's mail or chat integration would subscribe:
 * do it before reconciling, since SNS keeps nothing for subscribers that come later.
 */
export async function openAlertInbox(config: DemoClientConfig, topicArn: string): Promise<AlertInbox> {
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: QUEUE_NAME }))).QueueUrl!;
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn! }),
  );
  sns.destroy();
  return {
    queueUrl,
    async read() {
      const alerts: ArrivedAlert[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        if (Messages.length === 0) return alerts;
        for (const message of Messages) {
          try {
            alerts.push(toAlert(message.Body ?? ''));
          } catch {
            alerts.push({ eventType: 'unreadable', bucket: '', summary: (message.Body ?? '').slice(0, 100) });
          }
        }
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle!,
            })),
          }),
        );
      }
    },
    close: () => sqs.destroy(),
  };
}
