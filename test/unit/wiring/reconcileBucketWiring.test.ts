import {
  DeleteBucketInventoryConfigurationCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditSink } from '../../../lib/core/audit/types.js';
import type { PolicyDocument } from '../../../lib/core/policy/types.js';
import { allowedAccountsOnce } from '../../../lib/wiring/allowedAccounts.js';
import { bucketReadsWiring, reconcileBucketWiring } from '../../../lib/wiring/reconcileBucketWiring.js';
import { readServiceConfig } from '../../../lib/wiring/serviceConfig.js';
import { serviceFactory } from '../../../lib/wiring/serviceFactory.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { createMemoryEstate } from '../../helpers/memoryEstate.js';

const s3 = mockClient(S3Client);
const sts = mockClient(STSClient);
const HOME = '111122223333';
const OTHER = '222233334444';
const policy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'A', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 's3:PutObject' },
  ],
};
const audit: AuditSink = { record: async () => {} };
const desired = { getBucket: async () => undefined };
const state = { client: { send: async () => ({}) } as never, tableName: 'state' };

beforeEach(() => {
  s3.reset();
  sts.reset();
});

/** Every S3 call's operation, bucket and ExpectedBucketOwner. */
function owners(): [string, string | undefined, string | undefined][] {
  return s3.calls().map((call) => {
    const command = call.args[0] as unknown as {
      constructor: { name: string };
      input: Record<string, string | undefined>;
    };
    return [
      command.constructor.name.replace(/Command$/, ''),
      command.input.Bucket,
      command.input.ExpectedBucketOwner,
    ];
  });
}

describe('reconcileBucketWiring(): ExpectedBucketOwner on the reconcile ports', () => {
  let destroy: (() => void) | undefined;
  afterEach(() => destroy?.());

  it('sends the source owner on inventory calls and the destination owner on policy writes', async () => {
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'A',
        SecretAccessKey: 's',
        SessionToken: 't',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    s3.on(ListBucketInventoryConfigurationsCommand).resolves({});
    const config = { ...readServiceConfig({}), allowedAccounts: [OTHER] };
    const factory = serviceFactory(config, { homeAccount: HOME, region: 'us-east-1', env: {} });
    destroy = () => factory.destroy();
    const reconcileDepsFor = reconcileBucketWiring(config, factory, {
      desired,
      audit,
      state,
      allowedAccounts: allowedAccountsOnce(config, () => factory.homeAccount()),
      brake: { reserve: async () => ({ granted: true as const }) },
    });
    const deps = reconcileDepsFor({ bucket: 'src', runId: 'r1' });
    await deps.inventoryFor({ bucket: 'src', region: 'us-east-1' }).list('src');
    await deps.inventoryFor({ bucket: 'far-src', account: OTHER, region: 'us-east-1' }).list('far-src');
    const facts = createMemoryEstate()
      .addBucket('src', { account: HOME, region: 'us-east-1' })
      .addBucket('theirs', { account: OTHER, region: 'us-east-1' })
      .factsFor('src');
    const ports = deps.applyPortsFor({ bucket: 'src', region: 'us-east-1' }, facts);
    await ports.inventory.put('src', makeConfiguration());
    await ports.bucketPolicy.put('theirs', policy);
    await ports.bucketPolicy.put('src', policy);
    expect(owners()).toEqual([
      ['ListBucketInventoryConfigurations', 'src', HOME],
      ['ListBucketInventoryConfigurations', 'far-src', OTHER],
      ['PutBucketInventoryConfiguration', 'src', HOME],
      ['PutBucketPolicy', 'theirs', OTHER],
      ['PutBucketPolicy', 'src', HOME],
    ]);
    expect(s3.commandCalls(DeleteBucketInventoryConfigurationCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutBucketInventoryConfigurationCommand)).toHaveLength(1);
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(2);
  });
});

describe('bucketReadsWiring()', () => {
  it('gives the reads alone (no apply ports, no audit, no budget), one facts cache per run', () => {
    const config = readServiceConfig({ S3IR_MAX_CHANGES: '5' });
    const factory = serviceFactory(config, { homeAccount: HOME, region: 'us-east-1', env: {} });
    const allowedAccounts = allowedAccountsOnce(config, async () => HOME);
    const readsFor = bucketReadsWiring(config, factory, { desired, allowedAccounts });
    const reads = readsFor('delivery-1');
    expect(Object.keys(reads).sort()).toEqual(['allowedAccounts', 'desired', 'facts', 'inventoryFor']);
    expect(reads.desired).toBe(desired);
    expect(reads.allowedAccounts).toBe(allowedAccounts);
    expect(readsFor('delivery-1').facts).toBe(reads.facts);
    expect(readsFor('delivery-2').facts).not.toBe(reads.facts);
    factory.destroy();
  });
});
