import { CreateKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketPolicyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type Message, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
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

// #18: a destination bucket and its KMS key in member account B, sources in the home account and in member
// account C. The schedule's grant step writes B's bucket policy and key policy through B's role (one write
// each), the sources converge and deliver; once no declaration names the destination, the step prunes our
// statements from B's policies, again through B's role, keeping B's own statement byte-identical.
const savedEnv = { ...process.env };
const REGION = 'us-east-1';
const HOME = LOCAL_HOME_ACCOUNT;
const B = '646464646411';
const C = '646464646412';
const SOURCE_ACCOUNTS = [HOME, C];
const dest = uniqueBucket('member-dest');
const sources = Object.fromEntries(
  SOURCE_ACCOUNTS.map((account) => [
    account,
    [1, 2].map((n) => uniqueBucket(`md-${account.slice(-2)}-${n}`)),
  ]),
) as Record<string, string[]>;
const ownersOwn = foreignStatement('AnalyticsRead', dest, B);
let local: Awaited<ReturnType<typeof useLocalAws>>;
let base: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
let sqs: SQSClient;
let queue: { url: string; arn: string };
let keyArn: string;
let desired: Awaited<ReturnType<typeof desiredTestTable>>;
let handlers: { schedule: Handler; reconcile: Handler };
let eventsSeen: string | null = null;

/** A KMS client acting as `account` (moto keeps accounts apart by the assumed role's account). */
async function memberKms(account: string): Promise<KMSClient> {
  const sts = new STSClient(base);
  const { Credentials: issued } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/e2e-setup`,
      RoleSessionName: 'e2e-setup',
    }),
  );
  sts.destroy();
  return new KMSClient({
    ...base,
    credentials: {
      accessKeyId: issued!.AccessKeyId!,
      secretAccessKey: issued!.SecretAccessKey!,
      sessionToken: issued!.SessionToken!,
    },
  });
}

function s3Of(account: string): Promise<S3Client> {
  return memberS3(base, account, HOME);
}

/** Delivering to B's destination (its owner named) with B's key. */
function configuration(): InventoryConfiguration {
  const kms = makeKmsConfiguration(keyArn, { Id: 'central-daily' });
  const destination = {
    ...kms.Destination!.S3BucketDestination!,
    Bucket: `arn:aws:s3:::${dest}`,
    AccountId: B,
  };
  return { ...kms, Destination: { S3BucketDestination: destination } };
}

interface PolicyWrite {
  name: string;
  account: string;
  caller: string;
}

/** The policy writes on our destination and key since the last look, from the local AWS's change events. */
async function policyWrites(): Promise<PolicyWrite[]> {
  const query = eventsSeen === null ? '' : `?since=${eventsSeen}`;
  const reply = (await (await fetch(`${local.endpoint}/_local/events${query}`)).json()) as {
    events: {
      detail: {
        eventName: string;
        recipientAccountId: string;
        userIdentity: { arn?: string };
        requestParameters?: Record<string, string>;
      };
    }[];
    lastId: string | null;
    gap: boolean;
  };
  expect(reply.gap).toBe(false);
  eventsSeen = reply.lastId ?? eventsSeen;
  return reply.events
    .filter(
      ({ detail }) =>
        (/BucketPolicy$/.test(detail.eventName) && detail.requestParameters?.bucketName === dest) ||
        (detail.eventName === 'PutKeyPolicy' && detail.requestParameters?.keyId === keyArn),
    )
    .map(({ detail }) => ({
      name: detail.eventName,
      account: detail.recipientAccountId,
      caller: detail.userIdentity.arn ?? '',
    }));
}

async function sweep() {
  return handlers.schedule(scheduledEvent(), lambdaContext('schedule', 300_000), () => {});
}

async function reconcileQueued(expected: number): Promise<void> {
  const messages: Message[] = await receiveUntil(sqs, queue.url, (got) => got.length >= expected);
  expect(messages).toHaveLength(expected);
  const batch = sqsEvent(messages, queue.arn);
  expect(await handlers.reconcile(batch, lambdaContext('reconcile', 120_000), () => {})).toEqual({
    batchItemFailures: [],
  });
}

/** B's destination policy, read with B's own credentials. */
async function policyAsB(): Promise<PolicyStatement[]> {
  const s3 = await s3Of(B);
  const policy = (await s3.send(new GetBucketPolicyCommand({ Bucket: dest, ExpectedBucketOwner: B })))
    .Policy!;
  s3.destroy();
  return (JSON.parse(policy) as PolicyDocument).Statement as PolicyStatement[];
}

async function keyStatementsAsB(): Promise<PolicyStatement[]> {
  const kms = await memberKms(B);
  const policy = (await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }))).Policy!;
  kms.destroy();
  return (JSON.parse(policy) as PolicyDocument).Statement as PolicyStatement[];
}

const sourceAccounts = (statement: PolicyStatement | undefined) =>
  [statement?.Condition?.StringEquals?.['aws:SourceAccount'] ?? []].flat().sort();
const ours = (statements: PolicyStatement[]) =>
  statements.filter((statement) => statement.Sid?.startsWith('S3ir'));

beforeAll(async () => {
  local = await useLocalAws();
  base = {
    endpoint: local.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  sqs = new SQSClient(base);
  const kms = await memberKms(B);
  keyArn = (
    await kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 's3ir:inventory-key', TagValue: 'true' }] }))
  ).KeyMetadata!.Arn!;
  kms.destroy();
  expect(keyArn).toContain(`:${B}:key/`);
  const owner = await s3Of(B);
  await owner.send(new CreateBucketCommand({ Bucket: dest }));
  await owner.send(
    new PutBucketPolicyCommand({ Bucket: dest, Policy: JSON.stringify(makePolicy([ownersOwn])) }),
  );
  owner.destroy();
  for (const account of SOURCE_ACCOUNTS) {
    const s3 = await s3Of(account);
    for (const bucket of sources[account]!) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    s3.destroy();
  }
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: uniqueBucket('md-reconcile') }))).QueueUrl!;
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  queue = { url, arn: attributes.Attributes!.QueueArn! };
  desired = await desiredTestTable(local.endpoint);
  const state = await stateTestTable(local.endpoint);
  state.destroy();
  const buckets = Object.fromEntries(
    SOURCE_ACCOUNTS.flatMap((account) =>
      sources[account]!.map((bucket) => [
        bucket,
        { account, region: REGION, inventories: [configuration()] },
      ]),
    ),
  );
  const items = fileToItems({ version: 1, buckets } as Parameters<typeof fileToItems>[0], {
    fileName: 'central.yaml',
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
    S3IR_ALLOWED_ACCOUNTS: `${B},${C}`,
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

describe("a destination and key in another account, written through that account's role (#18)", () => {
  it("writes B's bucket policy and key policy once each as B, and every source converges and delivers", async () => {
    const result = await sweep();
    expect(result.grants).toMatchObject({ written: 2, failed: 0, pruned: true });
    const writes = await policyWrites();
    expect(writes.map(({ name, account }) => [name, account]).sort()).toEqual([
      ['PutBucketPolicy', B],
      ['PutKeyPolicy', B],
    ]);
    // Through B's member role, not the home account's credentials.
    for (const write of writes) expect(write.caller).toMatch(new RegExp(`^arn:aws:sts::${B}:assumed-role/`));
    const statements = await policyAsB();
    expect(statements[0]).toEqual(ownersOwn);
    expect(sourceAccounts(statements[1])).toEqual([...SOURCE_ACCOUNTS].sort());
    expect(sourceAccounts(ours(await keyStatementsAsB())[0])).toEqual([...SOURCE_ACCOUNTS].sort());

    await reconcileQueued(4);
    expect(await policyWrites()).toEqual([]); // the reconciles found both accounts granted
    for (const account of SOURCE_ACCOUNTS) {
      const s3 = await s3Of(account);
      for (const bucket of sources[account]!) {
        const listed = await s3.send(
          new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ExpectedBucketOwner: account }),
        );
        const [only, ...others] = listed.InventoryConfigurationList ?? [];
        expect(others, bucket).toEqual([]);
        expect([only?.Id, only?.Destination?.S3BucketDestination?.AccountId], bucket).toEqual([
          'central-daily',
          B,
        ]);
      }
      s3.destroy();
    }
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

  it("prunes B's policies once no declaration names the destination: our statements only, as B", async () => {
    const before = JSON.stringify((await policyAsB())[0]);
    for (const bucket of Object.values(sources).flat()) {
      for (const id of ['#bucket', 'central-daily']) {
        await desired.documents.send(
          new DeleteCommand({ TableName: desired.tableName, Key: { bucket, id } }),
        );
      }
    }
    const result = await sweep();
    expect(result.buckets).toBe(0);
    expect(result.grants).toMatchObject({ written: 2, failed: 0, pruned: true, unnamed: 2, forgotten: 2 });
    const writes = await policyWrites();
    expect(writes.map(({ name, account }) => [name, account]).sort()).toEqual([
      ['PutBucketPolicy', B],
      ['PutKeyPolicy', B],
    ]);
    const statements = await policyAsB();
    expect(statements.map((statement) => JSON.stringify(statement))).toEqual([before]);
    expect(ours(await keyStatementsAsB())).toEqual([]);

    // Forgotten: the next sweep reads nothing of B's and writes nothing.
    const steady = await sweep();
    expect(steady.grants).toMatchObject({ written: 0, unchanged: 0, unnamed: 0 });
    expect(await policyWrites()).toEqual([]);
  });
});
