import {
  CreateBucketCommand,
  DeleteBucketInventoryConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type Message, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Handler } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileToItems } from '../../lib/core/desired/tableItems.js';
import { makeConfiguration } from '../helpers/factories.js';
import { memberS3 } from '../helpers/memberS3.js';
import { desiredTestTable, stateTestTable } from '../integration/aws/desiredTestTable.js';
import { LOCAL_HOME_ACCOUNT, LOCAL_OTHER_ACCOUNT, uniqueBucket } from '../integration/aws/localFactory.js';
import { lambdaContext, receiveUntil, scheduledEvent, sqsEvent, useLocalAws } from './lambdaHarness.js';

// #18 point 4: the first sweep's alerts summarised, one alert per run and account, through the real schedule and
// reconcile handlers on the local AWS: 30 buckets in two accounts, two of them in detect mode.
const savedEnv = { ...process.env };
const REGION = 'us-east-1';
const HOME = LOCAL_HOME_ACCOUNT;
const OTHER = LOCAL_OTHER_ACCOUNT;
const dest = uniqueBucket('ad-dest');
/**
 * The detect-mode buckets' own destination, outside S3IR_DESTINATION_BUCKETS: its grant is action required, and no
 * other bucket's reconcile grants it, so their findings and drift stay as the first sweep saw them.
 */
const detectDest = uniqueBucket('ad-detect-dest');
const home = Array.from({ length: 15 }, (_, index) => uniqueBucket(`ad-home${index}`));
const other = Array.from({ length: 15 }, (_, index) => uniqueBucket(`ad-other${index}`));
/**
 * Detect mode, towards a destination the service may not grant: their first reconcile leaves drift and a finding
 * (drift-detected, action-required); every other one converges (drift-resolved).
 */
const detect = home.slice(0, 2);
const mine = new Set([...home, ...other]);

interface Queue {
  url: string;
  arn: string;
}
interface AlertBody {
  type: string;
  bucket: string;
  account?: string;
  runId: string;
  summary: string;
  adoption?: {
    total: number;
    counts: Record<string, number>;
    buckets: Record<string, string[]>;
    more: Record<string, number>;
  };
}

let local: Awaited<ReturnType<typeof useLocalAws>>;
let base: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
let sqs: SQSClient;
let queues: { reconcile: Queue; alerts: Queue };
let state: Awaited<ReturnType<typeof stateTestTable>>;
let handlers: { schedule: Handler; reconcile: Handler };
const runs: string[] = [];

async function makeQueue(name: string): Promise<Queue> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: attributes.Attributes!.QueueArn! };
}

/** An S3 client of `account` (moto keeps accounts apart by the assumed role's account). */
function s3Of(account: string): Promise<S3Client> {
  return memberS3(base, account, HOME);
}

/** A sweep, then every bucket it enqueued reconciled by the reconcile handler, ten to an invocation. */
async function sweep(): Promise<{ runId: string; summariesSent: number }> {
  const result = await handlers.schedule(scheduledEvent(), lambdaContext('schedule', 300_000), () => {});
  runs.push(result.runId);
  expect(result.buckets).toBe(30);
  const messages = await receiveUntil(sqs, queues.reconcile.url, (got) => got.length >= 30, 30);
  expect(messages).toHaveLength(30);
  for (let start = 0; start < messages.length; start += 10) {
    const batch = messages.slice(start, start + 10);
    expect(
      await handlers.reconcile(
        sqsEvent(batch, queues.reconcile.arn),
        lambdaContext('reconcile', 300_000),
        () => {},
      ),
    ).toEqual({ batchItemFailures: [] });
  }
  return result;
}

/** The alerts of this file's buckets and runs that arrived (the topic is shared with other files' queues). */
async function alertsArrived(enough: (got: AlertBody[]) => boolean, rounds: number): Promise<AlertBody[]> {
  const ours = (messages: Message[]) =>
    messages
      .map((message) => JSON.parse(JSON.parse(message.Body!).Message) as AlertBody)
      .filter((body) => mine.has(body.bucket) || runs.includes(body.runId));
  return ours(await receiveUntil(sqs, queues.alerts.url, (got) => enough(ours(got)), rounds));
}

async function summaryItems(): Promise<Record<string, unknown>[]> {
  const { Items } = await state.documents.send(
    new QueryCommand({
      TableName: state.tableName,
      KeyConditionExpression: '#bucket = :adoption',
      ExpressionAttributeNames: { '#bucket': 'bucket' },
      ExpressionAttributeValues: { ':adoption': '#adoption' },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

beforeAll(async () => {
  local = await useLocalAws();
  base = {
    endpoint: local.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  sqs = new SQSClient(base);
  for (const [account, buckets] of [
    [HOME, [dest, detectDest, ...home]],
    [OTHER, other],
  ] as const) {
    const s3 = await s3Of(account);
    for (const bucket of buckets) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    s3.destroy();
  }
  queues = {
    reconcile: await makeQueue(uniqueBucket('ad-reconcile')),
    alerts: await makeQueue(uniqueBucket('ad-alerts')),
  };
  const sns = new SNSClient(base);
  await sns.send(
    new SubscribeCommand({
      TopicArn: local.env.S3IR_ALERT_TOPIC_ARN,
      Protocol: 'sqs',
      Endpoint: queues.alerts.arn,
    }),
  );
  sns.destroy();
  const desired = await desiredTestTable(local.endpoint);
  state = await stateTestTable(local.endpoint);
  const dailyTo = (bucket: string) =>
    makeConfiguration({
      Id: 'daily',
      Destination: {
        S3BucketDestination: {
          Bucket: `arn:aws:s3:::${bucket}`,
          AccountId: HOME,
          Format: 'CSV',
          Prefix: 'ad',
        },
      },
    });
  const daily = dailyTo(dest);
  const buckets = Object.fromEntries([
    ...home.map((bucket) => [
      bucket,
      detect.includes(bucket)
        ? { mode: 'detect' as const, inventories: [dailyTo(detectDest)] }
        : { inventories: [daily] },
    ]),
    ...other.map((bucket) => [bucket, { account: OTHER, inventories: [daily] }]),
  ]);
  const items = fileToItems({ version: 1, buckets } as Parameters<typeof fileToItems>[0], {
    fileName: 'adoption.yaml',
    appliedBy: 'e2e',
    appliedAt: new Date().toISOString(),
  });
  for (let start = 0; start < items.length; start += 25) {
    await desired.documents.send(
      new BatchWriteCommand({
        RequestItems: {
          [desired.tableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
  desired.destroy();
  for (const name of ['S3IR_ADOPTION_SINGLE_ALERTS', 'S3IR_MAX_CHANGES', 'S3IR_MAX_DELETES'])
    delete process.env[name];
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: local.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    S3IR_DESIRED_TABLE: desired.tableName,
    S3IR_STATE_TABLE: state.tableName,
    S3IR_AUDIT_TABLE: local.env.S3IR_AUDIT_TABLE,
    S3IR_ALERT_TOPIC_ARN: local.env.S3IR_ALERT_TOPIC_ARN,
    S3IR_QUEUE_URL: queues.reconcile.url,
    S3IR_ALLOWED_ACCOUNTS: `${HOME},${OTHER}`,
    S3IR_DESTINATION_BUCKETS: dest,
    POWERTOOLS_SERVICE_NAME: 's3ir',
    POWERTOOLS_LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  handlers = {
    schedule: (await import('../../functions/schedule.js')).handler,
    reconcile: (await import('../../functions/reconcile.js')).handler,
  };
}, 180_000);

afterAll(async () => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  sqs?.destroy();
  state?.destroy();
  await local?.stop();
});

describe('the first sweep’s alerts, summarised per run and account (#18 point 4)', () => {
  it('sends no alert of a bucket’s own for its first reconcile: one summary item per account fills instead', async () => {
    await sweep();
    expect(await alertsArrived(() => false, 3)).toEqual([]);
    const items = await summaryItems();
    expect(items.map((item) => item.account).sort()).toEqual([HOME, OTHER].sort());
    expect(items.every((item) => item.runId === runs[0])).toBe(true);
  });

  it('sends exactly one summary per account at the next sweep, with the counts and the names, then removes them', async () => {
    const second = await sweep();
    expect(second.summariesSent).toBe(2);
    const alerts = await alertsArrived((got) => got.length >= 2, 15);
    // No alert of a bucket's own (the detect-mode buckets' drift is unchanged since the first sweep).
    expect(
      alerts.filter((alert) => mine.has(alert.bucket)).map((a) => [a.type, a.bucket, a.summary]),
    ).toEqual([]);
    expect(alerts).toHaveLength(2);
    const byAccount = Object.fromEntries(alerts.map((alert) => [alert.account, alert]));
    expect(byAccount[HOME]).toMatchObject({
      type: 'action-required', // the worst kind it holds: its severity, high, pages
      bucket: '#adoption',
      runId: runs[0],
      summary: `First reconcile of 15 buckets in account ${HOME} (run ${runs[0]}): 2 action-required, 2 drift-detected, 13 drift-resolved`,
      adoption: {
        total: 15,
        counts: { 'action-required': 2, 'drift-detected': 2, 'drift-resolved': 13 },
        buckets: {
          'action-required': [...detect].sort(),
          'drift-detected': [...detect].sort(),
          'drift-resolved': home.filter((bucket) => !detect.includes(bucket)).sort(),
        },
        more: {},
        // S3IR_DESTINATION_BUCKETS does not name it: its owner must add the grant.
        targets: [expect.stringContaining(detectDest)],
      },
    });
    expect(byAccount[OTHER]).toMatchObject({
      type: 'drift-resolved',
      runId: runs[0],
      adoption: {
        total: 15,
        counts: { 'drift-resolved': 15 },
        buckets: { 'drift-resolved': [...other].sort() },
      },
    });
    expect(await summaryItems()).toEqual([]); // sent and removed; the steady second sweep added none
  });

  it('still alerts a later drift on one bucket as that bucket’s own alert', async () => {
    const s3 = await s3Of(OTHER);
    await s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: other[3]!, Id: 'daily' }));
    s3.destroy();
    const third = await sweep();
    expect(third.summariesSent).toBe(0);
    const alerts = await alertsArrived((got) => got.length >= 1, 15);
    expect(alerts.map((alert) => [alert.type, alert.bucket, alert.account])).toEqual([
      ['drift-resolved', other[3], OTHER],
    ]);
    expect(await summaryItems()).toEqual([]);
  });
});
