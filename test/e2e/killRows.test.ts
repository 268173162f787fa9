import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPolicyLease } from '../../lib/adapters/aws/DynamoPolicyLease.js';
import { INTENT_PARTITION, LEASE_PARTITION } from '../../lib/adapters/aws/stateTableLayout.js';
import { fileToItems } from '../../lib/core/desired/tableItems.js';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import { policyLeaseKey } from '../../lib/core/reconcile/policyLease.js';
import { makeConfiguration } from '../helpers/factories.js';
import { foreignStatement, makePolicy } from '../helpers/reconcileFactories.js';
import { stateTestTable } from '../integration/aws/desiredTestTable.js';
import { LOCAL_HOME_ACCOUNT, uniqueBucket } from '../integration/aws/localFactory.js';
import { dynamoOperation, HoldProxy, isS3Call, type SeenRequest } from './killRows/holdProxy.js';
import { lambdaContext, sqsEvent, useLocalAws } from './lambdaHarness.js';

/**
 * Issue 17, point 1 (the "worker killed at each step of apply" rows) and point 2 (no change without its
 * record): the real reconcile handler runs in a child process whose AWS calls go through a proxy
 * (killRows/holdProxy.ts); the proxy holds one chosen call and the test SIGKILLs the worker while it waits.
 * Then the next reconciles run, and every row asserts: converged, exactly one audit event per change that
 * happened, the destination's foreign statement kept, no intent left, and no lease outliving its expiry.
 */

const ROLE = 'arn:aws:iam::123456789012:role/s3ir-reconcile-kill-rows';
const WORKER = fileURLToPath(new URL('./killRows/reconcileWorker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

type Handler = (event: SQSEvent, context: Context, callback: () => void) => Promise<unknown>;

let local: Awaited<ReturnType<typeof useLocalAws>>;
let proxy: HoldProxy;
let s3: S3Client;
let documents: DynamoDBDocumentClient;
let stateTable: string;
let baseEnv: Record<string, string>;
let queueArn: string;

beforeAll(async () => {
  local = await useLocalAws();
  proxy = await HoldProxy.start(local.endpoint);
  s3 = new S3Client({
    endpoint: local.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    forcePathStyle: true,
  });
  // A state table of this file's own: its `#lease` and `#intent` partitions are these rows' alone.
  // A queue of its own: a worker that fails asks it to redeliver soon (ChangeMessageVisibility).
  const sqs = new SQSClient({
    endpoint: local.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueBucket('kill-rows') })))
    .QueueUrl!;
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  queueArn = Attributes!.QueueArn!;
  sqs.destroy();
  const state = await stateTestTable(local.endpoint);
  documents = state.documents;
  stateTable = state.tableName;
  baseEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL: local.endpoint,
    S3IR_DESIRED_TABLE: local.env.S3IR_DESIRED_TABLE!,
    S3IR_AUDIT_TABLE: local.env.S3IR_AUDIT_TABLE!,
    S3IR_ALERT_TOPIC_ARN: local.env.S3IR_ALERT_TOPIC_ARN!,
    S3IR_STATE_TABLE: stateTable,
    S3IR_QUEUE_URL: queueUrl,
    S3IR_RECONCILE_ROLE_ARN: ROLE,
    POWERTOOLS_SERVICE_NAME: 's3ir',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
  // functions/reconcile.ts builds its module `handler` from process.env when imported.
  Object.assign(process.env, baseEnv);
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  s3?.destroy();
  await local?.stop();
});

interface Row {
  source: string;
  destination: string;
  configuration: InventoryConfiguration;
}

/** A source missing one configuration, whose destination's policy holds only someone else's statement. */
async function seedRow(name: string): Promise<Row> {
  const source = uniqueBucket(`kill-${name}`);
  const destination = uniqueBucket(`kill-${name}-dest`);
  for (const bucket of [source, destination]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const foreign = makePolicy([foreignStatement('AnalyticsRead', destination, LOCAL_HOME_ACCOUNT)]);
  await s3.send(new PutBucketPolicyCommand({ Bucket: destination, Policy: JSON.stringify(foreign) }));
  const base = makeConfiguration({ Id: 'daily' });
  const configuration: InventoryConfiguration = {
    ...base,
    Destination: {
      S3BucketDestination: {
        ...base.Destination!.S3BucketDestination!,
        Bucket: `arn:aws:s3:::${destination}`,
      },
    },
  };
  const items = fileToItems(
    { version: 1, buckets: { [source]: { inventories: [configuration] } } },
    { fileName: 'kill-rows.yaml', appliedBy: 'kill-rows', appliedAt: new Date().toISOString() },
  );
  await documents.send(
    new BatchWriteCommand({
      RequestItems: { [local.env.S3IR_DESIRED_TABLE!]: items.map((Item) => ({ PutRequest: { Item } })) },
    }),
  );
  return { source, destination, configuration };
}

/**
 * Runs the real handler for `row.source` in a child process through the proxy, holds the call `matches`
 * picks at `at`, and SIGKILLs the worker while it waits. Resolves once the worker is dead.
 */
async function killWorkerAt(
  row: Row,
  runId: string,
  matches: (seen: SeenRequest) => boolean,
  at: 'request' | 'response',
): Promise<void> {
  const held = proxy.holdNext(matches, at);
  const args = ['--import', 'tsx', WORKER, row.source, runId, queueArn];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...baseEnv, AWS_ENDPOINT_URL: proxy.endpoint },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  // A worker that finishes without meeting the call would be a broken row: fail with what it printed.
  const outcome = await Promise.race([
    held.then(() => 'held' as const),
    exited.then(() => 'exited' as const),
  ]);
  if (outcome === 'exited') {
    proxy.releaseAll();
    throw new Error(`the worker ended before the held call:\n${output}`);
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  proxy.releaseAll();
}

/** The next reconcile of the bucket, in this process, straight to the local AWS: a new run, as the next sweep. */
async function reconcileNext(row: Row, runId: string): Promise<unknown> {
  const { createHandler } = await import('../../functions/reconcile.js');
  const handler = createHandler({ ...baseEnv, S3IR_INTENT_GRACE_SECONDS: '0' }) as unknown as Handler;
  const message = {
    MessageId: runId,
    ReceiptHandle: runId,
    Body: JSON.stringify({ bucket: row.source, runId }),
  };
  return handler(sqsEvent([message], queueArn), lambdaContext('reconcile', 120_000), () => {});
}

interface StoredEvent {
  eventId: string;
  action: string;
  runId: string;
  intentId?: string;
}

async function eventsOf(bucket: string): Promise<StoredEvent[]> {
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: local.env.S3IR_AUDIT_TABLE!,
      KeyConditionExpression: '#bucket = :bucket',
      ExpressionAttributeNames: { '#bucket': 'bucket' },
      ExpressionAttributeValues: { ':bucket': bucket },
      ConsistentRead: true,
    }),
  );
  return (Items as (StoredEvent & { seq?: number })[])
    .filter((item) => !item.eventId.startsWith('#'))
    .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}

async function stateItems(partition: string, prefix: string): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: stateTable,
      KeyConditionExpression: '#bucket = :partition AND begins_with(#id, :prefix)',
      ExpressionAttributeNames: { '#bucket': 'bucket', '#id': 'id' },
      ExpressionAttributeValues: { ':partition': partition, ':prefix': prefix },
      ConsistentRead: true,
    }),
  );
  return Items;
}

async function policyOf(bucket: string): Promise<{ Statement: { Sid?: string }[] }> {
  const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
  return JSON.parse(Policy!);
}

/** Converged, once per change, nothing foreign lost, no intent left: what every row ends with. */
async function expectConverged(row: Row, changes: [action: string, runId: string][]): Promise<void> {
  const events = await eventsOf(row.source);
  const recorded = events
    .filter((event) => event.action !== 'change-not-applied')
    .filter((event) => !['drift-detected', 'drift-resolved', 'reconcile-failed'].includes(event.action))
    .map((event) => [event.action, event.runId]);
  expect(recorded).toEqual(changes);
  expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
  expect((await policyOf(row.destination)).Statement.map((statement) => statement.Sid).sort()).toEqual([
    'AnalyticsRead',
    'S3irInventoryDelivery',
  ]);
  expect(await stateItems(INTENT_PARTITION, `${row.source}#`)).toEqual([]);
  // Steady: one more reconcile finds nothing to do and records nothing.
  expect(await reconcileNext(row, `${row.source}-steady`)).toEqual({ batchItemFailures: [] });
  expect(await eventsOf(row.source)).toHaveLength(events.length);
}

/**
 * The dead worker's lease on the destination policy, if it left one: it lapses at its expiry (a lease
 * never outlives it: another worker takes it over from the next second), and it is never longer than 30 s.
 */
async function expectLeaseLapses(row: Row, killedAt: number): Promise<void> {
  const key = policyLeaseKey('destination-policy', row.destination);
  const [lease] = await stateItems(LEASE_PARTITION, key);
  if (lease === undefined) return;
  const expiresAt = Number(lease.expiresAt) * 1000;
  expect(expiresAt).toBeLessThanOrEqual(killedAt + 31_000);
  const later = new DynamoPolicyLease({
    client: documents,
    tableName: stateTable,
    now: () => expiresAt + 1_000,
  });
  const attempt = await later.tryAcquire(key, 'kill-rows/successor');
  expect(attempt.acquired).toBe(true);
  if (attempt.acquired) await attempt.lease.release();
}

describe('a reconcile worker killed at each step of apply (issue 17)', () => {
  it('after a grant: the next reconcile records the grant once, under the dead run, and converges', async () => {
    const row = await seedRow('grant');
    await killWorkerAt(
      row,
      `${row.source}-dead`,
      (seen) => isS3Call(seen, 'PUT', row.destination, 'policy'),
      'response',
    );
    const killedAt = Date.now();
    // The grant was made; its intent is all that says so.
    expect((await policyOf(row.destination)).Statement).toHaveLength(2);
    expect(await eventsOf(row.source)).toEqual([]);
    expect(await stateItems(INTENT_PARTITION, `${row.source}#`)).toHaveLength(1);

    expect(await reconcileNext(row, `${row.source}-next`)).toEqual({ batchItemFailures: [] });

    await expectConverged(row, [
      ['destination-policy-updated', `${row.source}-dead`],
      ['inventory-created', `${row.source}-next`],
    ]);
    const [grant] = await eventsOf(row.source);
    expect(grant!.intentId).toBe(grant!.eventId);
    await expectLeaseLapses(row, killedAt);
  });

  it('after a configuration put: the put is recorded once, under the dead run', async () => {
    const row = await seedRow('put');
    await killWorkerAt(
      row,
      `${row.source}-dead`,
      (seen) => isS3Call(seen, 'PUT', row.source, 'inventory'),
      'response',
    );
    expect((await eventsOf(row.source)).map((event) => event.action)).toEqual(['destination-policy-updated']);

    expect(await reconcileNext(row, `${row.source}-next`)).toEqual({ batchItemFailures: [] });

    await expectConverged(row, [
      ['destination-policy-updated', `${row.source}-dead`],
      ['inventory-created', `${row.source}-dead`],
    ]);
  });

  it('before the audit append: the change made and verified is recorded once, by the next reconcile', async () => {
    const row = await seedRow('append');
    await killWorkerAt(
      row,
      `${row.source}-dead`,
      (seen) =>
        dynamoOperation(seen) === 'TransactWriteItems' &&
        seen.body.includes('"inventory-created"') &&
        seen.body.includes(row.source),
      'request',
    );
    expect((await eventsOf(row.source)).map((event) => event.action)).toEqual(['destination-policy-updated']);

    expect(await reconcileNext(row, `${row.source}-next`)).toEqual({ batchItemFailures: [] });

    await expectConverged(row, [
      ['destination-policy-updated', `${row.source}-dead`],
      ['inventory-created', `${row.source}-dead`],
    ]);
  });

  it('holding a policy lease, its intent recorded, before the write: not applied, and the lease is honoured until it lapses', async () => {
    const row = await seedRow('lease');
    // #18 point 4: the intent's record is one TransactWriteItems that also checks the hold (a ConditionCheck).
    const intentPut = (seen: SeenRequest) =>
      dynamoOperation(seen) === 'TransactWriteItems' &&
      seen.body.includes('"ConditionCheck"') &&
      seen.body.includes(`"${INTENT_PARTITION}"`) &&
      seen.body.includes(`${row.source}#`);
    await killWorkerAt(row, `${row.source}-dead`, intentPut, 'response');
    const killedAt = Date.now();
    const key = policyLeaseKey('destination-policy', row.destination);
    const [lease] = await stateItems(LEASE_PARTITION, key);
    expect(lease).toBeDefined();
    expect((await policyOf(row.destination)).Statement).toHaveLength(1);

    // While the dead worker's lease lasts, the next worker writes nothing to that policy: it retries.
    const early = (await reconcileNext(row, `${row.source}-early`)) as { batchItemFailures: unknown[] };
    const leaseEnd = Number(lease!.expiresAt) * 1000;
    if (Date.now() < leaseEnd) {
      expect(early.batchItemFailures).toHaveLength(1);
      expect((await policyOf(row.destination)).Statement).toHaveLength(1);
    }
    // The change the intent announced did not happen: recorded so, once.
    expect((await eventsOf(row.source)).map((event) => [event.action, event.runId])).toEqual([
      ['change-not-applied', `${row.source}-dead`],
    ]);

    // Past its expiry the lease is taken over: the next reconcile converges.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, leaseEnd + 1_500 - Date.now())));
    expect(await reconcileNext(row, `${row.source}-next`)).toEqual({ batchItemFailures: [] });

    await expectConverged(row, [
      ['destination-policy-updated', `${row.source}-next`],
      ['inventory-created', `${row.source}-next`],
    ]);
    expect(await stateItems(LEASE_PARTITION, key)).toEqual([]);
    expect(killedAt).toBeLessThanOrEqual(leaseEnd);
  }, 90_000);
});
