import {
  CreateBucketCommand,
  DeleteBucketInventoryConfigurationCommand,
  GetBucketInventoryConfigurationCommand,
  HeadBucketCommand,
  InventoryOptionalField,
  ListBucketInventoryConfigurationsCommand,
  PutBucketInventoryConfigurationCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConfiguration, makeKmsConfiguration } from '../../helpers/factories.js';
import { s3Client, uniqueBucket } from './localAwsClients.js';

const s3 = s3Client();
const bucket = uniqueBucket('roundtrip');

async function roundTrip(configuration: ReturnType<typeof makeConfiguration>) {
  const put = await s3.send(
    new PutBucketInventoryConfigurationCommand({
      Bucket: bucket,
      Id: configuration.Id,
      InventoryConfiguration: configuration,
    }),
  );
  const got = await s3.send(
    new GetBucketInventoryConfigurationCommand({ Bucket: bucket, Id: configuration.Id }),
  );
  return { putStatus: put.$metadata.httpStatusCode, got: got.InventoryConfiguration };
}

describe('local S3 inventory subresource: round trips (docs/aws-facts.md §1)', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  it('puts with 204 and gets SSE-S3 and IncludedObjectVersions: Current back exactly', async () => {
    const configuration = makeConfiguration({
      Id: 'sse-s3',
      IncludedObjectVersions: 'Current',
      Destination: {
        S3BucketDestination: {
          Bucket: 'arn:aws:s3:::reports',
          Format: 'CSV',
          Prefix: 'inv',
          Encryption: { SSES3: {} },
        },
      },
    });
    const { putStatus, got } = await roundTrip(configuration);
    expect(putStatus).toBe(204);
    expect(got).toEqual(configuration);
  });

  it('round-trips SSE-KMS, a filter, an account id and every OptionalField the SDK knows', async () => {
    const configuration = makeKmsConfiguration('arn:aws:kms:us-east-1:123456789012:key/abcd', {
      Id: 'kms.all-fields_1',
      IncludedObjectVersions: 'All',
      IsEnabled: false,
      Schedule: { Frequency: 'Weekly' },
      Filter: { Prefix: 'logs/ & <more>' },
      OptionalFields: Object.values(InventoryOptionalField),
    });
    configuration.Destination!.S3BucketDestination!.AccountId = '111122223333';
    configuration.Destination!.S3BucketDestination!.Format = 'Parquet';
    const { got } = await roundTrip(configuration);
    expect(got).toEqual(configuration);
  });

  it('upserts by Id: a second put replaces the configuration', async () => {
    await roundTrip(makeConfiguration({ Id: 'upsert', Schedule: { Frequency: 'Daily' } }));
    const { got } = await roundTrip(makeConfiguration({ Id: 'upsert', Schedule: { Frequency: 'Weekly' } }));
    expect(got?.Schedule).toEqual({ Frequency: 'Weekly' });
  });

  it('deletes with 204 and keeps the bucket', async () => {
    await roundTrip(makeConfiguration({ Id: 'to-delete' }));
    const deleted = await s3.send(
      new DeleteBucketInventoryConfigurationCommand({ Bucket: bucket, Id: 'to-delete' }),
    );
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const head = await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    expect(head.$metadata.httpStatusCode).toBe(200);
    await expect(
      s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: bucket, Id: 'to-delete' })),
    ).rejects.toMatchObject({ name: 'NoSuchConfiguration' });
  });

  it('lists a bucket without configurations with no InventoryConfigurationList key at all', async () => {
    const empty = uniqueBucket('empty');
    await s3.send(new CreateBucketCommand({ Bucket: empty }));
    const list = await s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: empty }));
    expect(list.IsTruncated).toBe(false);
    expect(list).not.toHaveProperty('InventoryConfigurationList');
    expect(list).not.toHaveProperty('NextContinuationToken');
  });

  it('accepts ExpectedBucketOwner when it is the account of the bucket', async () => {
    const list = await s3.send(
      new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ExpectedBucketOwner: '123456789012' }),
    );
    expect(list.$metadata.httpStatusCode).toBe(200);
  });
});
