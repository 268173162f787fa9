import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  CreateBucketCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Handler } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemberAccount,
  createUnit,
  localOrganization,
} from '../../infra/local/organization/localOrganization.js';
import { scheduledEvent } from '../../infra/local/service/lambdaEvents.js';
import { fileToItems } from '../../lib/core/desired/tableItems.js';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import { RefusingStsProxy } from '../cli/refusingStsProxy.js';
import { makeConfiguration } from '../helpers/factories.js';
import { memberS3 } from '../helpers/memberS3.js';
import { makePolicy, ourDestinationGrant } from '../helpers/reconcileFactories.js';
import { desiredTestTable, stateTestTable } from '../integration/aws/desiredTestTable.js';
import { LOCAL_HOME_ACCOUNT as HOME, uniqueBucket } from '../integration/aws/localFactory.js';
import { makeQueue, receive } from '../integration/service/receiveAlerts.js';
import { lambdaContext, useLocalAws } from './lambdaHarness.js';

// #18: the deployed delivery check covers the buckets templates select in member accounts. Its real handler on
// EventBridge-shaped daily events; reports written by the local AWS's delivery simulation; alerts through an
// SQS subscription of a topic of this file's own.
const REGION = 'us-east-1';
const HOUR = 3_600_000;
const t0 = Date.parse('2026-11-20T06:00:00Z');
const TAG_KEY = 's3ir-member-delivery';
const savedEnv = { ...process.env };
const names = {
  /** Delivers into a destination of its own account (no AccountId): reports arrive. */
  delivering: uniqueBucket('md-delivering'),
  localDest: uniqueBucket('md-local-dest'),
  /** Delivers into the home account's destination, which never receives its report. */
  silent: uniqueBucket('md-silent'),
  centralDest: uniqueBucket('md-central-dest'),
  /** In an account whose role cannot be assumed. */
  unreachable: uniqueBucket('md-unreachable'),
};

let local: Awaited<ReturnType<typeof useLocalAws>>;
let base: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
let members: { delivering: string; silent: string; refused: string };
let proxy: RefusingStsProxy;
let stateTable: string;
let alerts: { sqs: SQSClient; url: string };
let handler: Handler;

const toDestination = (Id: string, bucket: string, AccountId?: string): InventoryConfiguration =>
  makeConfiguration({
    Id,
    Destination: {
      S3BucketDestination: {
        Bucket: `arn:aws:s3:::${bucket}`,
        ...(AccountId !== undefined && { AccountId }),
        Format: 'CSV',
        Prefix: 'md',
      },
    },
  });
const localDaily = toDestination('md-local', names.localDest);
const centralDaily = toDestination('md-central', names.centralDest, HOME);

/** A bucket in `account`, tagged for one template, with `configuration` already in place (as reconciled). */
async function sourceIn(account: string, bucket: string, tag: string, configuration: InventoryConfiguration) {
  const s3 = await memberS3(base, account, HOME);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: TAG_KEY, Value: tag }] } }),
  );
  await s3.send(
    new PutBucketInventoryConfigurationCommand({
      Bucket: bucket,
      Id: configuration.Id,
      InventoryConfiguration: configuration,
    }),
  );
  s3.destroy();
}

/** A destination in `account` that lets S3 deliver the reports of `source` (of `sourceAccount`). */
async function destinationIn(account: string, bucket: string, source: string, sourceAccount: string) {
  const s3 = await memberS3(base, account, HOME);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const grant = ourDestinationGrant([source], bucket, sourceAccount);
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(makePolicy([grant])) }));
  s3.destroy();
}

async function check(hoursAfter: number) {
  const event = {
    ...scheduledEvent(REGION, 's3ir-delivery-check'),
    time: new Date(t0 + hoursAfter * HOUR).toISOString(),
  };
  return handler(event, lambdaContext('deliveryCheck', 300_000), () => {});
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

/** A bucket's `#delivery` item in the state table, as stored. */
async function deliveryItem(bucket: string) {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(base));
  const { Item } = await documents.send(
    new GetCommand({ TableName: stateTable, Key: { bucket, id: '#delivery' }, ConsistentRead: true }),
  );
  documents.destroy();
  return Item;
}

beforeAll(async () => {
  local = await useLocalAws();
  base = {
    endpoint: local.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const orgs = new OrganizationsClient(base);
  const organization = await localOrganization(orgs);
  const unit = await createUnit(orgs, organization.rootId, uniqueBucket('md-unit'));
  members = {
    delivering: await createMemberAccount(orgs, organization, uniqueBucket('md-a'), unit),
    silent: await createMemberAccount(orgs, organization, uniqueBucket('md-b'), unit),
    refused: await createMemberAccount(orgs, organization, uniqueBucket('md-c'), unit),
  };
  orgs.destroy();

  await sourceIn(members.delivering, names.delivering, 'local', localDaily);
  await destinationIn(members.delivering, names.localDest, names.delivering, members.delivering);
  await sourceIn(members.silent, names.silent, 'central', centralDaily);
  await destinationIn(HOME, names.centralDest, names.silent, members.silent);
  await sourceIn(members.refused, names.unreachable, 'central', centralDaily);

  const [desired, state] = await Promise.all([
    desiredTestTable(local.endpoint),
    stateTestTable(local.endpoint),
  ]);
  const templates = [
    {
      name: 'md-local',
      match: { tags: { [TAG_KEY]: 'local' }, accounts: [unit] },
      inventories: [localDaily],
    },
    {
      name: 'md-central',
      match: { tags: { [TAG_KEY]: 'central' }, accounts: [unit] },
      inventories: [centralDaily],
    },
  ];
  const items = fileToItems({ version: 1, templates } as Parameters<typeof fileToItems>[0], {
    fileName: 'member-delivery.yaml',
    appliedBy: 'e2e',
    appliedAt: '2026-11-01T00:00:00Z',
  });
  await desired.documents.send(
    new BatchWriteCommand({
      RequestItems: { [desired.tableName]: items.map((Item) => ({ PutRequest: { Item } })) },
    }),
  );
  desired.destroy();
  stateTable = state.tableName;
  state.destroy();

  const sqs = new SQSClient(base);
  const queue = await makeQueue(sqs, uniqueBucket('md-alerts'));
  alerts = { sqs, url: queue.url };
  const sns = new SNSClient(base);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueBucket('md-topic') }))).TopicArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }));
  sns.destroy();

  // STS refuses the role in one member account, as it does where the member roles are not deployed.
  proxy = await RefusingStsProxy.start(local.endpoint, [members.refused]);
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: local.endpoint,
    AWS_ENDPOINT_URL_STS: proxy.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    S3IR_DESIRED_TABLE: desired.tableName,
    S3IR_STATE_TABLE: stateTable,
    S3IR_AUDIT_TABLE: local.env.S3IR_AUDIT_TABLE,
    S3IR_ALERT_TOPIC_ARN: topicArn,
    S3IR_ALLOWED_ACCOUNTS: unit,
    POWERTOOLS_SERVICE_NAME: 's3ir',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  handler = (await import('../../functions/deliveryCheck.js')).handler;
}, 180_000);

afterAll(async () => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  alerts?.sqs.destroy();
  await proxy?.stop();
  await local?.stop();
});

describe('the delivery-check function over member accounts (#18)', () => {
  it('alerts delivery-failed once for a member bucket whose reports never arrive, naming its account; none for one whose do', async () => {
    const reply = await fetch(`${local.endpoint}/_local/deliver`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: new Date(t0).toISOString(), buckets: [names.delivering] }),
    });
    const delivered = (await reply.json()) as { delivered: { bucket: string }[]; refused: unknown[] };
    expect(delivered.refused).toEqual([]);
    expect(delivered.delivered.map((entry) => entry.bucket)).toEqual([names.delivering]);

    const first = await check(1);
    expect(first).toMatchObject({ configurations: 2, failing: 1, alerts: 1 });
    // The unreachable account is reported; the others were checked.
    expect(first.accountErrors).toEqual([
      { account: members.refused, message: expect.stringContaining('AccessDenied') },
    ]);
    const sent = await alertsArrived(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      type: 'delivery-failed',
      bucket: names.silent,
      account: members.silent,
      region: REGION,
      detail: { id: 'md-central', status: 'missing' },
    });

    // Keyed by the bucket's name, as a home bucket's.
    expect(await deliveryItem(names.silent)).toMatchObject({
      configurations: { 'md-central': { status: 'missing' } },
    });
    expect(await deliveryItem(names.delivering)).toMatchObject({
      configurations: { 'md-local': { status: 'ok', since: new Date(t0 + HOUR).toISOString() } },
    });
    // Not judged: its account could not be listed.
    expect(await deliveryItem(names.unreachable)).toBeUndefined();

    // Once: a later check (within the reminder interval) finds the same failure and alerts nothing more.
    expect(await check(2)).toMatchObject({ configurations: 2, failing: 1, alerts: 0 });
    expect(await alertsArrived(0)).toEqual([]);
  }, 180_000);
});
