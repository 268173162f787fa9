import {
  CreateBucketCommand,
  DeleteBucketInventoryConfigurationCommand,
  GetBucketInventoryConfigurationCommand,
  type InventoryConfiguration,
  ListBucketInventoryConfigurationsCommand,
  PutBucketInventoryConfigurationCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConfiguration } from '../../helpers/factories.js';
import { s3Client, uniqueBucket } from './localAwsClients.js';

const s3 = s3Client();
const bucket = uniqueBucket('errors');

const put = (configuration: InventoryConfiguration, id = configuration.Id, target = bucket, owner?: string) =>
  s3.send(
    new PutBucketInventoryConfigurationCommand({
      Bucket: target,
      Id: id,
      InventoryConfiguration: configuration,
      ...(owner ? { ExpectedBucketOwner: owner } : {}),
    }),
  );

const withDestination = (Bucket: string) =>
  makeConfiguration({ Id: 'dest', Destination: { S3BucketDestination: { Bucket, Format: 'CSV' } } });

/** Every row of docs/aws-facts.md §1's error table, through the real SDK v3 client. */
describe('local S3 inventory subresource: errors (docs/aws-facts.md §1)', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  it('answers 404 NoSuchConfiguration for a missing Id on get and delete', async () => {
    const expected = {
      name: 'NoSuchConfiguration',
      message: 'The specified configuration does not exist.',
      $metadata: { httpStatusCode: 404 },
    };
    await expect(
      s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: bucket, Id: 'nope' })),
    ).rejects.toMatchObject(expected);
    await expect(
      s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: bucket, Id: 'nope' })),
    ).rejects.toMatchObject(expected);
  });

  it('answers 404 NoSuchBucket with the bucket name for every operation on a missing bucket', async () => {
    const missing = uniqueBucket('missing');
    const expected = { name: 'NoSuchBucket', BucketName: missing, $metadata: { httpStatusCode: 404 } };
    await expect(put(makeConfiguration(), 'daily-csv', missing)).rejects.toMatchObject(expected);
    await expect(
      s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: missing, Id: 'x' })),
    ).rejects.toMatchObject(expected);
    await expect(
      s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: missing, Id: 'x' })),
    ).rejects.toMatchObject(expected);
    await expect(
      s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: missing })),
    ).rejects.toMatchObject(expected);
  });

  it('answers 400 IdMismatch when the query id differs from the body Id', async () => {
    await expect(put(makeConfiguration({ Id: 'body-id' }), 'query-id')).rejects.toMatchObject({
      name: 'IdMismatch',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it.each([
    [
      'a bad Format',
      { Destination: { S3BucketDestination: { Bucket: 'arn:aws:s3:::d', Format: 'JSON' as 'CSV' } } },
    ],
    ['a bad Frequency', { Schedule: { Frequency: 'Hourly' as 'Daily' } }],
    ['a bad IncludedObjectVersions', { IncludedObjectVersions: 'Some' as 'All' }],
    ['an unknown OptionalField', { OptionalFields: ['Size', 'Colour' as 'Size'] }],
    ['an Id with a space', { Id: 'bad id' }],
    ['an Id of 65 characters', { Id: 'x'.repeat(65) }],
    ['no Schedule', { Schedule: undefined }],
    ['no IsEnabled', { IsEnabled: undefined }],
    ['no Destination Bucket', { Destination: { S3BucketDestination: { Format: 'CSV' as const } } }],
  ])('answers 400 MalformedXML for %s', async (_, overrides) => {
    const configuration = makeConfiguration(overrides as Partial<InventoryConfiguration>);
    await expect(put(configuration)).rejects.toMatchObject({
      name: 'MalformedXML',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers 400 InvalidS3DestinationBucket "Invalid bucket ARN." for a destination that is not an ARN', async () => {
    await expect(put(withDestination('reports-bucket'))).rejects.toMatchObject({
      name: 'InvalidS3DestinationBucket',
      message: 'Invalid bucket ARN.',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers 400 InvalidS3DestinationBucket for a destination ARN with an account', async () => {
    await expect(put(withDestination('arn:aws:s3::123456789012:reports'))).rejects.toMatchObject({
      name: 'InvalidS3DestinationBucket',
      message: 'Bucket ARN should not specify a namespace.',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers 403 AccessDenied when ExpectedBucketOwner is another account', async () => {
    await expect(put(makeConfiguration(), 'daily-csv', bucket, '111122223333')).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      s3.send(
        new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ExpectedBucketOwner: '111122223333' }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('answers 400 InvalidBucketOwnerAWSAccountID when ExpectedBucketOwner is not 12 digits', async () => {
    await expect(
      s3.send(
        new GetBucketInventoryConfigurationCommand({
          Bucket: bucket,
          Id: 'x',
          ExpectedBucketOwner: 'not-an-account',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidBucketOwnerAWSAccountID', $metadata: { httpStatusCode: 400 } });
  });
});
