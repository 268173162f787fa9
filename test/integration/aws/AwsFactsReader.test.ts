import { CreateKeyCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsFactsReader } from '../../../lib/adapters/aws/AwsFactsReader.js';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { DynamoPolicyLease } from '../../../lib/adapters/aws/DynamoPolicyLease.js';
import { destinationClients } from '../../../lib/adapters/aws/destinationClients.js';
import { KmsKeyPolicyAdapter } from '../../../lib/adapters/aws/KmsKeyPolicyAdapter.js';
import { RunFactsReader } from '../../../lib/adapters/aws/RunFactsReader.js';
import { S3BucketPolicyAdapter } from '../../../lib/adapters/aws/S3BucketPolicyAdapter.js';
import { S3InventoryAdapter } from '../../../lib/adapters/aws/S3InventoryAdapter.js';
import type { AuditEvent } from '../../../lib/core/audit/types.js';
import type { DesiredBucket } from '../../../lib/core/desired/types.js';
import { ensureDelivery } from '../../../lib/core/policy/ensureDelivery.js';
import { apply } from '../../../lib/core/reconcile/apply.js';
import { plan } from '../../../lib/core/reconcile/plan.js';
import { makeKmsConfiguration } from '../../helpers/factories.js';
import { defaultKeyPolicy } from '../../helpers/memoryEstate.js';
import { documentClient, localNames } from '../service/serviceLocal.js';
import {
  LOCAL_HOME_ACCOUNT as HOME,
  localFactory,
  LOCAL_OTHER_ACCOUNT as OTHER,
  uniqueBucket,
} from './localFactory.js';

let factory: ClientFactory;
const names = {
  src: uniqueBucket('facts-src'),
  granted: uniqueBucket('facts-granted'),
  bare: uniqueBucket('facts-bare'),
  missing: uniqueBucket('facts-missing'),
  theirs: uniqueBucket('facts-theirs'),
};
let key = '';
let theirKey = '';
let untaggedKey = '';
/** The tag IAM requires before PutKeyPolicy (serverless.yml): without it the key is not writable. */
const inventoryKey = { Tags: [{ TagKey: 's3ir:inventory-key', TagValue: 'true' }] };
const missingKey = `arn:aws:kms:us-east-1:${HOME}:key/00000000-0000-4000-8000-000000000000`;
const grantedPolicy = (bucket: string) =>
  ensureDelivery(
    undefined,
    {
      sourceBucket: 'elsewhere',
      sourceAccount: HOME,
      partition: 'aws',
      destinationBucket: bucket,
      configurationId: 'x',
    },
    'destination-policy',
  ).document!;

beforeAll(async () => {
  factory = localFactory({ runId: 'facts-it' });
  const s3 = await factory.s3();
  for (const bucket of [names.src, names.granted, names.bare])
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await new S3BucketPolicyAdapter({ client: s3 }).put(names.granted, grantedPolicy(names.granted));
  key = (await (await factory.kms()).send(new CreateKeyCommand(inventoryKey))).KeyMetadata!.Arn!;
  untaggedKey = (
    await (await factory.kms()).send(new CreateKeyCommand({ Tags: [{ TagKey: 'team', TagValue: 'data' }] }))
  ).KeyMetadata!.Arn!;
  // The other account's bucket and key, made through the role the factory assumes there.
  const theirS3 = await factory.s3({ account: OTHER });
  await theirS3.send(new CreateBucketCommand({ Bucket: names.theirs }));
  await new S3BucketPolicyAdapter({ client: theirS3 }).put(names.theirs, grantedPolicy(names.theirs));
  theirKey = (await (await factory.kms({ account: OTHER })).send(new CreateKeyCommand(inventoryKey)))
    .KeyMetadata!.Arn!;
});
afterAll(() => factory.destroy());

describe('AwsFactsReader on the local AWS', () => {
  it('gathers region, destinations and keys of a real estate, across two accounts', async () => {
    const facts = await new AwsFactsReader({ factory }).read({
      bucket: names.src,
      destinations: [names.granted, names.bare, names.missing, { bucket: names.theirs, account: OTHER }],
      keys: [key, missingKey, theirKey],
    });
    expect(facts).toMatchObject({ bucket: names.src, account: HOME, region: 'us-east-1' });
    expect(facts.destinations).toEqual({
      [names.granted]: {
        bucket: names.granted,
        exists: true,
        region: 'us-east-1',
        account: HOME,
        policy: { state: 'present', document: grantedPolicy(names.granted) },
        writable: true,
        ownerVerified: true,
      },
      [names.bare]: {
        bucket: names.bare,
        exists: true,
        region: 'us-east-1',
        account: HOME,
        policy: { state: 'none' },
        writable: true,
        ownerVerified: true,
      },
      [names.missing]: {
        bucket: names.missing,
        exists: false,
        account: HOME,
        policy: { state: 'none' },
        writable: false,
        ownerVerified: false,
      },
      [names.theirs]: {
        bucket: names.theirs,
        exists: true,
        region: 'us-east-1',
        account: OTHER,
        policy: { state: 'present', document: grantedPolicy(names.theirs) },
        writable: true,
        ownerVerified: true,
      },
    });
    // moto 5.2.1's KeyMetadata has no KeyUsage; the gateway adds ENCRYPT_DECRYPT as real KMS sends it
    // (infra/local/gateway/motoQuirks.ts).
    expect(facts.keys[key]).toEqual({
      keyArn: key,
      exists: true,
      region: 'us-east-1',
      account: HOME,
      keyState: 'Enabled',
      keyManager: 'CUSTOMER',
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      policy: { state: 'present', document: defaultKeyPolicy(HOME) },
      writable: true,
      inventoryKeyTag: true,
    });
    expect(facts.keys[missingKey]).toEqual({
      keyArn: missingKey,
      exists: false,
      policy: { state: 'none' },
      writable: false,
    });
    expect(facts.keys[theirKey]).toMatchObject({
      exists: true,
      account: OTHER,
      policy: { state: 'present', document: defaultKeyPolicy(OTHER) },
      writable: true,
      inventoryKeyTag: true,
    });
  });

  it('reads the key tags with ListResourceTags: a key without s3ir:inventory-key = true is not writable', async () => {
    const facts = await new AwsFactsReader({ factory }).read({
      bucket: names.src,
      region: 'us-east-1',
      destinations: [],
      keys: [untaggedKey],
    });
    expect(facts.keys[untaggedKey]).toMatchObject({ exists: true, inventoryKeyTag: false, writable: false });
  });

  it('limits writable destinations to S3IR_DESTINATION_BUCKETS', async () => {
    const facts = await new AwsFactsReader({ factory, destinationBuckets: [names.granted] }).read({
      bucket: names.src,
      region: 'us-east-1',
      destinations: [names.granted, names.bare],
      keys: [],
    });
    expect(facts.destinations[names.granted]).toMatchObject({ ownerVerified: true, writable: true });
    expect(facts.destinations[names.bare]).toMatchObject({ ownerVerified: true, writable: false });
  });

  it('reaches no account outside the allowed ones: their destination is read with home credentials, never writable', async () => {
    const homeOnly = localFactory({ runId: 'facts-it-home', allowedAccounts: [] });
    try {
      await expect(homeOnly.s3({ account: OTHER })).rejects.toMatchObject({
        name: 'ClientAccountNotAllowedError',
      });
      const facts = await new AwsFactsReader({ factory: homeOnly }).read({
        bucket: names.src,
        region: 'us-east-1',
        destinations: [{ bucket: names.theirs, account: OTHER }],
        keys: [theirKey],
      });
      expect(facts.destinations[names.theirs]).toMatchObject({
        account: OTHER,
        exists: true,
        writable: false,
      });
      // moto keeps KMS keys per account: seen with home credentials, the other account's key is not found.
      expect(facts.keys[theirKey]).toMatchObject({ writable: false });
      expect(facts.keys[theirKey]!.inventoryKeyTag).toBeUndefined();
    } finally {
      homeOnly.destroy();
    }
  });

  it('marks other accounts read-only when only the home account is writable', async () => {
    const facts = await new AwsFactsReader({ factory, writable: 'home-account' }).read({
      bucket: names.src,
      region: 'us-east-1',
      destinations: [{ bucket: names.theirs, account: OTHER }, names.bare],
      keys: [theirKey],
    });
    expect(facts.destinations[names.theirs]!.writable).toBe(false);
    expect(facts.destinations[names.bare]!.writable).toBe(true);
    expect(facts.keys[theirKey]!.writable).toBe(false);
  });

  it('feeds plan and apply: grants and configuration land on the local AWS, and a second run plans nothing', async () => {
    const configuration = makeKmsConfiguration(key, {
      Id: 'daily-kms',
      Destination: {
        S3BucketDestination: { Bucket: `arn:aws:s3:::${names.bare}`, Format: 'CSV', Prefix: 'inv' },
      },
    });
    configuration.Destination!.S3BucketDestination!.Encryption = { SSEKMS: { KeyId: key } };
    const desired: DesiredBucket = {
      bucket: names.src,
      mode: 'enforce',
      prune: false,
      items: [{ bucket: names.src, id: 'daily-kms', configuration }],
    };
    const request = { bucket: names.src, destinations: [{ bucket: names.bare }], keys: [key] };
    const events: AuditEvent[] = [];
    const run = async () => {
      // Through the run's reader, as the service reads them: owners proved (the planner puts nothing else).
      const facts = await new RunFactsReader({ factory }).read(request);
      const inventory = new S3InventoryAdapter({
        client: await factory.s3({ account: facts.account, region: facts.region }),
      });
      const planned = plan(desired, await inventory.list(names.src), facts);
      const ports = {
        inventory,
        bucketPolicy: new S3BucketPolicyAdapter({ clientFor: destinationClients(factory, facts) }),
        keyPolicy: new KmsKeyPolicyAdapter({ clientFor: (arn) => factory.kmsForKey(arn) }),
        policyLease: new DynamoPolicyLease({
          client: await documentClient(factory),
          tableName: localNames().stateTable,
        }),
        audit: { record: async (event: AuditEvent) => void events.push(event) },
      };
      return { planned, result: await apply(planned, ports, { runId: 'facts-it', actor: 'test' }) };
    };

    const first = await run();
    expect(first.planned.findings).toEqual([]);
    expect(first.planned.actions.map((action) => action.kind).sort()).toEqual([
      'create-configuration',
      'grant-destination',
      'grant-key',
    ]);
    expect(first.result.converged).toBe(true);
    const second = await run();
    expect(second.planned.actions).toEqual([]);
    expect(second.planned.drift).toEqual([]);
    const { KeyMetadata } = await (await factory.kmsForKey(key)).send(new DescribeKeyCommand({ KeyId: key }));
    expect(KeyMetadata?.KeyState).toBe('Enabled');
  });
});
