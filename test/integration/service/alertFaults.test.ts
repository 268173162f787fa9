import {
  CreateBucketCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { type Message, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchWriteCommand,
  DeleteCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Handler } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../infra/local/gateway.js';
import { fileToItems } from '../../../lib/core/desired/tableItems.js';
import type { InventoryConfiguration } from '../../../lib/core/inventory/types.js';
import { lambdaContext, scheduledEvent, sqsEvent } from '../../e2e/lambdaHarness.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { makePolicy, ourDestinationGrant } from '../../helpers/reconcileFactories.js';
import { desiredTestTable, stateTestTable } from '../aws/desiredTestTable.js';
import { LOCAL_HOME_ACCOUNT as HOME, uniqueBucket } from '../aws/localFactory.js';
import { privateGateway } from '../local/privateGateway.js';
import { drain as drainQueue, makeQueue as makeQueueOf } from './receiveAlerts.js';
import { useFunctionEnv } from './serviceLocal.js';

/**
 * Issue 17, points 5 and 6, through the real reconcile and schedule handlers on a gateway of this file's
 * own (its fault rules are this file's alone): a bucket denied on every S3 call fails naming AWS's error;
 * its alert, kept while SNS is down, is sent by the next reconcile invocation, not the next sweep; its
 * recovery with changes applied is one alert; the sweep removes the bookkeeping of buckets no longer
 * declared, silently.
 */
const names = {
  denied: uniqueBucket('af-denied'),
  calm: uniqueBucket('af-calm'),
  dest: uniqueBucket('af-dest'),
};
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let restoreEnv: () => void = () => {};
let gateway: Gateway | undefined;
let table: Awaited<ReturnType<typeof desiredTestTable>>;
let state: Awaited<ReturnType<typeof stateTestTable>>;
let s3: S3Client;
let sqs: SQSClient;
let sns: SNSClient;
let queue: { url: string; arn: string };
let alertQueue: { url: string; arn: string };
let handlers: Record<'schedule' | 'reconcile', Handler>;

const daily = (dest: string): InventoryConfiguration =>
  makeConfiguration({
    Id: 'daily',
    Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV' } },
  });

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${gateway!.endpoint}${path}`, {
    method,
    ...(body !== undefined && {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  });
  expect(response.ok, `${method} ${path}`).toBe(true);
  return response.json();
}
const denyBucket = () =>
  control('POST', '/_local/faults', {
    rules: [{ service: 's3', bucket: names.denied, status: 403, code: 'AccessDenied' }],
  });
const snsDown = () =>
  control('POST', '/_local/faults', {
    rules: [{ service: 'sns', operation: 'Publish', status: 500, code: 'InternalError', count: 1000 }],
  });

const makeQueue = (name: string) => makeQueueOf(sqs, name);
const drain = (url: string, enough: (got: Message[]) => boolean, rounds?: number) =>
  drainQueue(sqs, url, enough, rounds);

/** One reconcile invocation (one sandbox, the module's handler) on a message for each of `buckets`. */
async function reconcile(runId: string, ...buckets: string[]): Promise<void> {
  for (const bucket of buckets) {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify({ bucket, runId }) }),
    );
  }
  const messages = await drain(queue.url, (got) => got.length >= buckets.length);
  expect(messages).toHaveLength(buckets.length);
  const response = await handlers.reconcile(
    sqsEvent(messages, queue.arn),
    lambdaContext('reconcile', 300_000),
    () => {},
  );
  expect(response).toEqual({ batchItemFailures: [] });
}

/** The alerts delivered since the last call. */
async function alertsArrived(expected: number): Promise<{ type: string; bucket: string; summary: string }[]> {
  const messages = await drain(alertQueue.url, (got) => got.length > expected, expected === 0 ? 2 : 3);
  return messages.map((message) => {
    const body = JSON.parse(JSON.parse(message.Body!).Message);
    return { type: body.type, bucket: body.bucket, summary: body.summary };
  });
}

async function stateItems(): Promise<string[]> {
  const { Items } = await state.documents.send(new ScanCommand({ TableName: state.tableName }));
  return (Items ?? []).map((item) => `${item.bucket}/${item.id}`).sort();
}

async function outbox(): Promise<{ bucket: string; id: string }[]> {
  const { Items } = await state.documents.send(
    new QueryCommand({
      TableName: state.tableName,
      KeyConditionExpression: '#b = :b',
      ExpressionAttributeNames: { '#b': 'bucket' },
      ExpressionAttributeValues: { ':b': '#outbox' },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map((item) => ({
    bucket: item.alert.attributes.bucket as string,
    id: item.id as string,
  }));
}

beforeAll(async () => {
  gateway = await privateGateway();
  if (!gateway) return;
  const config = { endpoint: gateway.endpoint, region: 'us-east-1', credentials };
  s3 = new S3Client({ ...config, forcePathStyle: true });
  sqs = new SQSClient(config);
  sns = new SNSClient(config);
  table = await desiredTestTable(gateway.endpoint);
  state = await stateTestTable(gateway.endpoint);
  for (const bucket of Object.values(names)) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // `calm` is in sync: its configuration and grant are in place. `denied` lacks both (enforce mode).
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: names.dest,
      Policy: JSON.stringify(makePolicy([ourDestinationGrant([names.calm], names.dest, HOME)])),
    }),
  );
  await s3.send(
    new PutBucketInventoryConfigurationCommand({
      Bucket: names.calm,
      Id: 'daily',
      InventoryConfiguration: daily(names.dest),
    }),
  );
  const items = fileToItems(
    {
      version: 1,
      buckets: {
        [names.denied]: { inventories: [daily(names.dest)] },
        [names.calm]: { mode: 'detect', inventories: [daily(names.dest)] },
      },
    },
    { fileName: 'faults.yaml', appliedBy: 'it', appliedAt: '2026-03-01T00:00:00Z' },
  );
  await table.documents.send(
    new BatchWriteCommand({
      RequestItems: { [table.tableName]: items.map((Item) => ({ PutRequest: { Item } })) },
    }),
  );
  queue = await makeQueue(uniqueBucket('af-reconcile'));
  alertQueue = await makeQueue(uniqueBucket('af-alerts'));
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueBucket('af-topic') }))).TopicArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: alertQueue.arn }));
  restoreEnv = useFunctionEnv({
    endpoint: gateway.endpoint,
    desiredTable: table.tableName,
    stateTable: state.tableName,
    topicArn,
    queueUrl: queue.url,
    roleName: 's3ir-reconcile-faults',
    // This file is about each bucket's own alerts from its first reconcile on: none is summarised here
    // (#18 point 4, the first sweep's summaries: test/e2e/adoptionSummary.test.ts).
    extra: { S3IR_ADOPTION_SINGLE_ALERTS: 'all' },
  });
  handlers = {
    schedule: (await import('../../../functions/schedule.js')).handler,
    reconcile: (await import('../../../functions/reconcile.js')).handler,
  };
}, 180_000);

afterAll(async () => {
  restoreEnv();
  for (const client of [s3, sqs, sns]) client?.destroy();
  table?.destroy();
  state?.destroy();
  await gateway?.close();
});

describe('alerts an operator can act on, under faults, on the local AWS', () => {
  it('names AccessDenied on HeadBucket for a bucket denied on every S3 call, and keeps the alert while SNS is down', async (context) => {
    if (!gateway)
      return context.skip('the global setup reuses a running local AWS: its backends are unknown');
    await reconcile('run-1', names.calm); // its first status, no alert
    expect(await alertsArrived(0)).toEqual([]);

    await denyBucket();
    await snsDown();
    await reconcile('run-2', names.denied);
    expect(await alertsArrived(0)).toEqual([]);
    expect((await outbox()).map((entry) => entry.bucket)).toEqual([names.denied]);
  });

  it('sends the kept reconcile-failed alert at the end of the next reconcile invocation, without a sweep', async (context) => {
    if (!gateway) return context.skip('no private gateway');
    await control('DELETE', '/_local/faults');
    await denyBucket(); // SNS answers again; the bucket is still denied
    await reconcile('run-3', names.calm); // no alert of its own: the flush is what sends
    const alerts = await alertsArrived(1);
    expect(alerts.map((alert) => [alert.type, alert.bucket])).toEqual([['reconcile-failed', names.denied]]);
    expect(alerts[0]!.summary).toContain(`AccessDenied on HeadBucket ${names.denied} (403)`);
    expect(alerts[0]!.summary).not.toMatch(/NotFound|did not say where/);
    expect(await outbox()).toEqual([]);
  });

  it('says exactly one drift-resolved when the bucket recovers and its changes are applied in the same run', async (context) => {
    if (!gateway) return context.skip('no private gateway');
    await control('DELETE', '/_local/faults');
    await reconcile('run-4', names.denied);
    const alerts = await alertsArrived(1);
    expect(alerts.map((alert) => [alert.type, alert.bucket])).toEqual([['drift-resolved', names.denied]]);
    expect(alerts[0]!.summary).toMatch(
      new RegExp(
        `^Drift on ${names.denied} resolved: \\d+ changes? applied; Reconcile of ${names.denied} recovered`,
      ),
    );
  });

  it('removes the bookkeeping of a bucket no longer declared at the sweep, and raises no alert', async (context) => {
    if (!gateway) return context.skip('no private gateway');
    // `calm` is undeclared; it also has a delivery status and an alert SNS refused; a lease stays alone.
    await table.documents.send(
      new DeleteCommand({ TableName: table.tableName, Key: { bucket: names.calm, id: 'daily' } }),
    );
    const { Items } = await table.documents.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: '#b = :b',
        ExpressionAttributeNames: { '#b': 'bucket' },
        ExpressionAttributeValues: { ':b': names.calm },
      }),
    );
    for (const item of Items ?? []) {
      await table.documents.send(
        new DeleteCommand({ TableName: table.tableName, Key: { bucket: item.bucket, id: item.id } }),
      );
    }
    const lease = { bucket: '#lease', id: `s3:${names.dest}`, holder: 'someone', expiresAt: 4_102_444_800 };
    await state.documents.send(new PutCommand({ TableName: state.tableName, Item: lease }));
    await state.documents.send(
      new PutCommand({
        TableName: state.tableName,
        Item: { bucket: names.calm, id: '#delivery', configurations: {}, runId: 'd-1', version: 1 },
      }),
    );
    const kept = {
      subject: 'calm',
      message: JSON.stringify({ type: 'drift-detected', bucket: names.calm }),
      attributes: { eventType: 'drift-detected', bucket: names.calm, severity: 'medium' },
    };
    await state.documents.send(
      new PutCommand({
        TableName: state.tableName,
        Item: { bucket: '#outbox', id: 'calm-kept', alert: kept, createdAt: '2026-03-01T00:00:00.000Z' },
      }),
    );
    expect(await stateItems()).toEqual(
      [
        `#lease/${lease.id}`,
        '#outbox/calm-kept',
        `${names.calm}/#delivery`,
        `${names.calm}/#status`,
        `${names.denied}/#status`,
      ].sort(),
    );

    await snsDown(); // the sweep's flush cannot send it: the cleanup removes it
    const result = await handlers.schedule(scheduledEvent(), lambdaContext('schedule', 300_000), () => {});
    await control('DELETE', '/_local/faults');
    expect(result).toMatchObject({ buckets: 1, alertsFlushed: 0, bookkeepingRemoved: 3 });
    // #18: the grant step's record of the destination its statement is in (never a bucket's bookkeeping).
    expect(await stateItems()).toEqual(
      [`#grants/destination:${names.dest}`, `#lease/${lease.id}`, `${names.denied}/#status`].sort(),
    );
    await drain(queue.url, (got) => got.length >= 1);
    expect(await alertsArrived(0)).toEqual([]);

    // Steady state: the next sweep removes nothing.
    const next = await handlers.schedule(scheduledEvent(), lambdaContext('schedule', 300_000), () => {});
    expect(next).toMatchObject({ buckets: 1, bookkeepingRemoved: 0 });
    await drain(queue.url, (got) => got.length >= 1);
  });
});
