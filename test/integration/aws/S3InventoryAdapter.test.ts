import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { AccessDeniedError } from '../../../lib/adapters/aws/errors.js';
import { S3InventoryAdapter } from '../../../lib/adapters/aws/S3InventoryAdapter.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { describeInventoryPortContract } from '../../unit/adapters/aws/contracts/inventoryPortContract.js';
import { inBatches, LOCAL_HOME_ACCOUNT, localFactory, uniqueBucket } from './localFactory.js';

let factory: ClientFactory;
let s3: S3Client;

beforeAll(async () => {
  factory = localFactory();
  s3 = await factory.s3();
});
afterAll(() => factory.destroy());

async function newBucket(): Promise<string> {
  const bucket = uniqueBucket('inv-contract');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

// The same contract runs against the memory fake in test/unit/aws.
describeInventoryPortContract('S3InventoryAdapter on the local AWS', () => ({
  port: new S3InventoryAdapter({ client: s3 }),
  newBucket,
  missingBucket: () => uniqueBucket('missing'),
  forEach: (items, task) => inBatches(items, 8, task),
}));

describe('S3InventoryAdapter on the local AWS: ExpectedBucketOwner', () => {
  it('works for the right owner and is refused with AccessDenied for another', async () => {
    const bucket = await newBucket();
    const owned = new S3InventoryAdapter({ client: s3, expectedBucketOwner: LOCAL_HOME_ACCOUNT });
    await owned.put(bucket, makeConfiguration({ Id: 'owned' }));
    await expect(owned.list(bucket)).resolves.toHaveLength(1);

    const wrong = new S3InventoryAdapter({ client: s3, expectedBucketOwner: '999999999999' });
    await expect(wrong.list(bucket)).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(wrong.list(bucket)).rejects.toMatchObject({ code: 'AccessDenied', status: 403 });
  });

  it('maps a refused configuration to a non-retryable adapter error with the wire code', async () => {
    const bucket = await newBucket();
    const adapter = new S3InventoryAdapter({ client: s3 });
    const bad = makeConfiguration({ Id: 'bad' });
    bad.Destination!.S3BucketDestination!.Bucket = 'arn:aws:s3::123456789012:dest';
    await expect(adapter.put(bucket, bad)).rejects.toMatchObject({
      name: 'AwsAdapterError',
      code: 'InvalidS3DestinationBucket',
      status: 400,
      retryable: false,
    });
  });
});
