import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import {
  GetBucketPolicyCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketInventoryConfigurationCommand,
} from '@aws-sdk/client-s3';
import type { Message } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Handler } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKmsConfiguration } from '../helpers/factories.js';
import { foreignStatement } from '../helpers/reconcileFactories.js';
import { LOCAL_HOME_ACCOUNT, uniqueBucket } from '../integration/aws/localFactory.js';
import { at, createWorld, daily, type E2eWorld, names } from './e2eWorld.js';
import { lambdaContext, receiveUntil, scheduledEvent, sqsEvent } from './lambdaHarness.js';

interface EventPage {
  lastId: string | null;
  events: {
    detail: { eventName: string; requestParameters: { bucketName?: string }; userIdentity: object };
  }[];
}

// The functions read their settings from process.env: put it back for whatever runs next in this worker.
const savedEnv = { ...process.env };
let world: E2eWorld;
let local: E2eWorld['local'];
let clients: E2eWorld['clients'];
let queue: E2eWorld['queue'];
let alertQueue: E2eWorld['alertQueue'];
let keyArn = '';
let handlers: Record<'schedule' | 'reconcile' | 's3Change' | 'desiredChange', Handler>;

const mine = (messages: Message[]) =>
  messages.filter((message) => [names.a, names.b].includes(JSON.parse(message.Body!).bucket));

async function reconcileFromQueue(expected: number) {
  const messages = mine(await receiveUntil(clients.sqs, queue.url, (got) => mine(got).length >= expected));
  expect(messages).toHaveLength(expected);
  return handlers.reconcile(sqsEvent(messages, queue.arn), lambdaContext('reconcile', 120_000), () => {});
}

async function actualIds(bucket: string) {
  const listed = await clients.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket }));
  return (listed.InventoryConfigurationList ?? []).map((configuration) => configuration.Id).sort();
}

beforeAll(async () => {
  world = await createWorld();
  ({ local, clients, queue, alertQueue, keyArn } = world);
  handlers = {
    schedule: (await import('../../functions/schedule.js')).handler,
    reconcile: (await import('../../functions/reconcile.js')).handler,
    s3Change: (await import('../../functions/s3Change.js')).handler,
    desiredChange: (await import('../../functions/desiredChange.js')).handler,
  };
}, 180_000);

afterAll(async () => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  for (const client of Object.values(clients ?? {})) client.destroy();
  await local?.stop();
});

describe('the service end to end on the local AWS', () => {
  it('schedule → SQS → reconcile converges configurations, policies and the key grant', async () => {
    const sweep = await handlers.schedule(scheduledEvent(), lambdaContext('schedule', 300_000), () => {});
    expect(sweep.buckets).toBeGreaterThanOrEqual(2);

    expect(await reconcileFromQueue(2)).toEqual({ batchItemFailures: [] });

    expect(await actualIds(names.a)).toEqual(['daily', 'weekly']);
    expect(await actualIds(names.b)).toEqual(['encrypted']);
    const policy = JSON.parse(
      (await clients.s3.send(new GetBucketPolicyCommand({ Bucket: names.dest }))).Policy!,
    );
    expect(policy.Statement[0]).toEqual(foreignStatement('AnalyticsRead', names.dest, LOCAL_HOME_ACCOUNT));
    expect(policy.Statement[1]).toMatchObject({
      Sid: 'S3irInventoryDelivery',
      Principal: { Service: 's3.amazonaws.com' },
    });
    // Both sources share one account: one account-keyed statement serves both (docs/aws-facts.md §13).
    expect(policy.Statement[1].Condition).toEqual({
      ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' },
      StringEquals: { 'aws:SourceAccount': LOCAL_HOME_ACCOUNT, 's3:x-amz-acl': 'bucket-owner-full-control' },
    });
    const keyPolicy = JSON.parse(
      (await clients.kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }))).Policy!,
    );
    expect(keyPolicy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Sid: 'S3irInventoryKeyGrant', Action: ['kms:GenerateDataKey'] }),
      ]),
    );
    expect(keyPolicy.Statement.length).toBeGreaterThanOrEqual(2);
  });

  it("learned each bucket's region once: a second sweep asks no source its location", async () => {
    const table = local.env.S3IR_DESIRED_TABLE!;
    for (const bucket of [names.a, names.b]) {
      const { Items } = await clients.documents.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: '#bucket = :b AND id = :id',
          ExpressionAttributeNames: { '#bucket': 'bucket' },
          ExpressionAttributeValues: { ':b': bucket, ':id': '#bucket' },
        }),
      );
      expect(Items?.[0]?.settings, bucket).toMatchObject({ region: 'us-east-1' });
    }
    await fetch(`${local.endpoint}/_local/calls/reset`, { method: 'POST' });

    await handlers.schedule(scheduledEvent(), lambdaContext('schedule', 300_000), () => {});
    expect(await reconcileFromQueue(2)).toEqual({ batchItemFailures: [] });

    const calls = (await (await fetch(`${local.endpoint}/_local/calls`)).json()) as Record<string, number>;
    expect(calls['s3.ListBucketInventoryConfigurations']).toBeGreaterThanOrEqual(2);
    // The one destination both sources share is read once per run (its facts); the sources not at all.
    expect(calls['s3.HeadBucket'] ?? 0).toBe(1);
    expect(calls['s3.GetBucketLocation'] ?? 0).toBe(0);
    // Steady state: no write at all, but the one DeleteItem of the first sweep's adoption summary, which this
    // sweep sent (#18 point 4: one alert per run and account instead of one per bucket adopted).
    for (const write of ['UpdateItem', 'PutItem', 'BatchWriteItem', 'TransactWriteItems'])
      expect(calls[`dynamodb.${write}`] ?? 0, write).toBe(0);
    expect(calls['dynamodb.DeleteItem'] ?? 0).toBe(1);
    // The statuses of the batch's two buckets in one request, none read one by one; the two GetItems are the
    // sweep's (functions/schedule): the HoldActive read of the account-wide hold, and the refused templates'
    // status (`#templates`, lib/usecases/sweep/reportTemplates).
    expect(calls['dynamodb.BatchGetItem'] ?? 0).toBe(1);
    expect(calls['dynamodb.GetItem'] ?? 0).toBe(2);
  });

  it('wrote the audit events and sent the first sweep as one drift-resolved summary with its eventType and severity attributes', async () => {
    const audit = await clients.documents.send(
      new QueryCommand({
        TableName: local.env.S3IR_AUDIT_TABLE,
        KeyConditionExpression: '#b = :b',
        ExpressionAttributeNames: { '#b': 'bucket' },
        ExpressionAttributeValues: { ':b': names.a },
      }),
    );
    const events = (audit.Items ?? []).filter((item) => !String(item.eventId).startsWith('#')); // not the chain head
    expect(events.map((item) => item.action).sort()).toEqual([
      'inventory-created',
      'inventory-deleted',
      'inventory-updated',
    ]);
    // #18 point 4: the sweep's grant step granted the shared destination and key ahead of the reconciles, once
    // each, recorded on the destination's chain (a's own reconcile then found its account granted).
    const grants = await clients.documents.send(
      new QueryCommand({
        TableName: local.env.S3IR_AUDIT_TABLE,
        KeyConditionExpression: '#b = :b',
        ExpressionAttributeNames: { '#b': 'bucket' },
        ExpressionAttributeValues: { ':b': names.dest },
      }),
    );
    const granted = (grants.Items ?? []).filter((item) => !String(item.eventId).startsWith('#'));
    expect(granted.map((item) => [item.action, item.actor]).sort()).toEqual([
      ['destination-policy-updated', 's3ir-schedule'],
      ['key-policy-updated', 's3ir-schedule'],
    ]);
    // The first reconcile of a and b is said once, in their run and account's summary (sent by the second sweep).
    const adopted = (message: { Body?: string }) =>
      JSON.parse(JSON.parse(message.Body!).Message).adoption?.buckets?.['drift-resolved']?.includes(names.a);
    const alerts = await receiveUntil(clients.sqs, alertQueue.url, (got) => got.some(adopted));
    const envelope = JSON.parse(alerts.find(adopted)!.Body!);
    expect(envelope.MessageAttributes.eventType).toEqual({ Type: 'String', Value: 'drift-resolved' });
    expect(envelope.MessageAttributes.severity).toEqual({ Type: 'String', Value: 'info' });
    expect(envelope.MessageAttributes.bucket).toEqual({ Type: 'String', Value: '#adoption' });
    expect(JSON.parse(envelope.Message)).toMatchObject({
      type: 'drift-resolved',
      severity: 'info',
      bucket: '#adoption',
      account: LOCAL_HOME_ACCOUNT,
      summary: expect.stringMatching(
        /^First reconcile of 2 buckets in account \d{12} \(run sweep-.+\): 2 drift-resolved$/,
      ),
      adoption: { counts: { 'drift-resolved': 2 }, buckets: { 'drift-resolved': [names.a, names.b].sort() } },
    });
    // No alert of a bucket's own for its first reconcile.
    expect(
      alerts.filter((message) =>
        [names.a, names.b].includes(JSON.parse(JSON.parse(message.Body!).Message).bucket),
      ),
    ).toEqual([]);
    // Every bucket reconciled has its status (in the state table), in sync after the first sweep converged it.
    const { Items } = await clients.documents.send(
      new QueryCommand({
        TableName: world.stateTable,
        KeyConditionExpression: '#bucket = :b AND id = :id',
        ExpressionAttributeNames: { '#bucket': 'bucket' },
        ExpressionAttributeValues: { ':b': names.a, ':id': '#status' },
      }),
    );
    expect(Items?.[0]).toMatchObject({ state: 'in-sync', version: 1 });
  });

  it('reverts a hand-made change: CloudTrail event → s3Change → SQS → reconcile', async () => {
    const before = (await (await fetch(`${local.endpoint}/_local/events`)).json()) as EventPage;
    const edited = {
      ...daily,
      Destination: {
        S3BucketDestination: { ...daily.Destination!.S3BucketDestination!, Format: 'Parquet' as const },
      },
    };
    await clients.s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: names.a,
        Id: 'daily',
        InventoryConfiguration: edited,
      }),
    );
    const page = (await (
      await fetch(`${local.endpoint}/_local/events?since=${before.lastId ?? ''}`)
    ).json()) as EventPage;
    const change = page.events.find(
      (event) =>
        event.detail.eventName === 'PutBucketInventoryConfiguration' &&
        event.detail.requestParameters.bucketName === names.a,
    );
    expect(change).toBeDefined();

    const ownCall = structuredClone(change)!;
    ownCall.detail.userIdentity = {
      ...ownCall.detail.userIdentity,
      arn: 'arn:aws:sts::123456789012:assumed-role/s3ir-reconcile-e2e/s3ir-run',
    };
    expect(await handlers.s3Change(ownCall, lambdaContext('s3Change', 30_000), () => {})).toEqual({
      ignored: true,
      buckets: [],
    });

    expect(await handlers.s3Change(change, lambdaContext('s3Change', 30_000), () => {})).toEqual({
      ignored: false,
      buckets: [names.a],
    });
    expect(await reconcileFromQueue(1)).toEqual({ batchItemFailures: [] });
    const listed = await clients.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: names.a }));
    const reverted = listed.InventoryConfigurationList!.find(
      (configuration) => configuration.Id === 'daily',
    )!;
    expect(reverted.Destination!.S3BucketDestination!.Format).toBe('CSV');
  });

  it('records a desired-state change from the stream and reconciles the bucket', async () => {
    const item = {
      bucket: names.b,
      id: 'encrypted',
      configuration: at(makeKmsConfiguration(keyArn, { Id: 'encrypted', IsEnabled: false })),
      appliedBy: 'e2e',
    };
    await clients.documents.send(
      new BatchWriteCommand({
        RequestItems: { [local.env.S3IR_DESIRED_TABLE!]: [{ PutRequest: { Item: item } }] },
      }),
    );
    const record = {
      eventID: uniqueBucket('stream'),
      eventName: 'MODIFY',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/s3ir-desired-state/stream/2026',
      dynamodb: {
        Keys: marshall({ bucket: names.b, id: 'encrypted' }),
        NewImage: marshall(item, { removeUndefinedValues: true }),
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
        SequenceNumber: '1',
        SizeBytes: 100,
      },
    };
    expect(
      await handlers.desiredChange({ Records: [record] }, lambdaContext('desiredChange', 30_000), () => {}),
    ).toEqual({
      batchItemFailures: [],
    });
    const audit = await clients.documents.send(
      new QueryCommand({
        TableName: local.env.S3IR_AUDIT_TABLE,
        IndexName: 'byRun',
        KeyConditionExpression: 'runId = :r',
        ExpressionAttributeValues: { ':r': `desired-${record.eventID}` },
      }),
    );
    expect(audit.Items).toEqual([
      expect.objectContaining({ action: 'desired-state-changed', bucket: names.b, actor: 'e2e' }),
    ]);
    expect(await reconcileFromQueue(1)).toEqual({ batchItemFailures: [] });
    const listed = await clients.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: names.b }));
    expect(listed.InventoryConfigurationList!.map((configuration) => configuration.IsEnabled)).toEqual([
      false,
    ]);
  });

  it('leaves every message to SQS when too close to the deadline', async () => {
    const event = sqsEvent(
      [{ MessageId: 'm1', ReceiptHandle: 'r', Body: JSON.stringify({ bucket: names.a, runId: 'late' }) }],
      queue.arn,
    );
    expect(await handlers.reconcile(event, lambdaContext('reconcile', 1_000), () => {})).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm1' }],
    });
  });
});
