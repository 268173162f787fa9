import { CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { NotFoundError } from '../../../lib/adapters/aws/errors.js';
import { KmsKeyPolicyAdapter } from '../../../lib/adapters/aws/KmsKeyPolicyAdapter.js';
import { S3BucketPolicyAdapter } from '../../../lib/adapters/aws/S3BucketPolicyAdapter.js';
import { ensureDelivery } from '../../../lib/core/policy/ensureDelivery.js';
import type { DeliverySource } from '../../../lib/core/policy/types.js';
import { defaultKeyPolicy } from '../../helpers/memoryEstate.js';
import { LOCAL_HOME_ACCOUNT, localFactory, uniqueBucket } from './localFactory.js';

let factory: ClientFactory;
let s3: S3Client;
let kms: KMSClient;

beforeAll(async () => {
  factory = localFactory();
  s3 = await factory.s3();
  kms = await factory.kms();
});
afterAll(() => factory.destroy());

const source = (destinationBucket: string, keyArn?: string): DeliverySource => ({
  sourceBucket: 'src',
  sourceAccount: LOCAL_HOME_ACCOUNT,
  partition: 'aws',
  destinationBucket,
  configurationId: 'daily',
  ...(keyArn ? { keyArn } : {}),
});

describe('S3BucketPolicyAdapter on the local AWS', () => {
  it('round-trips a destination policy: none, put, get, delete, none', async () => {
    const bucket = uniqueBucket('policy');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const adapter = new S3BucketPolicyAdapter({ client: s3 });

    await expect(adapter.get(bucket)).resolves.toBeUndefined();
    const granted = ensureDelivery(undefined, source(bucket), 'destination-policy').document!;
    await adapter.put(bucket, granted);
    await expect(adapter.get(bucket)).resolves.toEqual(granted);
    await adapter.delete(bucket);
    await expect(adapter.get(bucket)).resolves.toBeUndefined();
  });

  it('throws NotFoundError for a bucket that does not exist', async () => {
    const error = await new S3BucketPolicyAdapter({ client: s3 })
      .get(uniqueBucket('missing'))
      .catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'NoSuchBucket', resource: 'bucket' });
  });
});

describe('KmsKeyPolicyAdapter on the local AWS', () => {
  it('reads the default policy of a new key, adds the S3 grant and reads it back', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'inventory reports' }));
    const keyArn = KeyMetadata!.Arn!;
    const adapter = new KmsKeyPolicyAdapter({ clientFor: (arn) => factory.kmsForKey(arn) });

    const before = await adapter.get(keyArn);
    expect(before).toEqual(defaultKeyPolicy(LOCAL_HOME_ACCOUNT));
    const after = ensureDelivery(before, source('reports', keyArn), 'key-policy').document!;
    await adapter.put(keyArn, after);
    await expect(adapter.get(keyArn)).resolves.toEqual(after);
  });

  it('throws NotFoundError for a key that does not exist', async () => {
    const missing = `arn:aws:kms:us-east-1:${LOCAL_HOME_ACCOUNT}:key/00000000-0000-4000-8000-000000000000`;
    const error = await new KmsKeyPolicyAdapter({ client: kms }).get(missing).catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'NotFoundException', resource: 'key' });
  });
});
