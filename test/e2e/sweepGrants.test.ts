import { CreateKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type Message, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { Handler } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileToItems } from '../../lib/core/desired/tableItems.js';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import type { PolicyDocument, PolicyStatement } from '../../lib/core/policy/types.js';
import { makeKmsConfiguration } from '../helpers/factories.js';
import { memberS3 } from '../helpers/memberS3.js';
import { foreignStatement, makePolicy } from '../helpers/reconcileFactories.js';
import { desiredTestTable, stateTestTable } from '../integration/aws/desiredTestTable.js';
import { LOCAL_HOME_ACCOUNT, uniqueBucket } from '../integration/aws/localFactory.js';
import { lambdaContext, receiveUntil, scheduledEvent, sqsEvent, useLocalAws } from './lambdaHarness.js';

// #18 point 4: a first sweep over three accounts sharing one destination and one key makes ONE policy write
// on each, through the schedule's grant step; the reconciles then find every account granted.
const savedEnv = { ...process.env };
const REGION = 'us-east-1';
const HOME = LOCAL_HOME_ACCOUNT;
const MEMBER_1 = '646464646401';
const MEMBER_2 = '646464646402';
const ACCOUNTS = [HOME, MEMBER_1, MEMBER_2];
const dest = uniqueBucket('grants-dest');
const sources = Object.fromEntries(
  ACCOUNTS.map((account) => [
    account,
    [1, 2, 3].map((n) => uniqueBucket(`grants-${account.slice(-2)}-${n}`)),
  ]),
) as Record<string, string[]>;
const foreign = foreignStatement('AnalyticsRead', dest, HOME);
let local: Awaited<ReturnType<typeof useLocalAws>>;
let base: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
let sqs: SQSClient;
let queue: { url: string; arn: string };
let keyArn: string;
let desired: Awaited<ReturnType<typeof desiredTestTable>>;
let handlers: { schedule: Handler; reconcile: Handler };
let eventsSeen: string | null = null;

/** An S3 client of `account` (moto keeps accounts apart by the assumed role's account). */
function s3Of(account: string): Promise<S3Client> {
  return memberS3(base, account, HOME);
}

/** Delivering to the home account's destination (its owner named) with the home account's key. */
function configuration(): InventoryConfiguration {
  const base = makeKmsConfiguration(keyArn, { Id: 'org-daily' });
  const destination = {
    ...base.Destination!.S3BucketDestination!,
    Bucket: `arn:aws:s3:::${dest}`,
    AccountId: HOME,
  };
  return { ...base, Destination: { S3BucketDestination: destination } };
}

/**
 * The policy writes made on our destination and key since the last look, from the local AWS's change events
 * (per bucket and key: `/_local/calls` counts every test file's calls at once).
 */
async function policyWrites(): Promise<{ bucket: number; key: number }> {
  const query = eventsSeen === null ? '' : `?since=${eventsSeen}`;
  const reply = (await (await fetch(`${local.endpoint}/_local/events${query}`)).json()) as {
    events: { detail: { eventName: string; requestParameters?: Record<string, string> } }[];
    lastId: string | null;
    gap: boolean;
  };
  expect(reply.gap).toBe(false);
  eventsSeen = reply.lastId ?? eventsSeen;
  const named = (name: string, key: string, value: string) =>
    reply.events.filter(
      ({ detail }) => detail.eventName === name && detail.requestParameters?.[key] === value,
    ).length;
  return {
    bucket: named('PutBucketPolicy', 'bucketName', dest),
    key: named('PutKeyPolicy', 'keyId', keyArn),
  };
}

async function sweep() {
  return handlers.schedule(scheduledEvent(), lambdaContext('schedule', 300_000), () => {});
}

async function reconcileQueued(expected: number): Promise<void> {
  const messages: Message[] = await receiveUntil(sqs, queue.url, (got) => got.length >= expected);
  expect(messages).toHaveLength(expected);
  for (let at = 0; at < messages.length; at += 10) {
    const batch = sqsEvent(messages.slice(at, at + 10), queue.arn);
    expect(await handlers.reconcile(batch, lambdaContext('reconcile', 120_000), () => {})).toEqual({
      batchItemFailures: [],
    });
  }
}

async function destinationPolicy(): Promise<PolicyDocument> {
  const s3 = new S3Client({ ...base, forcePathStyle: true });
  const policy = (await s3.send(new GetBucketPolicyCommand({ Bucket: dest }))).Policy!;
  s3.destroy();
  return JSON.parse(policy) as PolicyDocument;
}

const statements = (document: PolicyDocument) => document.Statement as PolicyStatement[];
const sourceAccounts = (statement: PolicyStatement | undefined) =>
  [statement?.Condition?.StringEquals?.['aws:SourceAccount'] ?? []].flat().sort();

beforeAll(async () => {
  local = await useLocalAws();
  base = {
    endpoint: local.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  sqs = new SQSClient(base);
  const kms = new KMSClient(base);
  keyArn = (
    await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 's3ir:inventory-key', TagValue: 'true' }] }))
  ).KeyMetadata!.Arn!;
  kms.destroy();
  const home = await s3Of(HOME);
  await home.send(new CreateBucketCommand({ Bucket: dest }));
  await home.send(
    new PutBucketPolicyCommand({ Bucket: dest, Policy: JSON.stringify(makePolicy([foreign])) }),
  );
  home.destroy();
  for (const account of ACCOUNTS) {
    const s3 = await s3Of(account);
    for (const bucket of sources[account]!) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    s3.destroy();
  }
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueBucket('grants-reconcile') })))
    .QueueUrl!;
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  queue = { url, arn: attributes.Attributes!.QueueArn! };
  desired = await desiredTestTable(local.endpoint);
  const state = await stateTestTable(local.endpoint);
  state.destroy();
  const buckets = Object.fromEntries(
    ACCOUNTS.flatMap((account) =>
      sources[account]!.map((bucket) => [
        bucket,
        { account, region: REGION, inventories: [configuration()] },
      ]),
    ),
  );
  const items = fileToItems({ version: 1, buckets } as Parameters<typeof fileToItems>[0], {
    fileName: 'grants.yaml',
    appliedBy: 'e2e',
    appliedAt: new Date().toISOString(),
  });
  await desired.documents.send(
    new BatchWriteCommand({
      RequestItems: { [desired.tableName]: items.map((Item) => ({ PutRequest: { Item } })) },
    }),
  );
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: local.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    S3IR_DESIRED_TABLE: desired.tableName,
    S3IR_STATE_TABLE: state.tableName,
    S3IR_AUDIT_TABLE: local.env.S3IR_AUDIT_TABLE,
    S3IR_ALERT_TOPIC_ARN: local.env.S3IR_ALERT_TOPIC_ARN,
    S3IR_QUEUE_URL: queue.url,
    S3IR_ALLOWED_ACCOUNTS: `${MEMBER_1},${MEMBER_2}`,
    POWERTOOLS_SERVICE_NAME: 's3ir',
    POWERTOOLS_LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  handlers = {
    schedule: (await import('../../functions/schedule.js')).handler,
    reconcile: (await import('../../functions/reconcile.js')).handler,
  };
  await policyWrites(); // from here on
}, 180_000);

afterAll(async () => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  desired?.destroy();
  sqs?.destroy();
  await local?.stop();
});

describe('the sweep grants each shared policy once (#18 point 4)', () => {
  it('makes exactly one PutBucketPolicy and one PutKeyPolicy for 3 accounts × 3 buckets, and every bucket converges', async () => {
    const result = await sweep();
    expect(result.grants).toMatchObject({ written: 2, failed: 0, pruned: true });
    expect(await policyWrites()).toEqual({ bucket: 1, key: 1 });

    await reconcileQueued(9);
    // The reconciles found every account granted: no policy write of theirs.
    expect(await policyWrites()).toEqual({ bucket: 0, key: 0 });
    for (const account of ACCOUNTS) {
      const s3 = await s3Of(account);
      for (const bucket of sources[account]!) {
        const listed = await s3.send(
          new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ExpectedBucketOwner: account }),
        );
        expect(
          listed.InventoryConfigurationList?.map((entry) => entry.Id),
          bucket,
        ).toEqual(['org-daily']);
      }
      s3.destroy();
    }
    const policy = await destinationPolicy();
    expect(statements(policy)[0]).toEqual(foreign);
    expect(sourceAccounts(statements(policy)[1])).toEqual([...ACCOUNTS].sort());
    const reply = await fetch(`${local.endpoint}/_local/deliver`, {
      method: 'POST',
      body: JSON.stringify({ buckets: Object.values(sources).flat() }),
    });
    const delivered = (await reply.json()) as { delivered: { bucket: string }[]; refused: unknown[] };
    expect(delivered.refused).toEqual([]);
    expect(delivered.delivered.map((entry) => entry.bucket).sort()).toEqual(
      Object.values(sources).flat().sort(),
    );
  });

  it('writes nothing in the next sweep', async () => {
    const result = await sweep();
    expect(result.grants).toMatchObject({ written: 0, unchanged: 2 });
    await reconcileQueued(9);
    expect(await policyWrites()).toEqual({ bucket: 0, key: 0 });
  });

  it('prunes an account whose last declaration left with one write per policy; the foreign statement is byte-identical', async () => {
    const before = JSON.stringify(statements(await destinationPolicy())[0]);
    for (const bucket of sources[MEMBER_2]!) {
      for (const id of ['#bucket', 'org-daily']) {
        await desired.documents.send(
          new DeleteCommand({ TableName: desired.tableName, Key: { bucket, id } }),
        );
      }
    }
    const result = await sweep();
    expect(result.grants).toMatchObject({ written: 2, failed: 0, pruned: true });
    expect(await policyWrites()).toEqual({ bucket: 1, key: 1 });
    const policy = await destinationPolicy();
    expect(JSON.stringify(statements(policy)[0])).toBe(before);
    expect(sourceAccounts(statements(policy)[1])).toEqual([HOME, MEMBER_1].sort());
    const kms = new KMSClient(base);
    const keyPolicy = JSON.parse(
      (await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }))).Policy!,
    );
    kms.destroy();
    const ours = (keyPolicy.Statement as PolicyStatement[]).find(
      (statement) => statement.Sid === 'S3irInventoryKeyGrant',
    );
    expect(sourceAccounts(ours)).toEqual([HOME, MEMBER_1].sort());
    await reconcileQueued(6);
    expect(await policyWrites()).toEqual({ bucket: 0, key: 0 });
  });
});
