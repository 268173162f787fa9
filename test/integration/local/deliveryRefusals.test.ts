import { DescribeKeyCommand, DisableKeyCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { deliver } from './controlEndpoints.js';
import {
  createKey,
  destination,
  destinationGrant,
  inventory,
  keyPolicyGranting,
  putInventory,
  s3ClientIn,
  sourceWith,
} from './deliveryScenario.js';
import { ACCOUNT_ID, kmsClient, uniqueBucket } from './localAwsClients.js';

/** Builds one scenario: a source with one configuration `cfg`; resolves with the reason expected. */
type Scenario = (source: string) => Promise<string>;

const allowedDestination = (source: string) => destination((dest) => [destinationGrant(dest, source)]);

/** A destination that allows delivery, and a configuration to it encrypted with `keyArn`. */
async function withKey(source: string, keyArn: string): Promise<void> {
  const bucket = await allowedDestination(source);
  await putInventory(
    source,
    inventory('cfg', bucket, { bucketDestination: { Encryption: { SSEKMS: { KeyId: keyArn } } } }),
  );
}

const scenarios: Array<[string, Scenario]> = [
  [
    'the destination has no bucket policy',
    async (source) => {
      const bucket = await destination();
      await putInventory(source, inventory('cfg', bucket));
      return `destination policy does not allow delivery from ${source} (${bucket} has no bucket policy)`;
    },
  ],
  [
    'the destination policy grants another source',
    async (source) => {
      const bucket = await destination((dest) => [destinationGrant(dest, 'some-other-source')]);
      await putInventory(source, inventory('cfg', bucket));
      return `destination policy does not allow delivery from ${source}`;
    },
  ],
  [
    'the destination policy explicitly denies it',
    async (source) => {
      const deny = (dest: string) => ({
        Sid: 'NoService',
        Effect: 'Deny',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${dest}/*`,
      });
      const bucket = await destination((dest) => [destinationGrant(dest, source), deny(dest)]);
      await putInventory(source, inventory('cfg', bucket));
      return `destination policy explicitly denies delivery from ${source} (statement "NoService")`;
    },
  ],
  [
    'the destination does not exist',
    async (source) => {
      const bucket = uniqueBucket('dest-missing');
      await putInventory(source, inventory('cfg', bucket));
      return `destination bucket ${bucket} does not exist`;
    },
  ],
  [
    'the destination is in another region',
    async (source) => {
      const bucket = await destination((dest) => [destinationGrant(dest, source)], s3ClientIn('eu-west-1'));
      await putInventory(source, inventory('cfg', bucket));
      return 'destination in eu-west-1, source in us-east-1';
    },
  ],
  [
    'AccountId is not the destination owner',
    async (source) => {
      const bucket = await allowedDestination(source);
      await putInventory(
        source,
        inventory('cfg', bucket, { bucketDestination: { AccountId: '111122223333' } }),
      );
      return `AccountId 111122223333 is not the owner of ${bucket} (${ACCOUNT_ID})`;
    },
  ],
  [
    'the key is disabled',
    async (source) => {
      const keyArn = await createKey(keyPolicyGranting(source));
      await kmsClient().send(new DisableKeyCommand({ KeyId: keyArn }));
      await withKey(source, keyArn);
      return `key disabled (${keyArn})`;
    },
  ],
  [
    'the key is pending deletion',
    async (source) => {
      const keyArn = await createKey(keyPolicyGranting(source));
      await kmsClient().send(new ScheduleKeyDeletionCommand({ KeyId: keyArn, PendingWindowInDays: 7 }));
      await withKey(source, keyArn);
      return `key pending deletion (${keyArn})`;
    },
  ],
  [
    'the key policy lacks the grant',
    async (source) => {
      const keyArn = await createKey(keyPolicyGranting(undefined));
      await withKey(source, keyArn);
      return `key policy does not allow kms:GenerateDataKey from ${source}`;
    },
  ],
  [
    'the key is in another region',
    async (source) => {
      const keyArn = await createKey(keyPolicyGranting(source), 'eu-west-1');
      await withKey(source, keyArn);
      return 'key in eu-west-1, source in us-east-1';
    },
  ],
  [
    'the key is AWS managed (alias/aws/s3)',
    async (source) => {
      const { KeyMetadata } = await kmsClient().send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }));
      await withKey(source, KeyMetadata!.Arn!);
      return 'key is AWS managed (alias/aws/s3); S3 Inventory needs a customer managed key';
    },
  ],
  [
    'the key does not exist',
    async (source) => {
      const keyArn = `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/00000000-0000-4000-8000-000000000000`;
      await withKey(source, keyArn);
      return `key not found (${keyArn})`;
    },
  ],
];

describe('report delivery refusals (POST /_local/deliver)', () => {
  it.each(scenarios)('refuses when %s, with the reason', async (_, scenario) => {
    const source = await sourceWith({ 'a.txt': 'a' }, 'src-refused');
    const reason = await scenario(source);
    expect(await deliver([source])).toEqual({
      delivered: [],
      refused: [{ bucket: source, id: 'cfg', reason }],
    });
  });

  it('refuses some configurations of a bucket and delivers the others', async () => {
    const source = await sourceWith({ 'a.txt': 'a' }, 'src-mixed');
    const allowed = await allowedDestination(source);
    const unpoliced = await destination();
    await putInventory(source, inventory('b-allowed', allowed));
    await putInventory(source, inventory('a-refused', unpoliced));
    const result = await deliver([source], '2024-07-01T12:00:00Z');
    expect(result.delivered).toEqual([
      { bucket: source, id: 'b-allowed', key: `${source}/b-allowed/2024-07-01T12-00Z/manifest.json` },
    ]);
    expect(result.refused).toEqual([
      { bucket: source, id: 'a-refused', reason: expect.stringContaining('does not allow') },
    ]);
  });
});
