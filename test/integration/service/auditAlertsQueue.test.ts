import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { DynamoAuditSink } from '../../../lib/adapters/aws/DynamoAuditSink.js';
import { SnsAlertPublisher } from '../../../lib/adapters/aws/SnsAlertPublisher.js';
import { SqsReconcileQueue } from '../../../lib/adapters/aws/SqsReconcileQueue.js';
import type { AuditEvent } from '../../../lib/core/audit/types.js';
import { localFactory, uniqueBucket } from '../aws/localFactory.js';
import { documentClient, localNames, queueNamed } from './serviceLocal.js';

let factory: ClientFactory;
beforeAll(() => {
  factory = localFactory();
});
afterAll(() => factory.destroy());

describe('DynamoAuditSink on the local AWS', () => {
  it('appends an event once: the same event id again is a success that writes nothing', async () => {
    const documents = await documentClient(factory);
    const sink = new DynamoAuditSink({ client: documents, tableName: localNames().auditTable });
    const bucket = uniqueBucket('audit');
    const runId = uniqueBucket('run');
    const event: AuditEvent = {
      eventId: 'e1',
      time: '2026-02-03T04:05:06.000Z',
      runId,
      bucket,
      action: 'inventory-created',
      actor: 'tester',
      after: { Id: 'x' },
      configId: undefined,
    };
    await sink.record(event);
    await sink.record({ ...event, message: 'a retried worker' });
    await sink.record({ ...event, eventId: 'e2', time: '2026-02-03T04:05:07.000Z' });

    const byRun = await documents.send(
      new QueryCommand({
        TableName: localNames().auditTable,
        IndexName: 'byRun',
        KeyConditionExpression: 'runId = :run',
        ExpressionAttributeValues: { ':run': runId },
      }),
    );
    const { configId: _, ...stored } = event;
    expect(byRun.Items).toEqual([
      {
        ...stored,
        timeKey: '2026-02-03T04:05:06.000Z#e1',
        day: '2026-02-03',
        seq: 1, // the first of the bucket's hash chain (lib/core/audit/linkEvent.ts)
        prevHash: '0'.repeat(64),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      expect.objectContaining({ eventId: 'e2', timeKey: '2026-02-03T04:05:07.000Z#e2' }),
    ]);
  });

  it('maps other errors to adapter errors', async () => {
    const sink = new DynamoAuditSink({ client: await documentClient(factory), tableName: 'no-such-table' });
    const event = {
      eventId: 'e',
      time: 't',
      runId: 'r',
      bucket: 'b',
      action: 'drift-detected',
      actor: 'a',
    } as const;
    await expect(sink.record(event)).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
      retryable: false,
    });
  });
});

describe('SnsAlertPublisher on the local AWS', () => {
  it('delivers the alert with eventType, bucket and severity attributes to a subscribed queue', async () => {
    const queue = await queueNamed(factory, uniqueBucket('alerts-it'));
    const sns = await factory.client(SNSClient);
    const { topicArn } = localNames();
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }));
    const bucket = uniqueBucket('alerted');
    await new SnsAlertPublisher({ client: sns, topicArn }).publish({
      type: 'action-required',
      bucket,
      runId: 'r1',
      summary: 'add the statement',
    });
    const received = await queue.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }),
    );
    const envelopes = (received.Messages ?? []).map((message) => JSON.parse(message.Body!));
    const mine = envelopes.find((envelope) => JSON.parse(envelope.Message).bucket === bucket);
    expect(mine.Subject).toBe(`s3ir action-required: ${bucket}`);
    expect(mine.MessageAttributes).toEqual({
      eventType: { Type: 'String', Value: 'action-required' },
      bucket: { Type: 'String', Value: bucket },
      severity: { Type: 'String', Value: 'high' },
    });
    expect(JSON.parse(mine.Message)).toEqual({
      version: '1.0',
      source: 'custom',
      type: 'action-required',
      severity: 'high',
      bucket,
      runId: 'r1',
      summary: 'add the statement',
      content: {
        textType: 'client-markdown',
        title: `🚨 Action required: \`${bucket}\``,
        description: 'add the statement\n\nrun `r1`',
        nextSteps: [
          'The owner of the resource adds the statement (this service may not write it)',
          `Then check: \`s3ir plan --bucket ${bucket}\``,
        ],
      },
      metadata: {
        threadId: `s3ir/${bucket}`,
        eventType: 'action-required',
        additionalContext: { runId: 'r1', severity: 'high' },
      },
    });
  });
});

describe('SqsReconcileQueue on the local AWS', () => {
  it('sends every message, in batches of 10', async () => {
    const queue = await queueNamed(factory, uniqueBucket('reconcile-it'));
    const messages = Array.from({ length: 23 }, (_, i) => ({ bucket: `b-${i}`, runId: 'r' }));
    await new SqsReconcileQueue({ client: queue.sqs, queueUrl: queue.url }).enqueue(messages);
    const bodies: string[] = [];
    for (let round = 0; round < 10 && bodies.length < 23; round++) {
      const page = await queue.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      bodies.push(...(page.Messages ?? []).map((message) => message.Body!));
    }
    expect(bodies.map((body) => JSON.parse(body).bucket).sort()).toEqual(
      messages.map((m) => m.bucket).sort(),
    );
  });
});
