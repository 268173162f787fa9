import {
  CreateBucketCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { BatchWriteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Handler } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { scheduledEvent } from '../../../infra/local/service/lambdaEvents.js';
import { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { fileToItems } from '../../../lib/core/desired/tableItems.js';
import { lambdaContext } from '../../e2e/lambdaHarness.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { makePolicy, ourDestinationGrant } from '../../helpers/reconcileFactories.js';
import { desiredTestTable } from '../aws/desiredTestTable.js';
import { LOCAL_HOME_ACCOUNT as HOME, uniqueBucket } from '../aws/localFactory.js';
import { receive } from './receiveAlerts.js';
import { localNames, queueNamed } from './serviceLocal.js';

/**
 * The delivery-check function end to end on the local AWS: its real handler on EventBridge-shaped daily
 * events, reports written by the local AWS's delivery simulation, alerts through an SQS subscription.
 */
const source = uniqueBucket('dc-src');
const destination = uniqueBucket('dc-dest');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const savedEnv = { ...process.env };
const HOUR = 3_600_000;
const t0 = Date.parse('2026-11-20T06:00:00Z');
const configuration = makeConfiguration({
  Id: 'daily',
  Destination: {
    S3BucketDestination: { Bucket: `arn:aws:s3:::${destination}`, Format: 'CSV', Prefix: 'inv' },
  },
});

let endpoint: string;
let s3: S3Client;
let factory: ClientFactory;
let table: Awaited<ReturnType<typeof desiredTestTable>>;
let alerts: Awaited<ReturnType<typeof queueNamed>>;
let handler: Handler;

async function check(hoursAfter: number) {
  const event = {
    ...scheduledEvent('us-east-1', 's3ir-delivery-check'),
    time: new Date(t0 + hoursAfter * HOUR).toISOString(),
  };
  return handler(event, lambdaContext('deliveryCheck', 300_000), () => {});
}

async function deliver(hoursAfter: number) {
  const response = await fetch(`${endpoint}/_local/deliver`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ now: new Date(t0 + hoursAfter * HOUR).toISOString(), buckets: [source] }),
  });
  const body = (await response.json()) as { delivered: unknown[] };
  expect(body.delivered).toHaveLength(1);
}

/** The alerts delivered since the last call: waits for `expected`, then a little longer for extras. */
async function alertsArrived(expected: number) {
  const bodies: Record<string, unknown>[] = [];
  for (let empty = 0; empty < (expected === 0 ? 2 : 3) && bodies.length <= expected; ) {
    const got = await receive(alerts);
    if (got.length === 0) empty++;
    bodies.push(...got);
  }
  return bodies;
}

async function auditActions(): Promise<string[]> {
  const { Items } = await table.documents.send(
    new QueryCommand({
      TableName: localNames().auditTable,
      KeyConditionExpression: '#b = :b',
      ExpressionAttributeNames: { '#b': 'bucket' },
      ExpressionAttributeValues: { ':b': source },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).flatMap((item) => (typeof item.action === 'string' ? [item.action] : [])).sort();
}

beforeAll(async () => {
  endpoint = inject('localAws')!.endpoint;
  const config = { endpoint, region: 'us-east-1', credentials };
  s3 = new S3Client({ ...config, forcePathStyle: true });
  factory = new ClientFactory({ ...config, credentials: async () => credentials, env: {}, maxAttempts: 3 });
  table = await desiredTestTable(endpoint);
  for (const Bucket of [source, destination]) await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(
    new PutBucketInventoryConfigurationCommand({
      Bucket: source,
      Id: 'daily',
      InventoryConfiguration: configuration,
    }),
  );
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: destination,
      Policy: JSON.stringify(makePolicy([ourDestinationGrant([source], destination, HOME)])),
    }),
  );
  const items = fileToItems(
    { version: 1, buckets: { [source]: { inventories: [configuration] } } },
    { fileName: 'delivery.yaml', appliedBy: 'it', appliedAt: '2026-11-01T00:00:00Z' },
  );
  await table.documents.send(
    new BatchWriteCommand({
      RequestItems: { [table.tableName]: items.map((Item) => ({ PutRequest: { Item } })) },
    }),
  );
  alerts = await queueNamed(factory, uniqueBucket('dc-alerts'));
  const sns = await factory.client(SNSClient);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueBucket('dc-topic') }))).TopicArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: alerts.arn }));
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    S3IR_DESIRED_TABLE: table.tableName,
    S3IR_STATE_TABLE: localNames().stateTable,
    S3IR_AUDIT_TABLE: localNames().auditTable,
    S3IR_ALERT_TOPIC_ARN: topicArn,
    POWERTOOLS_SERVICE_NAME: 's3ir',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  handler = (await import('../../../functions/deliveryCheck.js')).handler;
}, 120_000);

afterAll(() => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  s3?.destroy();
  factory?.destroy();
  table?.destroy();
});

describe('the delivery-check function', () => {
  it('records ok silently, alerts delivery-failed once when reports stop, and delivery-restored when they resume', async () => {
    await deliver(0);
    expect(await check(1)).toMatchObject({ configurations: 1, failing: 0, alerts: 0 });
    const stored = await table.documents.send(
      new GetCommand({ TableName: localNames().stateTable, Key: { bucket: source, id: '#delivery' } }),
    );
    expect(stored.Item).toMatchObject({ configurations: { daily: { status: 'ok' } }, version: 1 });

    expect(await check(50)).toMatchObject({ configurations: 1, failing: 1, alerts: 1 });
    expect(await check(51)).toMatchObject({ failing: 1, alerts: 0 });
    const failed = await alertsArrived(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      type: 'delivery-failed',
      bucket: source,
      severity: 'high',
      detail: { id: 'daily', status: 'late', lastDelivery: new Date(t0).toISOString() },
    });
    expect(failed[0]!.summary).toBe(
      `Inventory reports of ${source}/daily are late: the newest report, 2026-11-20T06-00Z, is 2 days old; Daily reports arrive every 24 h`,
    );

    await deliver(52);
    expect(await check(53)).toMatchObject({ failing: 0, alerts: 1 });
    const restored = await alertsArrived(1);
    expect(restored.map((alert) => [alert.type, alert.severity])).toEqual([['delivery-restored', 'info']]);
    expect(await auditActions()).toEqual(['delivery-failed', 'delivery-restored']);
  }, 120_000);
});
