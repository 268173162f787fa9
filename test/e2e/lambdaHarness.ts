import { type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, ScheduledEvent, SQSEvent } from 'aws-lambda';
import { inject } from 'vitest';
import { type LocalAws, startLocalAws } from '../../infra/local/index.js';
import {
  lambdaContext as localLambdaContext,
  scheduledEvent as localScheduledEvent,
  sqsEvent as localSqsEvent,
} from '../../infra/local/service/lambdaEvents.js';

// The event and context shapes are the local runtime's own (infra/local/service), so `npm start` and the
// end-to-end tests invoke the handlers identically.
const REGION = 'us-east-1';

/** A Lambda context whose deadline is `ms` from now, as the runtime hands it. */
export function lambdaContext(functionName: string, ms: number): Context {
  return localLambdaContext(functionName, ms, REGION);
}

/** The event an EventBridge schedule rule delivers. */
export function scheduledEvent(): ScheduledEvent {
  return localScheduledEvent(REGION, 's3ir-schedule');
}

/** The SQS event Lambda's event source mapping builds from received messages. */
export function sqsEvent(messages: Message[], queueArn: string): SQSEvent {
  return localSqsEvent(messages, queueArn, REGION);
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
