import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateBucketCommand, PutBucketInventoryConfigurationCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConfiguration } from '../../helpers/factories.js';
import { ACCOUNT_ID, inBatches, localAws, s3Client, uniqueBucket } from './localAwsClients.js';

const run = promisify(execFile);
const s3 = s3Client();
const bucket = uniqueBucket('cli');

/** The AWS CLI (botocore) as an independent client: its own XML serializer and parser. */
async function aws(
  ...args: string[]
): Promise<{ code: number; json: Record<string, unknown>; error?: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  try {
    const { stdout } = await run(
      'aws',
      ['--endpoint-url', localAws().endpoint, '--output', 'json', 's3api', ...args],
      { env },
    );
    return { code: 0, json: stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {} };
  } catch (failure) {
    const { code, stderr } = failure as { code: number; stderr: string };
    return {
      code,
      json: {},
      error: stderr
        .match(/An error occurred \((\w+)\)[^:]*: (.*)/)
        ?.slice(1, 3)
        .join(': '),
    };
  }
}

const sseS3Current = {
  Id: 'cli-sse-s3',
  IsEnabled: true,
  IncludedObjectVersions: 'Current',
  Schedule: { Frequency: 'Daily' },
  Destination: {
    S3BucketDestination: {
      Bucket: 'arn:aws:s3:::reports',
      Format: 'CSV',
      Prefix: 'p',
      Encryption: { SSES3: {} },
    },
  },
  OptionalFields: ['Size', 'ETag', 'ChecksumAlgorithm'],
};
const withBucket = (Bucket: string) => ({
  ...sseS3Current,
  Destination: { S3BucketDestination: { Bucket, Format: 'CSV' } },
});

describe('local S3 inventory subresource: conformance through the AWS CLI', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  it('round-trips SSE-S3 and IncludedObjectVersions: Current, and deletes keeping the bucket', {
    timeout: 120_000,
  }, async () => {
    const config = JSON.stringify(sseS3Current);
    expect(
      (
        await aws(
          'put-bucket-inventory-configuration',
          '--bucket',
          bucket,
          '--id',
          'cli-sse-s3',
          '--inventory-configuration',
          config,
        )
      ).code,
    ).toBe(0);
    const got = await aws('get-bucket-inventory-configuration', '--bucket', bucket, '--id', 'cli-sse-s3');
    expect(got.json.InventoryConfiguration).toEqual(sseS3Current);
    const list = await aws('list-bucket-inventory-configurations', '--bucket', bucket);
    expect(list.json).toEqual({ InventoryConfigurationList: [sseS3Current], IsTruncated: false });
    expect(
      (await aws('delete-bucket-inventory-configuration', '--bucket', bucket, '--id', 'cli-sse-s3')).code,
    ).toBe(0);
    expect((await aws('head-bucket', '--bucket', bucket)).code).toBe(0);
    expect(await aws('list-bucket-inventory-configurations', '--bucket', bucket)).toMatchObject({
      json: { IsTruncated: false },
    });
  });

  it('pages 250 configurations with NextContinuationToken and --continuation-token', {
    timeout: 180_000,
  }, async () => {
    const paged = uniqueBucket('cli-pages');
    await s3.send(new CreateBucketCommand({ Bucket: paged }));
    const ids = Array.from({ length: 250 }, (_, i) => `p-${String(i).padStart(3, '0')}`);
    await inBatches(ids, 8, (Id) =>
      s3.send(
        new PutBucketInventoryConfigurationCommand({
          Bucket: paged,
          Id,
          InventoryConfiguration: makeConfiguration({ Id }),
        }),
      ),
    );
    const list = (...token: string[]) =>
      aws('list-bucket-inventory-configurations', '--bucket', paged, ...token);
    const pageIds = (page: { json: Record<string, unknown> }) =>
      (page.json.InventoryConfigurationList as Array<{ Id: string }>).map((c) => c.Id);

    const first = await list();
    expect(first.json).toMatchObject({ IsTruncated: true });
    expect(pageIds(first)).toEqual(ids.slice(0, 100));
    const firstToken = String(first.json.NextContinuationToken);
    const second = await list('--continuation-token', firstToken);
    expect(second.json).toMatchObject({ ContinuationToken: firstToken, IsTruncated: true });
    expect(pageIds(second)).toEqual(ids.slice(100, 200));
    const secondToken = String(second.json.NextContinuationToken);
    const third = await list('--continuation-token', secondToken);
    expect(third.json).toMatchObject({ ContinuationToken: secondToken, IsTruncated: false });
    expect(third.json).not.toHaveProperty('NextContinuationToken');
    expect(pageIds(third)).toEqual(ids.slice(200));
  });

  it('answers the errors of docs/aws-facts.md §1 as the CLI reads them', { timeout: 180_000 }, async () => {
    const missing = uniqueBucket('cli-missing');
    const put = (id: string, configuration: object, ...extra: string[]) =>
      aws(
        'put-bucket-inventory-configuration',
        '--bucket',
        bucket,
        '--id',
        id,
        '--inventory-configuration',
        JSON.stringify(configuration),
        ...extra,
      );
    const cases: Array<[string, Promise<{ error?: string }>]> = [
      [
        'NoSuchConfiguration: The specified configuration does not exist.',
        aws('get-bucket-inventory-configuration', '--bucket', bucket, '--id', 'none'),
      ],
      [
        'NoSuchBucket: The specified bucket does not exist',
        aws('list-bucket-inventory-configurations', '--bucket', missing),
      ],
      ['IdMismatch', put('other-id', sseS3Current)],
      ['MalformedXML', put('cli-sse-s3', { ...sseS3Current, Schedule: { Frequency: 'Hourly' } })],
      ['InvalidS3DestinationBucket: Invalid bucket ARN.', put('cli-sse-s3', withBucket('reports'))],
      [
        'InvalidS3DestinationBucket: Bucket ARN should not specify a namespace.',
        put('cli-sse-s3', withBucket('arn:aws:s3::123456789012:reports')),
      ],
      [
        'AccessDenied',
        aws(
          'list-bucket-inventory-configurations',
          '--bucket',
          bucket,
          '--expected-bucket-owner',
          '111122223333',
        ),
      ],
      [
        'InvalidBucketOwnerAWSAccountID',
        aws('list-bucket-inventory-configurations', '--bucket', bucket, '--expected-bucket-owner', '12345'),
      ],
    ];
    const outcomes = await Promise.all(
      cases.map(async ([expected, reply]) => ({ expected, error: (await reply).error ?? '' })),
    );
    for (const { expected, error } of outcomes)
      expect(error.startsWith(expected), `${expected} vs ${error}`).toBe(true);
  });

  it('enforces --expected-bucket-owner on the policy calls, HeadBucket and the object calls as the CLI reads them', {
    timeout: 180_000,
  }, async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
    const other = ['--expected-bucket-owner', '111122223333'];
    const malformed = ['--expected-bucket-owner', '12345'];
    const owner = ['--expected-bucket-owner', ACCOUNT_ID];
    const cases: Array<[string, Promise<{ code: number; error?: string }>]> = [
      ['AccessDenied', aws('get-bucket-policy', '--bucket', bucket, ...other)],
      ['AccessDenied', aws('put-bucket-policy', '--bucket', bucket, '--policy', policy, ...other)],
      ['AccessDenied', aws('delete-bucket-policy', '--bucket', bucket, ...other)],
      ['InvalidBucketOwnerAWSAccountID', aws('get-bucket-policy', '--bucket', bucket, ...malformed)],
      [
        'InvalidBucketOwnerAWSAccountID',
        aws('put-bucket-policy', '--bucket', bucket, '--policy', policy, ...malformed),
      ],
      ['InvalidBucketOwnerAWSAccountID', aws('delete-bucket-policy', '--bucket', bucket, ...malformed)],
      // HEAD errors carry no body: botocore names them by status.
      ['403', aws('head-bucket', '--bucket', bucket, ...other)],
      ['400', aws('head-bucket', '--bucket', bucket, ...malformed)],
      ['AccessDenied', aws('list-objects-v2', '--bucket', bucket, ...other)],
      ['403', aws('head-object', '--bucket', bucket, '--key', 'any', ...other)],
      ['NoSuchBucketPolicy', aws('get-bucket-policy', '--bucket', bucket, ...owner)],
    ];
    const outcomes = await Promise.all(
      cases.map(async ([expected, reply]) => ({ expected, error: (await reply).error ?? 'no error' })),
    );
    for (const { expected, error } of outcomes)
      expect(error.startsWith(expected), `${expected} vs ${error}`).toBe(true);
    // The owner's own id passes.
    expect((await aws('head-bucket', '--bucket', bucket, ...owner)).code).toBe(0);
  });
});
