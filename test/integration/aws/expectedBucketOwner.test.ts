import { CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsFactsReader, type FactsClients } from '../../../lib/adapters/aws/AwsFactsReader.js';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { readBucketLocation } from '../../../lib/adapters/aws/readBucketLocation.js';
import { S3BucketPolicyAdapter } from '../../../lib/adapters/aws/S3BucketPolicyAdapter.js';
import { S3InventoryAdapter } from '../../../lib/adapters/aws/S3InventoryAdapter.js';
import { S3ReportReader } from '../../../lib/adapters/aws/S3ReportReader.js';
import { ensureDelivery } from '../../../lib/core/policy/ensureDelivery.js';
import { makeConfiguration } from '../../helpers/factories.js';
import {
  LOCAL_HOME_ACCOUNT as HOME,
  localFactory,
  LOCAL_OTHER_ACCOUNT as OTHER,
  uniqueBucket,
} from './localFactory.js';

let factory: ClientFactory;
const names = {
  src: uniqueBucket('ebo-src'),
  dest: uniqueBucket('ebo-dest'),
  theirs: uniqueBucket('ebo-theirs'),
};
let key = '';
const grant = (bucket: string) =>
  ensureDelivery(
    undefined,
    {
      sourceBucket: names.src,
      sourceAccount: HOME,
      partition: 'aws',
      destinationBucket: bucket,
      configurationId: 'x',
    },
    'destination-policy',
  ).document!;

beforeAll(async () => {
  factory = localFactory({ runId: 'ebo-it' });
  const s3 = await factory.s3();
  for (const Bucket of [names.src, names.dest]) await s3.send(new CreateBucketCommand({ Bucket }));
  await (await factory.s3({ account: OTHER })).send(new CreateBucketCommand({ Bucket: names.theirs }));
  key = (
    await (
      await factory.kms()
    ).send(new CreateKeyCommand({ Tags: [{ TagKey: 's3ir:inventory-key', TagValue: 'true' }] }))
  ).KeyMetadata!.Arn!;
});
afterAll(() => factory.destroy());

describe('ExpectedBucketOwner on the local AWS', () => {
  it('writes, reads and deletes a bucket policy with the owner named, in the home and another account', async () => {
    const home = new S3BucketPolicyAdapter({ client: await factory.s3(), expectedBucketOwner: HOME });
    await home.put(names.dest, grant(names.dest));
    await expect(home.get(names.dest)).resolves.toEqual(grant(names.dest));
    await home.delete(names.dest);
    await expect(home.get(names.dest)).resolves.toBeUndefined();

    const theirs = new S3BucketPolicyAdapter({
      client: await factory.s3({ account: OTHER }),
      expectedBucketOwner: OTHER,
    });
    await theirs.put(names.theirs, grant(names.theirs));
    await expect(theirs.get(names.theirs)).resolves.toEqual(grant(names.theirs));
  });

  it('refuses inventory calls on a bucket another account owns (403 AccessDenied)', async () => {
    const wrong = new S3InventoryAdapter({
      client: await factory.s3(),
      expectedBucketOwner: async () => OTHER,
    });
    await expect(wrong.put(names.src, makeConfiguration({ Id: 'ebo' }))).rejects.toMatchObject({
      name: 'AccessDeniedError',
    });
    const right = new S3InventoryAdapter({
      client: await factory.s3(),
      expectedBucketOwner: async () => HOME,
    });
    await right.put(names.src, makeConfiguration({ Id: 'ebo' }));
    await expect(right.list(names.src)).resolves.toMatchObject([{ Id: 'ebo' }]);
  });

  it("proves the owner with HeadBucket, and reads reports with the destination's owner", async () => {
    await expect(readBucketLocation(await factory.s3(), names.dest, HOME)).resolves.toEqual({
      exists: true,
      region: 'us-east-1',
      ownerVerified: true,
    });
    await expect(readBucketLocation(await factory.s3(), uniqueBucket('ebo-none'), HOME)).resolves.toEqual({
      exists: false,
      ownerVerified: false,
    });
    const s3 = await factory.s3();
    await s3.send(new PutObjectCommand({ Bucket: names.dest, Key: 'inv/a/manifest.json', Body: '{}' }));
    const reader = new S3ReportReader({
      clientFor: async () => s3,
      defaultOwner: () => factory.homeAccount(),
    });
    await expect(reader.listFolders({ bucket: names.dest }, 'inv/')).resolves.toEqual(['a']);
    await expect(reader.readText({ bucket: names.dest }, 'inv/a/manifest.json')).resolves.toBe('{}');
  });

  it('costs one GetBucketPolicy per destination in steady state and three KMS calls per key, once per run', async () => {
    const sent: string[] = [];
    const counting = <C extends S3Client | KMSClient>(client: C): C =>
      new Proxy(client, {
        get(target, property, receiver) {
          if (property !== 'send') return Reflect.get(target, property, receiver);
          return (command: { constructor: { name: string }; input: { ExpectedBucketOwner?: string } }) => {
            sent.push(
              `${command.constructor.name}${command.input.ExpectedBucketOwner ? `@${command.input.ExpectedBucketOwner}` : ''}`,
            );
            return (target.send as (c: unknown) => Promise<unknown>)(command);
          };
        },
      });
    const clients: FactsClients = {
      homeAccount: () => factory.homeAccount(),
      canReach: (account) => factory.canReach(account),
      s3: async (scope) => counting(await factory.s3(scope)),
      kms: async (scope) => counting(await factory.kms(scope)),
    };
    const reader = new AwsFactsReader({ factory: clients });
    const request = (bucket: string) => ({
      bucket,
      region: 'us-east-1',
      destinations: [
        { bucket: names.dest, region: 'us-east-1' },
        { bucket: names.theirs, account: OTHER, region: 'us-east-1' },
      ],
      keys: [key],
    });
    const [first] = await Promise.all([reader.read(request(names.src)), reader.read(request('another-src'))]);
    expect(first.destinations[names.dest]).toMatchObject({ ownerVerified: true, writable: true });
    expect(first.destinations[names.theirs]).toMatchObject({ ownerVerified: true, writable: true });
    expect(first.keys[key]).toMatchObject({ inventoryKeyTag: true, writable: true });
    expect(sent.sort()).toEqual(
      [
        `GetBucketPolicyCommand@${HOME}`,
        `GetBucketPolicyCommand@${OTHER}`,
        'DescribeKeyCommand',
        'GetKeyPolicyCommand',
        'ListResourceTagsCommand',
      ].sort(),
    );
  });
});
