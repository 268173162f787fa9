import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MoveAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  CreateBucketCommand,
  DeleteBucketInventoryConfigurationCommand,
  GetBucketPolicyCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Handler } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemberAccount,
  createUnit,
  type LocalOrganization,
  localOrganization,
} from '../../infra/local/organization/localOrganization.js';
import { fileToItems } from '../../lib/core/desired/tableItems.js';
import { makeConfiguration } from '../helpers/factories.js';
import { memberS3 } from '../helpers/memberS3.js';
import { desiredTestTable, stateTestTable } from '../integration/aws/desiredTestTable.js';
import { LOCAL_HOME_ACCOUNT, uniqueBucket } from '../integration/aws/localFactory.js';
import { lambdaContext, receiveUntil, scheduledEvent, sqsEvent, useLocalAws } from './lambdaHarness.js';

// #18 point 9: an organization with three member accounts in two OUs, a template by OU and tag.
const savedEnv = { ...process.env };
const REGION = 'us-east-1';
const TAG = { Key: 's3ir-inventory', Value: 'org' };
let local: Awaited<ReturnType<typeof useLocalAws>>;
let base: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
let organization: LocalOrganization;
let units: { security: string; apps: string };
let members: { audit: string; web: string; api: string };
/** Not in the organization: its tagged bucket must never be touched. */
const OUTSIDER = '555566667777';
const dest = uniqueBucket('org-dest');
const buckets = {
  audit: uniqueBucket('org-audit'),
  web: uniqueBucket('org-web'),
  api: uniqueBucket('org-api'),
  untagged: uniqueBucket('org-untagged'),
  outsider: uniqueBucket('org-outsider'),
};
let queues: { reconcile: Queue; discovery: Queue; alerts: Queue };
let sqs: SQSClient;
let handlers: { schedule: Handler; discover: Handler; reconcile: Handler };
let stateTable: string;
/** Every alert received so far (the alert queue's messages are received once each). */
const alertsSeen: { type: string; bucket: string; account?: string; severity: string; summary: string }[] =
  [];

interface Queue {
  url: string;
  arn: string;
}

async function makeQueue(name: string): Promise<Queue> {
  // Received messages stay hidden for the whole file: a test never sees an earlier test's messages again.
  const url = (
    await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '900' } }))
  ).QueueUrl!;
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: attributes.Attributes!.QueueArn! };
}

/** An S3 client of `account` (moto keeps accounts apart by the assumed role's account). */
function s3Of(account: string): Promise<S3Client> {
  return memberS3(base, account);
}

async function bucketIn(account: string, bucket: string, tagged: boolean): Promise<void> {
  const s3 = await s3Of(account);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (tagged) await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [TAG] } }));
  s3.destroy();
}

async function inventoryIds(account: string, bucket: string): Promise<string[]> {
  const s3 = await s3Of(account);
  const listed = await s3.send(
    new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ExpectedBucketOwner: account }),
  );
  s3.destroy();
  return (listed.InventoryConfigurationList ?? []).map((configuration) => configuration.Id!).sort();
}

/** Every message of a queue, received (and left to its visibility timeout: the handlers do not delete). */
async function drain(queue: Queue, expected: number): Promise<Message[]> {
  const messages = await receiveUntil(sqs, queue.url, (got) => got.length >= expected);
  expect(messages).toHaveLength(expected);
  return messages;
}

/** The alerts about `account` (its `#account:<id>` subject) received so far; the queue is read until empty. */
async function accountAlerts(account: string) {
  for (;;) {
    const page = await receiveUntil(sqs, queues.alerts.url, () => false, 1);
    if (page.length === 0) break;
    for (const message of page) alertsSeen.push(JSON.parse(JSON.parse(message.Body!).Message));
  }
  return alertsSeen.filter((alert) => alert.bucket === `#account:${account}`);
}

/** The account's status item in the state table (`#account-status`), as stored. */
async function accountStatus(account: string) {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(base));
  const { Item } = await documents.send(
    new GetCommand({ TableName: stateTable, Key: { bucket: '#account-status', id: account } }),
  );
  documents.destroy();
  return Item;
}

/** A bucket's `#status` item in the state table, as stored. */
async function bucketStatus(bucket: string) {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(base));
  const { Item } = await documents.send(
    new GetCommand({ TableName: stateTable, Key: { bucket, id: '#status' } }),
  );
  documents.destroy();
  return Item;
}

/** The audit events of the account's chain (`#account:<id>`), oldest first. */
async function accountEvents(account: string) {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(base));
  const { Items } = await documents.send(
    new QueryCommand({
      TableName: local.env.S3IR_AUDIT_TABLE,
      KeyConditionExpression: '#b = :b',
      ExpressionAttributeNames: { '#b': 'bucket' },
      ExpressionAttributeValues: { ':b': `#account:${account}` },
    }),
  );
  documents.destroy();
  return (Items ?? [])
    .filter((item) => !String(item.eventId).startsWith('#'))
    .sort((a, b) => Number(a.seq) - Number(b.seq));
}

async function sweep() {
  return handlers.schedule(scheduledEvent(), lambdaContext('schedule', 300_000), () => {});
}

beforeAll(async () => {
  local = await useLocalAws();
  base = {
    endpoint: local.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  sqs = new SQSClient(base);
  const orgs = new OrganizationsClient(base);
  organization = await localOrganization(orgs);
  units = {
    security: await createUnit(orgs, organization.rootId, uniqueBucket('e2e-security')),
    apps: await createUnit(orgs, organization.rootId, uniqueBucket('e2e-apps')),
  };
  members = {
    audit: await createMemberAccount(orgs, organization, uniqueBucket('audit'), units.security),
    web: await createMemberAccount(orgs, organization, uniqueBucket('web'), units.apps),
    api: await createMemberAccount(orgs, organization, uniqueBucket('api'), units.apps),
  };
  orgs.destroy();
  await bucketIn(LOCAL_HOME_ACCOUNT, dest, false);
  await bucketIn(members.audit, buckets.audit, true);
  await bucketIn(members.audit, buckets.untagged, false);
  await bucketIn(members.web, buckets.web, true);
  await bucketIn(members.api, buckets.api, true);
  await bucketIn(OUTSIDER, buckets.outsider, true);

  queues = {
    reconcile: await makeQueue(uniqueBucket('org-reconcile')),
    discovery: await makeQueue(uniqueBucket('org-discovery')),
    alerts: await makeQueue(uniqueBucket('org-alerts')),
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
  const [desired, state] = await Promise.all([
    desiredTestTable(local.endpoint),
    stateTestTable(local.endpoint),
  ]);
  const template = {
    name: 'org-baseline',
    match: { tags: { [TAG.Key]: TAG.Value }, accounts: [units.security, units.apps] },
    inventories: [
      makeConfiguration({
        Id: 'org-daily',
        Destination: {
          S3BucketDestination: {
            Bucket: `arn:aws:s3:::${dest}`,
            AccountId: LOCAL_HOME_ACCOUNT,
            Format: 'CSV',
            Prefix: 'org',
          },
        },
      }),
    ],
  };
  const items = fileToItems({ version: 1, templates: [template] } as Parameters<typeof fileToItems>[0], {
    fileName: 'org.yaml',
    appliedBy: 'e2e',
    appliedAt: new Date().toISOString(),
  });
  await desired.documents.send(
    new BatchWriteCommand({
      RequestItems: { [desired.tableName]: items.map((Item) => ({ PutRequest: { Item } })) },
    }),
  );
  desired.destroy();
  stateTable = state.tableName;
  state.destroy();
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
    S3IR_DISCOVERY_QUEUE_URL: queues.discovery.url,
    S3IR_ALLOWED_ACCOUNTS: `${units.security},${units.apps}`,
    S3IR_DESTINATION_BUCKETS: dest,
    POWERTOOLS_SERVICE_NAME: 's3ir',
    POWERTOOLS_LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const reconcile = await import('../../functions/reconcile.js');
  handlers = {
    schedule: (await import('../../functions/schedule.js')).handler,
    discover: (await import('../../functions/discover.js')).handler,
    reconcile: reconcile.handler,
  };
}, 180_000);

afterAll(async () => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  sqs?.destroy();
  await local?.stop();
});

describe('an AWS Organization end to end (#18)', () => {
  it('discovers every member account of the OUs, and converges every matching bucket there', async () => {
    const result = await sweep();
    expect(result.accountsDiscovered).toEqual([members.audit, members.web, members.api].sort());

    const discovery = await drain(queues.discovery, 3);
    expect(
      await handlers.discover(
        sqsEvent(discovery, queues.discovery.arn),
        lambdaContext('discover', 120_000),
        () => {},
      ),
    ).toEqual({ batchItemFailures: [] });

    const work = await drain(queues.reconcile, 3);
    const bodies = work
      .map((message) => JSON.parse(message.Body!))
      .sort((a, b) => (a.bucket < b.bucket ? -1 : 1));
    expect(bodies.map(({ bucket, account, region }) => ({ bucket, account, region }))).toEqual(
      [
        { bucket: buckets.api, account: members.api, region: REGION },
        { bucket: buckets.audit, account: members.audit, region: REGION },
        { bucket: buckets.web, account: members.web, region: REGION },
      ].sort((a, b) => (a.bucket < b.bucket ? -1 : 1)),
    );
    // Each carries the tags discovery read (#18 point 4): the reconcile matches the template with them.
    for (const body of bodies) expect(body.tags).toMatchObject({ [TAG.Key]: TAG.Value });
    expect(
      await handlers.reconcile(
        sqsEvent(work, queues.reconcile.arn),
        lambdaContext('reconcile', 120_000),
        () => {},
      ),
    ).toEqual({ batchItemFailures: [] });

    expect(await inventoryIds(members.audit, buckets.audit)).toEqual(['org-daily']);
    expect(await inventoryIds(members.web, buckets.web)).toEqual(['org-daily']);
    expect(await inventoryIds(members.api, buckets.api)).toEqual(['org-daily']);
    // Untagged: the template's tag is ANDed with its OUs.
    expect(await inventoryIds(members.audit, buckets.untagged)).toEqual([]);
  });

  it("delivers every member bucket's report into the one destination", async () => {
    const s3 = new S3Client({ ...base, forcePathStyle: true });
    const policy = (await s3.send(new GetBucketPolicyCommand({ Bucket: dest }))).Policy!;
    s3.destroy();
    // One statement keyed by the sources' accounts (docs/aws-facts.md §13), not by bucket.
    for (const account of [members.audit, members.web, members.api]) expect(policy).toContain(account);
    const reply = await fetch(`${local.endpoint}/_local/deliver`, {
      method: 'POST',
      body: JSON.stringify({ buckets: [buckets.audit, buckets.web, buckets.api] }),
    });
    const delivered = (await reply.json()) as { delivered: { bucket: string }[]; refused: unknown[] };
    expect(delivered.refused).toEqual([]);
    expect(delivered.delivered.map((entry) => entry.bucket).sort()).toEqual(
      [buckets.audit, buckets.web, buckets.api].sort(),
    );
  });

  it('never touches a bucket in an account outside the organization', async () => {
    expect(await inventoryIds(OUTSIDER, buckets.outsider)).toEqual([]);
    const s3 = new S3Client({ ...base, forcePathStyle: true });
    const policy = (await s3.send(new GetBucketPolicyCommand({ Bucket: dest }))).Policy!;
    s3.destroy();
    expect(policy).not.toContain(buckets.outsider);
    expect(policy).not.toContain(OUTSIDER);
  });

  it('stops reconciling an account moved out of the OUs, and the sweep reports it', async () => {
    const orgs = new OrganizationsClient(base);
    await orgs.send(
      new MoveAccountCommand({
        AccountId: members.api,
        SourceParentId: units.apps,
        DestinationParentId: organization.rootId,
      }),
    );
    orgs.destroy();
    const result = await sweep();
    expect(result.accountsDropped).toEqual([members.api]);
    expect(result.accountsDiscovered).toEqual([members.audit, members.web].sort());
    expect(await drain(queues.discovery, 2)).toHaveLength(2);
    // Reported once (#18 point 9): its status, one action-required alert, one audit event on its chain.
    expect(result.accountsReported).toEqual([`${members.api}: left-organization`]);
    expect(await accountStatus(members.api)).toMatchObject({ state: 'left-organization', version: 1 });
    expect(
      (await accountAlerts(members.api)).map((alert) => [alert.type, alert.severity, alert.account]),
    ).toEqual([['action-required', 'high', members.api]]);
    expect((await accountEvents(members.api)).map((event) => event.action)).toEqual(['action-required']);
    // Its bucket's bookkeeping is removed; the member buckets still discovered keep theirs (`#discovered`).
    expect(result.bookkeepingRemoved).toBeGreaterThanOrEqual(1);
    expect(await bucketStatus(buckets.api)).toBeUndefined();
    expect(await bucketStatus(buckets.audit)).toMatchObject({ state: 'in-sync' });
    expect(await bucketStatus(buckets.web)).toMatchObject({ state: 'in-sync' });

    // A message for its bucket that was already on its way: a fresh worker sandbox refuses it, touching nothing
    // (the hand-made change below stays).
    const api = await s3Of(members.api);
    await api.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: buckets.api, Id: 'org-daily' }));
    api.destroy();
    const { createHandler } = await import('../../functions/reconcile.js');
    const stale = { bucket: buckets.api, runId: 'late-1', account: members.api, region: REGION };
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queues.reconcile.url,
        MessageBody: JSON.stringify(stale),
      }),
    );
    const late = await drain(queues.reconcile, 1);
    const fresh = createHandler() as unknown as Handler;
    expect(
      await fresh(sqsEvent(late, queues.reconcile.arn), lambdaContext('reconcile', 120_000), () => {}),
    ).toEqual({
      batchItemFailures: [],
    });
    expect(await inventoryIds(members.api, buckets.api)).toEqual([]); // left as it was

    // The next sweep says nothing more about it: no alert, no event, no write.
    const again = await sweep();
    expect(again.accountsDropped).toEqual([]);
    expect(again.accountsDiscovered).toEqual([members.audit, members.web].sort());
    expect(await drain(queues.discovery, 2)).toHaveLength(2);
    expect(await accountAlerts(members.api)).toHaveLength(1);
    expect(await accountEvents(members.api)).toHaveLength(1);
    expect(await accountStatus(members.api)).toMatchObject({ state: 'left-organization', version: 1 });
  });

  it('says once that a member account refused the role (status, one alert, one event); the others converge; recovery clears it', async () => {
    const orgs = new OrganizationsClient(base);
    const locked = await createMemberAccount(orgs, organization, uniqueBucket('locked'), units.security);
    orgs.destroy();
    const lockedBucket = uniqueBucket('org-locked');
    await bucketIn(locked, lockedBucket, true);
    // Drift in a healthy account: it must converge in the same run.
    const audit = await s3Of(members.audit);
    await audit.send(
      new DeleteBucketInventoryConfigurationCommand({ Bucket: buckets.audit, Id: 'org-daily' }),
    );
    audit.destroy();

    const result = await sweep();
    expect(result.accountsDiscovered).toEqual([members.audit, members.web, locked].sort());
    const discovery = await drain(queues.discovery, 3);
    // STS refuses every AssumeRole while the rule stands: the discover sandbox holds the roles of the accounts
    // it discovered before, so only the new account's is asked for (and refused).
    await fetch(`${local.endpoint}/_local/faults`, {
      method: 'POST',
      body: JSON.stringify({
        rules: [{ service: 'sts', operation: 'AssumeRole', status: 403, code: 'AccessDenied' }],
      }),
    });
    try {
      expect(
        await handlers.discover(
          sqsEvent(discovery, queues.discovery.arn),
          lambdaContext('discover', 120_000),
          () => {},
        ),
      ).toEqual({ batchItemFailures: [] }); // recorded: SQS need not retry it
    } finally {
      await fetch(`${local.endpoint}/_local/faults`, { method: 'DELETE' });
    }
    expect(await accountStatus(locked)).toMatchObject({
      state: 'discovery-failed',
      version: 1,
      conditions: { 'discovery-failed': { step: 'AssumeRole', code: 'AccessDenied' } },
    });
    const alerts = await accountAlerts(locked);
    expect(alerts.map((alert) => [alert.type, alert.severity, alert.account])).toEqual([
      ['reconcile-failed', 'high', locked],
    ]);
    expect(alerts[0]!.summary).toContain('failed at AssumeRole (AccessDenied)');
    expect((await accountEvents(locked)).map((event) => event.action)).toEqual(['reconcile-failed']);

    // The other accounts' buckets were enqueued and converge.
    const work = await drain(queues.reconcile, 2);
    expect(work.map((message) => JSON.parse(message.Body!).bucket).sort()).toEqual(
      [buckets.audit, buckets.web].sort(),
    );
    expect(
      await handlers.reconcile(
        sqsEvent(work, queues.reconcile.arn),
        lambdaContext('reconcile', 120_000),
        () => {},
      ),
    ).toEqual({ batchItemFailures: [] });
    expect(await inventoryIds(members.audit, buckets.audit)).toEqual(['org-daily']);

    // The role works again: the next sweep discovers it, says so once, and its bucket converges.
    await sweep();
    const next = await drain(queues.discovery, 3);
    expect(
      await handlers.discover(
        sqsEvent(next, queues.discovery.arn),
        lambdaContext('discover', 120_000),
        () => {},
      ),
    ).toEqual({ batchItemFailures: [] });
    expect(await accountStatus(locked)).toMatchObject({ state: 'ok', conditions: {}, version: 2 });
    expect((await accountAlerts(locked)).map((alert) => alert.type)).toEqual([
      'reconcile-failed',
      'drift-resolved',
    ]);
    expect((await accountEvents(locked)).map((event) => event.action)).toEqual([
      'reconcile-failed',
      'drift-resolved',
    ]);
    const all = await drain(queues.reconcile, 3);
    const mine = all.filter((message) => JSON.parse(message.Body!).bucket === lockedBucket);
    expect(mine).toHaveLength(1);
    // A fresh sandbox: the long-lived one keeps the membership it read a few seconds ago for a minute
    // (organizationAccounts' ttlMs), from before this account joined; sweeps in the service are minutes apart.
    const { createHandler } = await import('../../functions/reconcile.js');
    const fresh = createHandler() as unknown as Handler;
    expect(
      await fresh(sqsEvent(mine, queues.reconcile.arn), lambdaContext('reconcile', 120_000), () => {}),
    ).toEqual({ batchItemFailures: [] });
    expect(await inventoryIds(locked, lockedBucket)).toEqual(['org-daily']);
  });
});
