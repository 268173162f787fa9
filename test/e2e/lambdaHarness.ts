import { randomUUID } from 'node:crypto';
import { type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, ScheduledEvent, SQSEvent } from 'aws-lambda';
import { inject } from 'vitest';
import { type LocalAws, startLocalAws } from '../../infra/local/index.js';

/** A Lambda context whose deadline is `ms` from now, as the runtime hands it. */
export function lambdaContext(functionName: string, ms: number): Context {
  const deadline = Date.now() + ms;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'e2e',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** The event an EventBridge schedule rule delivers. */
export function scheduledEvent(): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: `${new Date().toISOString().slice(0, 19)}Z`,
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:123456789012:rule/s3ir-schedule'],
    detail: {},
  };
}

/** The SQS event Lambda's event source mapping builds from received messages. */
export function sqsEvent(messages: Message[], queueArn: string): SQSEvent {
  return {
    Records: messages.map((message) => ({
      messageId: message.MessageId!,
      receiptHandle: message.ReceiptHandle!,
      body: message.Body!,
      attributes: {
        ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
        SenderId: message.Attributes?.SenderId ?? 'AIDAEXAMPLE',
        ApproximateFirstReceiveTimestamp:
          message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'us-east-1',
    })),
  };
}

/** Receives until `wanted` says it has enough, or rounds run out. */
export async function receiveUntil(
  sqs: SQSClient,
  queueUrl: string,
  wanted: (messages: Message[]) => boolean,
  rounds = 15,
): Promise<Message[]> {
  const messages: Message[] = [];
  for (let round = 0; round < rounds && !wanted(messages); round++) {
    const page = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    messages.push(...(page.Messages ?? []));
  }
  return messages;
}

/** The local AWS of the global setup, or one of our own when only end-to-end tests run. */
export async function useLocalAws(): Promise<{
  endpoint: string;
  env: Record<string, string>;
  stop: () => Promise<void>;
}> {
  const shared = inject('localAws');
  if (shared) return { endpoint: shared.endpoint, env: shared.env, stop: async () => {} };
  const local: LocalAws = await startLocalAws({ port: 0 });
  return { endpoint: local.endpoint, env: { ...local.env }, stop: () => local.stop() };
}
