import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { DynamoDeliveryStatusStore } from '../../../lib/adapters/aws/DynamoDeliveryStatusStore.js';
import { fileToItems } from '../../../lib/core/desired/tableItems.js';
import {
  DELIVERY_CHECK_FACTORY,
  deliveryCheckWiring,
  deliveryPorts,
} from '../../../lib/wiring/deliveryCheckWiring.js';
import { readServiceConfig } from '../../../lib/wiring/serviceConfig.js';
import { serviceFactory } from '../../../lib/wiring/serviceFactory.js';
import { makeConfiguration } from '../../helpers/factories.js';

const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);
const documents = mockClient(DynamoDBDocumentClient);
const HOME = '111122223333';
const OTHER = '222233334444';
const credentials = {
  Credentials: {
    AccessKeyId: 'ASIAX',
    SecretAccessKey: 's',
    SessionToken: 't',
    Expiration: new Date(Date.now() + 3_600_000),
  },
};
let factory: ClientFactory;

beforeEach(() => {
  sts.reset();
  s3.reset();
  documents.reset();
});
afterEach(() => factory?.destroy());

describe('deliveryCheckWiring() roles', () => {
  it('takes the read role name from S3IR_READ_ROLE, and a read-purpose factory never assumes the reconcile role', async () => {
    sts.on(AssumeRoleCommand).resolves(credentials);
    const config = { ...readServiceConfig({ S3IR_READ_ROLE: 'custom-read' }), allowedAccounts: [OTHER] };
    factory = serviceFactory(config, { ...DELIVERY_CHECK_FACTORY, homeAccount: HOME, env: {} });
    await expect(factory.canReach(OTHER)).resolves.toBe(true);
    await (await factory.kms({ account: OTHER })).config.credentials();
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${OTHER}:role/custom-read`,
    ]);
  });

  it('reads delivered reports in other accounts through the read role (deliveryPorts)', async () => {
    sts.on(AssumeRoleCommand).resolves(credentials);
    factory = new ClientFactory({ homeAccount: HOME, allowedAccounts: [OTHER], env: {} });
    const { reports } = await deliveryPorts(factory, 's3ir-audit');
    const s3 = await factory.s3({ account: OTHER, region: 'us-east-1', purpose: 'read' });
    const seen: unknown[] = [];
    s3.send = (async (command: { input: unknown }) => {
      seen.push(command.input);
      return { CommonPrefixes: [{ Prefix: 'inv/2026-01-01T00-00Z/' }] };
    }) as typeof s3.send;
    const folders = await reports.listFolders(
      { bucket: 'dest', account: OTHER, region: 'us-east-1' },
      'inv/',
    );
    expect(folders).toEqual(['2026-01-01T00-00Z']);
    expect(seen).toEqual([{ Bucket: 'dest', Prefix: 'inv/', Delimiter: '/', ExpectedBucketOwner: OTHER }]);
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([]);
    await s3.config.credentials();
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${OTHER}:role/s3ir-read`,
    ]);
  });
});

describe('deliveryCheckWiring() deps of a run', () => {
  it("gives each bucket the reconciler's reads only, and records transitions at the run's time", async () => {
    const config = readServiceConfig({ S3IR_ALERT_TOPIC_ARN: 'arn:t', S3IR_ALERT_REMINDER_HOURS: '2' });
    factory = serviceFactory(config, { ...DELIVERY_CHECK_FACTORY, homeAccount: HOME, env: {} });
    const service = deliveryCheckWiring(config, factory);
    const now = new Date('2026-03-01T00:00:00Z');
    const deps = await service.deliveryCheckDeps({ now, runId: 'delivery-1', actor: 's3ir-delivery-check' });
    const bucket = deps.depsFor('src');
    expect(Object.keys(bucket.reconcile).sort()).toEqual([
      'allowedAccounts',
      'desired',
      'facts',
      'inventoryFor',
    ]);
    expect(bucket.now).toBe(now);
    expect(deps.depsFor('other').reconcile.facts).toBe(bucket.reconcile.facts);
    // #18: the member accounts' buckets too, beside the home account's.
    expect(deps.buckets).toBeTypeOf('function');
    expect(deps.memberBuckets).toBeTypeOf('function');
    expect(deps.transitions).toMatchObject({
      now,
      runId: 'delivery-1',
      actor: 's3ir-delivery-check',
      reminderMs: 2 * 3_600_000,
    });
    expect(deps.transitions.statuses).toBeInstanceOf(DynamoDeliveryStatusStore);
    expect(deps.transitions.deliverAlerts).toBeTypeOf('function');
    expect(service.alertDispatch).toBeDefined();
  });

  it('sends no alert without a topic', async () => {
    const config = readServiceConfig({});
    factory = serviceFactory(config, { ...DELIVERY_CHECK_FACTORY, homeAccount: HOME, env: {} });
    const service = deliveryCheckWiring(config, factory);
    const deps = await service.deliveryCheckDeps({ now: new Date(), runId: 'd', actor: 'a' });
    expect(deps.transitions).not.toHaveProperty('deliverAlerts');
    expect(service).not.toHaveProperty('alertDispatch');
  });
});

describe('deliveryCheckWiring() member accounts (#18)', () => {
  it("lists a member account's template-selected buckets through the read role, reading the table once", async () => {
    const items = fileToItems(
      {
        version: 1,
        buckets: { 'home-src': { inventories: [makeConfiguration()] } },
        templates: [
          {
            name: 'members',
            match: { names: ['mem-*'], accounts: [OTHER] },
            inventories: [makeConfiguration({ Id: 'org' })],
          },
        ],
      },
      { fileName: 'org.yaml', appliedBy: 'test', appliedAt: '2026-11-01T00:00:00Z' },
    );
    documents.on(ScanCommand).resolves({ Items: items });
    sts.on(AssumeRoleCommand).resolves(credentials);
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: 'mem-logs', BucketRegion: 'eu-west-1' },
        { Name: 'other-logs', BucketRegion: 'eu-west-1' },
      ],
    });
    const config = { ...readServiceConfig({ S3IR_DESIRED_TABLE: 'desired' }), allowedAccounts: [OTHER] };
    factory = serviceFactory(config, { ...DELIVERY_CHECK_FACTORY, homeAccount: HOME, env: {} });
    const deps = await deliveryCheckWiring(config, factory).deliveryCheckDeps({
      now: new Date('2026-03-01T00:00:00Z'),
      runId: 'delivery-1',
      actor: 's3ir-delivery-check',
    });
    const members = await deps.memberBuckets!();
    expect(members).toEqual({
      accounts: [OTHER],
      buckets: [{ bucket: 'mem-logs', account: OTHER, region: 'eu-west-1' }],
      failures: [],
    });
    // Listed with the member account's client, whose credentials are the read-only member role's.
    const listings = s3.commandCalls(ListBucketsCommand);
    expect(listings).toHaveLength(1);
    await (listings[0]!.thisValue as S3Client).config.credentials();
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${OTHER}:role/s3ir-read`,
    ]);
    expect(await deps.buckets()).toEqual(['home-src']);
    // The table Scanned once for both halves.
    const scans = documents.commandCalls(ScanCommand).map((call) => call.args[0].input.Segment);
    expect(scans.sort()).toEqual([0, 1, 2, 3]);
  });
});
