import {
  DeleteBucketInventoryConfigurationCommand,
  GetBucketInventoryConfigurationCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketInventoryConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccessDeniedError, NotFoundError } from '../../../../lib/adapters/aws/errors.js';
import { S3InventoryAdapter } from '../../../../lib/adapters/aws/S3InventoryAdapter.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { s3Error } from './sdkErrors.js';

const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'us-east-1' });
const ids = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => makeConfiguration({ Id: `inv-${from + i}` }));

beforeEach(() => s3.reset());

describe('S3InventoryAdapter.list()', () => {
  it('follows NextContinuationToken across 3 pages with the exact tokens and returns every configuration', async () => {
    s3.on(ListBucketInventoryConfigurationsCommand, { Bucket: 'src', ContinuationToken: undefined }).resolves(
      {
        InventoryConfigurationList: ids(100, 0),
        IsTruncated: true,
        NextContinuationToken: 'token-1',
      },
    );
    s3.on(ListBucketInventoryConfigurationsCommand, { Bucket: 'src', ContinuationToken: 'token-1' }).resolves(
      {
        ContinuationToken: 'token-1',
        InventoryConfigurationList: ids(100, 100),
        IsTruncated: true,
        NextContinuationToken: 'token-2',
      },
    );
    s3.on(ListBucketInventoryConfigurationsCommand, { Bucket: 'src', ContinuationToken: 'token-2' }).resolves(
      {
        ContinuationToken: 'token-2',
        InventoryConfigurationList: ids(50, 200),
        IsTruncated: false,
      },
    );

    const listed = await new S3InventoryAdapter({ client }).list('src');

    expect(listed.map((c) => c.Id)).toEqual(ids(250).map((c) => c.Id));
    const sent = s3.commandCalls(ListBucketInventoryConfigurationsCommand).map((call) => call.args[0].input);
    expect(sent).toEqual([
      { Bucket: 'src', ContinuationToken: undefined },
      { Bucket: 'src', ContinuationToken: 'token-1' },
      { Bucket: 'src', ContinuationToken: 'token-2' },
    ]);
  });

  it('returns [] when the output has no InventoryConfigurationList key at all', async () => {
    s3.on(ListBucketInventoryConfigurationsCommand).resolves({ IsTruncated: false });
    await expect(new S3InventoryAdapter({ client }).list('empty')).resolves.toEqual([]);
    expect(s3.commandCalls(ListBucketInventoryConfigurationsCommand)).toHaveLength(1);
  });

  it('refuses a truncated page without a NextContinuationToken instead of stopping early', async () => {
    s3.on(ListBucketInventoryConfigurationsCommand).resolves({
      InventoryConfigurationList: ids(1),
      IsTruncated: true,
    });
    await expect(new S3InventoryAdapter({ client }).list('src')).rejects.toMatchObject({
      name: 'AwsAdapterError',
      code: 'InvalidPagination',
    });
  });

  it('refuses a repeated token instead of looping forever', async () => {
    s3.on(ListBucketInventoryConfigurationsCommand).resolves({
      IsTruncated: true,
      NextContinuationToken: 'again',
    });
    await expect(new S3InventoryAdapter({ client }).list('src')).rejects.toMatchObject({
      code: 'InvalidPagination',
    });
    expect(s3.commandCalls(ListBucketInventoryConfigurationsCommand)).toHaveLength(2);
  });

  it('maps AccessDenied and NoSuchBucket', async () => {
    s3.on(ListBucketInventoryConfigurationsCommand, { Bucket: 'theirs' }).rejects(
      s3Error('AccessDenied', 403),
    );
    s3.on(ListBucketInventoryConfigurationsCommand, { Bucket: 'gone' }).rejects(s3Error('NoSuchBucket', 404));
    const adapter = new S3InventoryAdapter({ client });
    await expect(adapter.list('theirs')).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(adapter.list('gone')).rejects.toMatchObject({ name: 'NotFoundError', resource: 'bucket' });
  });

  it('sends ExpectedBucketOwner on every call when it is given', async () => {
    s3.on(ListBucketInventoryConfigurationsCommand).resolves({});
    await new S3InventoryAdapter({ client, expectedBucketOwner: '111122223333' }).list('src');
    expect(s3.commandCalls(ListBucketInventoryConfigurationsCommand)[0]!.args[0].input).toEqual({
      Bucket: 'src',
      ExpectedBucketOwner: '111122223333',
      ContinuationToken: undefined,
    });
  });
});

describe('S3InventoryAdapter.get()', () => {
  it('returns the configuration', async () => {
    const configuration = makeConfiguration({ Id: 'inv-1' });
    s3.on(GetBucketInventoryConfigurationCommand, { Bucket: 'src', Id: 'inv-1' }).resolves({
      InventoryConfiguration: configuration,
    });
    await expect(new S3InventoryAdapter({ client }).get('src', 'inv-1')).resolves.toEqual(configuration);
  });

  it('returns undefined on NoSuchConfiguration', async () => {
    s3.on(GetBucketInventoryConfigurationCommand).rejects(s3Error('NoSuchConfiguration', 404));
    await expect(new S3InventoryAdapter({ client }).get('src', 'nope')).resolves.toBeUndefined();
  });

  it('throws NotFoundError when the bucket itself is missing', async () => {
    s3.on(GetBucketInventoryConfigurationCommand).rejects(s3Error('NoSuchBucket', 404));
    const error = await new S3InventoryAdapter({ client }).get('gone', 'inv-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'NoSuchBucket', resource: 'bucket' });
  });
});

describe('S3InventoryAdapter.put() and delete()', () => {
  it('puts with the query Id equal to the body Id', async () => {
    s3.on(PutBucketInventoryConfigurationCommand).resolves({});
    const configuration = makeConfiguration({ Id: 'inv-1' });
    await new S3InventoryAdapter({ client }).put('src', configuration);
    expect(s3.commandCalls(PutBucketInventoryConfigurationCommand)[0]!.args[0].input).toEqual({
      Bucket: 'src',
      Id: 'inv-1',
      InventoryConfiguration: configuration,
    });
  });

  it('deletes by Id and maps NoSuchConfiguration to NotFoundError', async () => {
    s3.on(DeleteBucketInventoryConfigurationCommand, { Id: 'inv-1' }).resolves({});
    s3.on(DeleteBucketInventoryConfigurationCommand, { Id: 'nope' }).rejects(
      s3Error('NoSuchConfiguration', 404),
    );
    const adapter = new S3InventoryAdapter({ client });
    await adapter.delete('src', 'inv-1');
    expect(s3.commandCalls(DeleteBucketInventoryConfigurationCommand)[0]!.args[0].input).toEqual({
      Bucket: 'src',
      Id: 'inv-1',
    });
    await expect(adapter.delete('src', 'nope')).rejects.toMatchObject({
      name: 'NotFoundError',
      code: 'NoSuchConfiguration',
      resource: 'configuration',
    });
  });

  it('asks clientFor for each bucket when no single client is given', async () => {
    s3.on(PutBucketInventoryConfigurationCommand).resolves({});
    const asked: string[] = [];
    const adapter = new S3InventoryAdapter({
      clientFor: async (bucket) => {
        asked.push(bucket);
        return client;
      },
    });
    await adapter.put('a', makeConfiguration());
    await adapter.put('b', makeConfiguration());
    expect(asked).toEqual(['a', 'b']);
  });
});
