import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { DynamoDeliveryStatusStore } from '../../../lib/adapters/aws/DynamoDeliveryStatusStore.js';
import {
  DELIVERY_CHECK_FACTORY,
  deliveryCheckWiring,
  deliveryPorts,
} from '../../../lib/wiring/deliveryCheckWiring.js';
import { readServiceConfig } from '../../../lib/wiring/serviceConfig.js';
import { serviceFactory } from '../../../lib/wiring/serviceFactory.js';

const sts = mockClient(STSClient);
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

beforeEach(() => sts.reset());
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
