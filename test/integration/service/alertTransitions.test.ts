import {
  CreateBucketCommand,
  DeleteBucketInventoryConfigurationCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { type Message, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Handler } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../infra/local/gateway.js';
import { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { fileToItems } from '../../../lib/core/desired/tableItems.js';
import type { InventoryConfiguration } from '../../../lib/core/inventory/types.js';
import { lambdaContext, scheduledEvent, sqsEvent } from '../../e2e/lambdaHarness.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { makePolicy, ourDestinationGrant } from '../../helpers/reconcileFactories.js';
import { desiredTestTable, stateTestTable } from '../aws/desiredTestTable.js';
import {
  LOCAL_HOME_ACCOUNT as HOME,
  LOCAL_OTHER_ACCOUNT as OTHER,
  uniqueBucket,
} from '../aws/localFactory.js';
import { privateGateway } from '../local/privateGateway.js';
import { drain as drainQueue, makeQueue as makeQueueOf } from './receiveAlerts.js';
import { localNames, useFunctionEnv } from './serviceLocal.js';

/**
 * The alert lifecycle end to end, through the real schedule and reconcile handlers, on a gateway of this
 * file's own (its fault rules and call counts are this file's alone) over the shared moto and DynamoDB
 * Local, with a desired-state table, topic and queues of its own.
 */
const names = {
  drift: uniqueBucket('al-drift'),
  far: uniqueBucket('al-far'),
  gone: uniqueBucket('al-gone'),
  dest: uniqueBucket('al-dest'),
  farDest: uniqueBucket('al-far-dest'),
};
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let restoreEnv: () => void = () => {};

interface Received {
  type: string;
  bucket: string;
  runId: string;
  summary: string;
  severity: string;
  attributes: Record<string, { Type: string; Value: string }>;
  body: Record<string, unknown>;
}

let gateway: Gateway | undefined;
let table: Awaited<ReturnType<typeof desiredTestTable>>;
let state: Awaited<ReturnType<typeof stateTestTable>>;
let s3: S3Client;
let sqs: SQSClient;
let sns: SNSClient;
let factory: ClientFactory;
let queue: { url: string; arn: string };
let alertQueue: { url: string; arn: string };
let handlers: Record<'schedule' | 'reconcile', Handler>;
/** Every alert the topic delivered during this file, in the order received. */
const delivered: Received[] = [];

const daily = (dest: string, overrides: Partial<InventoryConfiguration> = {}) =>
  makeConfiguration({
    Id: 'daily',
    Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV' } },
    ...overrides,
  });
const toFarDest = makeConfiguration({
  Id: 'far',
  Destination: {
    S3BucketDestination: { Bucket: `arn:aws:s3:::${names.farDest}`, Format: 'CSV', AccountId: OTHER },
  },
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

/** STS refuses every AssumeRole: the far destination's account is out of reach, so its policy is not ours to write. */
const refuseAssumeRole = () =>
  control('POST', '/_local/faults', {
    rules: [{ service: 'sts', operation: 'AssumeRole', status: 403, code: 'AccessDenied' }],
  });

const makeQueue = (name: string) => makeQueueOf(sqs, name);
const drain = (url: string, enough: (got: Message[]) => boolean, rounds?: number) =>
  drainQueue(sqs, url, enough, rounds);

/** A scheduled sweep: the schedule handler, then the reconcile handler on every message it enqueued. */
async function sweep(): Promise<{ runId: string; alertsFlushed: number }> {
  const result = await handlers.schedule(scheduledEvent(), lambdaContext('schedule', 300_000), () => {});
  const messages = await drain(queue.url, (got) => got.length >= result.buckets);
  expect(messages).toHaveLength(result.buckets);
  const response = await handlers.reconcile(
    sqsEvent(messages, queue.arn),
    lambdaContext('reconcile', 300_000),
    () => {},
  );
  expect(response).toEqual({ batchItemFailures: [] });
  return result;
}

/** The alerts that arrived since the last call (waiting for `expected`, then a little more for extras). */
async function alertsArrived(expected: number): Promise<Received[]> {
  const messages = await drain(alertQueue.url, (got) => got.length > expected, expected === 0 ? 2 : 3);
  const received = messages.map((message) => {
    const envelope = JSON.parse(message.Body!);
    const body = JSON.parse(envelope.Message);
    return {
      type: body.type,
      bucket: body.bucket,
      runId: body.runId,
      summary: body.summary,
      severity: body.severity,
      attributes: envelope.MessageAttributes,
      body,
    };
  });
  delivered.push(...received);
  return received;
}
const typesOf = (alerts: Received[]) => alerts.map((alert) => `${alert.type} ${alert.bucket}`).sort();

async function auditActions(bucket: string): Promise<string[]> {
  const { Items } = await table.documents.send(
    new QueryCommand({
      TableName: localNames().auditTable,
      KeyConditionExpression: '#b = :b',
      ExpressionAttributeNames: { '#b': 'bucket' },
      ExpressionAttributeValues: { ':b': bucket },
      ConsistentRead: true,
    }),
  );
  return (Items ?? [])
    .filter((item) => typeof item.action === 'string')
    .map((item) => item.action as string)
    .sort();
}

async function outboxIds(): Promise<string[]> {
  const { Items } = await state.documents.send(
    new QueryCommand({
      TableName: state.tableName,
      KeyConditionExpression: '#b = :b',
      ExpressionAttributeNames: { '#b': 'bucket' },
      ExpressionAttributeValues: { ':b': '#outbox' },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map((item) => item.id as string);
}

async function putDesired(
  buckets: Record<string, { mode?: 'detect'; inventories: InventoryConfiguration[] }>,
) {
  const items = fileToItems(
    { version: 1, buckets },
    { fileName: 'alerts.yaml', appliedBy: 'it', appliedAt: '2026-03-01T00:00:00Z' },
  );
  await table.documents.send(
    new BatchWriteCommand({
      RequestItems: { [table.tableName]: items.map((Item) => ({ PutRequest: { Item } })) },
    }),
  );
}

beforeAll(async () => {
  gateway = await privateGateway();
  if (!gateway) return;
  const config = { endpoint: gateway.endpoint, region: 'us-east-1', credentials };
  s3 = new S3Client({ ...config, forcePathStyle: true });
  sqs = new SQSClient(config);
  sns = new SNSClient(config);
  factory = new ClientFactory({
    ...config,
    credentials: async () => credentials,
    env: {},
    maxAttempts: 3,
    allowedAccounts: [OTHER],
  });
  table = await desiredTestTable(gateway.endpoint);
  state = await stateTestTable(gateway.endpoint);

  for (const bucket of [names.drift, names.far, names.dest])
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await (await factory.s3({ account: OTHER })).send(new CreateBucketCommand({ Bucket: names.farDest }));
  // The drift bucket's grant is in place: its only drift is the unmanaged configuration `stray`.
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: names.dest,
      Policy: JSON.stringify(makePolicy([ourDestinationGrant([names.drift], names.dest, HOME)])),
    }),
  );
  for (const configuration of [daily(names.dest), daily(names.dest, { Id: 'stray' })]) {
    await s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: names.drift,
        Id: configuration.Id,
        InventoryConfiguration: configuration,
      }),
    );
  }
  await putDesired({
    [names.drift]: { mode: 'detect', inventories: [daily(names.dest)] },
    [names.far]: { mode: 'detect', inventories: [toFarDest] },
  });

  queue = await makeQueue(uniqueBucket('al-reconcile'));
  alertQueue = await makeQueue(uniqueBucket('al-alerts'));
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueBucket('al-topic') }))).TopicArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: alertQueue.arn }));
  await refuseAssumeRole();

  restoreEnv = useFunctionEnv({
    endpoint: gateway.endpoint,
    desiredTable: table.tableName,
    stateTable: state.tableName,
    topicArn,
    queueUrl: queue.url,
    roleName: 's3ir-reconcile-alerts',
    // This file is about each bucket's own alerts from its first sweep on: none is summarised here
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
  factory?.destroy();
  table?.destroy();
  state?.destroy();
  await gateway?.close();
});

describe('drift alerts on transitions, end to end on the local AWS', () => {
  it('alerts detect-mode drift once, and an action required with the exact statement', async (context) => {
    if (!gateway)
      return context.skip('the global setup reuses a running local AWS: its backends are unknown');
    await sweep();
    const alerts = await alertsArrived(3);
    expect(typesOf(alerts)).toEqual([
      `action-required ${names.far}`,
      `drift-detected ${names.drift}`,
      `drift-detected ${names.far}`,
    ]);
    const drift = alerts.find((alert) => alert.bucket === names.drift)!;
    expect(drift.summary).toBe(`Drift on ${names.drift}: unmanaged configuration stray left in place`);
    expect(drift.attributes).toEqual({
      eventType: { Type: 'String', Value: 'drift-detected' },
      bucket: { Type: 'String', Value: names.drift },
      severity: { Type: 'String', Value: 'medium' },
    });
    expect(drift.body).toMatchObject({
      account: HOME,
      region: 'us-east-1',
      detail: { unmanaged: ['stray'] },
    });

    const required = alerts.find((alert) => alert.type === 'action-required')!;
    const statement = {
      Sid: 'S3irInventoryDelivery',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: [`arn:aws:s3:::${names.farDest}/*`],
      Condition: {
        ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' },
        StringEquals: { 'aws:SourceAccount': HOME, 's3:x-amz-acl': 'bucket-owner-full-control' },
      },
    };
    expect(required.severity).toBe('high');
    expect(required.body).toMatchObject({ target: names.farDest, statement });
    expect(await auditActions(names.drift)).toEqual(['drift-detected']);
    expect(await auditActions(names.far)).toEqual(['action-required', 'drift-detected']);
  });

  it('sends nothing, records nothing and writes nothing to DynamoDB for unchanged drift', async (context) => {
    if (!gateway) return context.skip('no private gateway');
    await control('POST', '/_local/calls/reset');
    await sweep();
    const calls = (await control('GET', '/_local/calls')) as Record<string, number>;
    expect(calls['s3.ListBucketInventoryConfigurations']).toBe(2); // both buckets were reconciled
    const writes = Object.entries(calls).filter(
      ([name]) =>
        name.startsWith('dynamodb.') &&
        !['dynamodb.Query', 'dynamodb.Scan', 'dynamodb.GetItem', 'dynamodb.BatchGetItem'].includes(name),
    );
    expect(writes).toEqual([]);
    // Both statuses came in the batch's one BatchGetItem of the state table: none read one by one. The two
    // GetItems are the sweep's (functions/schedule): the HoldActive read of the account-wide hold, and the
    // refused templates' status (`#templates`, lib/usecases/sweep/reportTemplates).
    expect(calls['dynamodb.BatchGetItem']).toBe(1);
    expect(calls['dynamodb.GetItem'] ?? 0).toBe(2);
    expect(await alertsArrived(0)).toEqual([]);
    expect(await auditActions(names.drift)).toEqual(['drift-detected']);
    expect(await auditActions(names.far)).toEqual(['action-required', 'drift-detected']);
  });

  it('reads each status on its own when the batch read fails, and still alerts nothing new', async (context) => {
    if (!gateway) return context.skip('no private gateway');
    await control('POST', '/_local/faults', {
      rules: [
        {
          service: 'dynamodb',
          operation: 'BatchGetItem',
          status: 500,
          code: 'InternalServerError',
          count: 20,
        },
      ],
    });
    try {
      await control('POST', '/_local/calls/reset');
      await sweep();
      const calls = (await control('GET', '/_local/calls')) as Record<string, number>;
      expect(calls['dynamodb.BatchGetItem']).toBeGreaterThanOrEqual(1);
      // One status read per bucket instead, and the sweep's two: the hold and the templates' status.
      expect(calls['dynamodb.GetItem']).toBe(4);
      expect(calls['dynamodb.UpdateItem'] ?? 0).toBe(0);
      expect(await alertsArrived(0)).toEqual([]);
    } finally {
      // Clears every rule: the far account's refusal is set again.
      await control('DELETE', '/_local/faults');
      await refuseAssumeRole();
    }
  });

  it('says drift-resolved once the drift is fixed by hand', async (context) => {
    if (!gateway) return context.skip('no private gateway');
    await s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: names.drift, Id: 'stray' }));
    await sweep();
    const alerts = await alertsArrived(1);
    expect(alerts.map((alert) => [alert.type, alert.bucket, alert.severity, alert.summary])).toEqual([
      [
        'drift-resolved',
        names.drift,
        'info',
        `Drift on ${names.drift} resolved (was: Drift on ${names.drift}: unmanaged configuration stray left in place)`,
      ],
    ]);
    expect(await auditActions(names.drift)).toEqual(['drift-detected', 'drift-resolved']);
  });

  it('keeps the alerts SNS refuses and delivers each exactly once after the next sweep', async (context) => {
    if (!gateway) return context.skip('no private gateway');
    // New drift and a new failure while SNS fails every Publish, SDK retries included.
    await s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: names.drift,
        Id: 'stray2',
        InventoryConfiguration: daily(names.dest, { Id: 'stray2' }),
      }),
    );
    await putDesired({ [names.gone]: { inventories: [daily(names.dest)] } }); // a bucket that does not exist
    await control('POST', '/_local/faults', {
      rules: [{ service: 'sns', operation: 'Publish', status: 500, code: 'InternalError', count: 1000 }],
    });
    await sweep();
    expect(await alertsArrived(0)).toEqual([]);
    expect(await outboxIds()).toHaveLength(2);
    const faults = (await control('GET', '/_local/faults')) as {
      rules: { service: string; injected: number }[];
    };
    expect(faults.rules.find((rule) => rule.service === 'sns')!.injected).toBeGreaterThanOrEqual(2 * 5);

    // SNS recovers; the next sweep sends what the outbox kept, and the buckets, unchanged, nothing more.
    await control('DELETE', '/_local/faults');
    await refuseAssumeRole();
    const next = await sweep();
    expect(next.alertsFlushed).toBe(2);
    const alerts = await alertsArrived(2);
    expect(typesOf(alerts)).toEqual([`drift-detected ${names.drift}`, `reconcile-failed ${names.gone}`]);
    expect(alerts.find((alert) => alert.bucket === names.gone)!.summary).toMatch(
      new RegExp(`^Reconcile of ${names.gone} failed: .*does not exist`),
    );
    expect(await outboxIds()).toEqual([]);

    await sweep();
    expect(await alertsArrived(0)).toEqual([]);
  });

  it('delivered every alert of the file exactly once', (context) => {
    if (!gateway) return context.skip('no private gateway');
    const keys = delivered.map((alert) => `${alert.type} ${alert.bucket} ${alert.runId} ${alert.summary}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(typesOf(delivered)).toEqual(
      [
        `action-required ${names.far}`,
        `drift-detected ${names.drift}`,
        `drift-detected ${names.far}`,
        `drift-resolved ${names.drift}`,
        `drift-detected ${names.drift}`,
        `reconcile-failed ${names.gone}`,
      ].sort(),
    );
  });
});
