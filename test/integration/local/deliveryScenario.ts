import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  type InventoryConfiguration,
  type InventoryS3BucketDestination,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ACCOUNT_ID, credentials, localAws, region, s3Client, uniqueBucket } from './localAwsClients.js';

/** The destination policy statement S3 Inventory needs (docs/aws-facts.md §2), for one source. */
export function destinationGrant(destination: string, source: string, sourceAccount = ACCOUNT_ID) {
  return {
    Sid: 'InventoryDelivery',
    Effect: 'Allow',
    Principal: { Service: 's3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: [`arn:aws:s3:::${destination}/*`],
    Condition: {
      ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${source}` },
      StringEquals: { 'aws:SourceAccount': sourceAccount, 's3:x-amz-acl': 'bucket-owner-full-control' },
    },
  };
}

/** The key policy S3 Inventory needs (docs/aws-facts.md §3), plus the usual root statement. */
export function keyPolicyGranting(source: string | undefined, account = ACCOUNT_ID): string {
  const root = {
    Sid: 'Root',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: 'kms:*',
    Resource: '*',
  };
  const grant = {
    Sid: 'InventoryEncryption',
    Effect: 'Allow',
    Principal: { Service: 's3.amazonaws.com' },
    Action: ['kms:GenerateDataKey'],
    Resource: '*',
    Condition: {
      StringEquals: { 'aws:SourceAccount': ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${source}` },
    },
  };
  return JSON.stringify({ Version: '2012-10-17', Statement: source ? [root, grant] : [root] });
}

/** An S3 client of the local AWS in another region (buckets it creates live there). */
export function s3ClientIn(regionName: string): S3Client {
  return new S3Client({
    endpoint: localAws().endpoint,
    region: regionName,
    credentials,
    forcePathStyle: true,
    maxAttempts: 1,
  });
}

/** A customer managed key with that policy, in `regionName`; resolves with its ARN. */
export async function createKey(policy: string, regionName = region): Promise<string> {
  const kms = new KMSClient({
    endpoint: localAws().endpoint,
    region: regionName,
    credentials,
    maxAttempts: 1,
  });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Policy: policy }));
  return KeyMetadata!.Arn!;
}

/** A source bucket holding these objects (key → body). */
export async function sourceWith(objects: Record<string, string>, prefix = 'src'): Promise<string> {
  const s3 = s3Client();
  const bucket = uniqueBucket(prefix);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const [key, body] of Object.entries(objects))
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return bucket;
}

/** A destination bucket; with `statements`, a bucket policy of the statements it returns for the bucket's name. */
export async function destination(
  statements?: (bucket: string) => object[],
  s3 = s3Client(),
  prefix = 'dest',
): Promise<string> {
  const bucket = uniqueBucket(prefix);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (statements) {
    const Policy = JSON.stringify({ Version: '2012-10-17', Statement: statements(bucket) });
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy }));
  }
  return bucket;
}

/** An enabled daily CSV configuration to `destinationBucket`, with overrides. */
export function inventory(
  id: string,
  destinationBucket: string,
  overrides: {
    configuration?: Partial<InventoryConfiguration>;
    bucketDestination?: Partial<InventoryS3BucketDestination>;
  } = {},
): InventoryConfiguration {
  return {
    Id: id,
    IsEnabled: true,
    IncludedObjectVersions: 'Current',
    Schedule: { Frequency: 'Daily' },
    Destination: {
      S3BucketDestination: {
        Bucket: `arn:aws:s3:::${destinationBucket}`,
        Format: 'CSV',
        ...overrides.bucketDestination,
      },
    },
    ...overrides.configuration,
  };
}

/** Puts a configuration on `source` through the gateway. */
export async function putInventory(source: string, configuration: InventoryConfiguration): Promise<void> {
  await s3Client().send(
    new PutBucketInventoryConfigurationCommand({
      Bucket: source,
      Id: configuration.Id,
      InventoryConfiguration: configuration,
    }),
  );
}
