import {
  DeleteBucketPolicyCommand,
  GetBucketInventoryConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketInventoryConfigurationsCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { destinationOwners } from '../../../../lib/adapters/aws/destinationClients.js';
import { readBucketLocation } from '../../../../lib/adapters/aws/readBucketLocation.js';
import { S3BucketPolicyAdapter } from '../../../../lib/adapters/aws/S3BucketPolicyAdapter.js';
import { S3InventoryAdapter } from '../../../../lib/adapters/aws/S3InventoryAdapter.js';
import { S3ReportReader } from '../../../../lib/adapters/aws/S3ReportReader.js';
import { TaggingBucketSource } from '../../../../lib/adapters/aws/TaggingBucketSource.js';
import type { PolicyDocument } from '../../../../lib/core/policy/types.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { createMemoryEstate } from '../../../helpers/memoryEstate.js';
import { headError } from './sdkErrors.js';

const s3 = mockClient(S3Client);
const sts = mockClient(STSClient);
const client = new S3Client({ region: 'us-east-1' });
const HOME = '111122223333';
const OTHER = '222233334444';
const policy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'A', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 's3:PutObject' },
  ],
};

beforeEach(() => {
  s3.reset();
  sts.reset();
});

/** Every S3 call's operation, bucket and ExpectedBucketOwner. */
function owners(): [string, string | undefined, string | undefined][] {
  return s3.calls().map((call) => {
    const command = call.args[0] as unknown as {
      constructor: { name: string };
      input: Record<string, string | undefined>;
    };
    return [
      command.constructor.name.replace(/Command$/, ''),
      command.input.Bucket,
      command.input.ExpectedBucketOwner,
    ];
  });
}

describe('S3BucketPolicyAdapter: ExpectedBucketOwner', () => {
  it('sends the destination owner on GetBucketPolicy, PutBucketPolicy and DeleteBucketPolicy', async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify(policy) });
    const adapter = new S3BucketPolicyAdapter({
      client,
      expectedBucketOwner: (bucket) => (bucket === 'far' ? OTHER : HOME),
    });
    await adapter.get('near');
    await adapter.put('far', policy);
    await adapter.delete('far');
    expect(owners()).toEqual([
      ['GetBucketPolicy', 'near', HOME],
      ['PutBucketPolicy', 'far', OTHER],
      ['DeleteBucketPolicy', 'far', OTHER],
    ]);
    expect(s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input.Policy).toBe(JSON.stringify(policy));
  });

  it('takes one account for every bucket, and sends none when given none', async () => {
    s3.on(GetBucketPolicyCommand).resolves({});
    await new S3BucketPolicyAdapter({ client, expectedBucketOwner: OTHER }).get('a');
    await new S3BucketPolicyAdapter({ client }).get('b');
    expect(owners()).toEqual([
      ['GetBucketPolicy', 'a', OTHER],
      ['GetBucketPolicy', 'b', undefined],
    ]);
    expect(s3.commandCalls(GetBucketPolicyCommand)[1]!.args[0].input).toEqual({ Bucket: 'b' });
  });

  it('surfaces the 403 of another owner as AccessDeniedError', async () => {
    s3.on(DeleteBucketPolicyCommand).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    );
    await expect(
      new S3BucketPolicyAdapter({ client, expectedBucketOwner: OTHER }).delete('taken'),
    ).rejects.toMatchObject({
      name: 'AccessDeniedError',
    });
  });
});

describe('S3InventoryAdapter: ExpectedBucketOwner per bucket', () => {
  it('resolves the owner (e.g. the home account, learned once) and sends it on all four calls', async () => {
    s3.on(ListBucketInventoryConfigurationsCommand).resolves({});
    s3.on(GetBucketInventoryConfigurationCommand).resolves({ InventoryConfiguration: makeConfiguration() });
    const adapter = new S3InventoryAdapter({ client, expectedBucketOwner: async () => HOME });
    await adapter.list('src');
    await adapter.get('src', 'inv-1');
    await adapter.put('src', makeConfiguration({ Id: 'inv-1' }));
    await adapter.delete('src', 'inv-1');
    expect(owners()).toEqual([
      ['ListBucketInventoryConfigurations', 'src', HOME],
      ['GetBucketInventoryConfiguration', 'src', HOME],
      ['PutBucketInventoryConfiguration', 'src', HOME],
      ['DeleteBucketInventoryConfiguration', 'src', HOME],
    ]);
  });
});

describe('readBucketLocation: ExpectedBucketOwner', () => {
  it('proves the owner with a 200, sending the owner on HeadBucket and GetBucketLocation', async () => {
    s3.on(HeadBucketCommand, { Bucket: 'a' }).resolves({ BucketRegion: 'eu-west-1' });
    s3.on(HeadBucketCommand, { Bucket: 'b' }).resolves({});
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'EU' });
    await expect(readBucketLocation(client, 'a', HOME)).resolves.toEqual({
      exists: true,
      region: 'eu-west-1',
      ownerVerified: true,
    });
    await expect(readBucketLocation(client, 'b', HOME)).resolves.toEqual({
      exists: true,
      region: 'eu-west-1',
      ownerVerified: true,
    });
    expect(owners()).toEqual([
      ['HeadBucket', 'a', HOME],
      ['HeadBucket', 'b', HOME],
      ['GetBucketLocation', 'b', HOME],
    ]);
  });

  it('is not proved by a 403 (another owner, or no permission) nor for a missing bucket', async () => {
    s3.on(HeadBucketCommand, { Bucket: 'taken' }).rejects(
      headError(403, { 'x-amz-bucket-region': 'us-west-2' }),
    );
    s3.on(HeadBucketCommand, { Bucket: 'gone' }).rejects(headError(404));
    await expect(readBucketLocation(client, 'taken', HOME)).resolves.toEqual({
      exists: true,
      region: 'us-west-2',
      ownerVerified: false,
    });
    await expect(readBucketLocation(client, 'gone', HOME)).resolves.toEqual({
      exists: false,
      ownerVerified: false,
    });
  });

  it('says nothing of the owner when none is expected', async () => {
    s3.on(HeadBucketCommand).resolves({ BucketRegion: 'us-east-1' });
    await expect(readBucketLocation(client, 'a')).resolves.toEqual({ exists: true, region: 'us-east-1' });
    expect(s3.commandCalls(HeadBucketCommand)[0]!.args[0].input).toEqual({ Bucket: 'a' });
  });

  it('throws on 400 InvalidBucketOwnerAWSAccountID (a malformed owner)', async () => {
    s3.on(HeadBucketCommand).rejects(
      Object.assign(new Error('bad'), {
        name: 'InvalidBucketOwnerAWSAccountID',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(readBucketLocation(client, 'a', 'x')).rejects.toMatchObject({ name: 'AwsAdapterError' });
  });
});

describe('S3ReportReader: ExpectedBucketOwner', () => {
  it('sends the location account, else the default owner, on ListObjectsV2, GetObject and HeadObject', async () => {
    s3.on(ListObjectsV2Command).resolves({});
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => '{}' } as never });
    s3.on(HeadObjectCommand).resolves({ ContentLength: 3 });
    const reader = new S3ReportReader({ clientFor: async () => client, defaultOwner: async () => HOME });
    await reader.listFolders({ bucket: 'far', account: OTHER }, 'p/');
    await reader.readText({ bucket: 'near' }, 'k');
    await reader.objectSize({ bucket: 'near' }, 'k');
    expect(owners()).toEqual([
      ['ListObjectsV2', 'far', OTHER],
      ['GetObject', 'near', HOME],
      ['HeadObject', 'near', HOME],
    ]);
  });
});

describe('TaggingBucketSource: ExpectedBucketOwner', () => {
  it("sends the home account on the HeadBucket that learns a bucket's region", async () => {
    s3.on(HeadBucketCommand).rejects(headError(404));
    const source = new TaggingBucketSource({
      s3: client,
      expectedBucketOwner: async () => HOME,
      taggingFor: () => ({ send: async () => ({}) }) as never,
      region: 'us-east-1',
    });
    await expect(source.tagsOf('gone')).resolves.toEqual({});
    expect(owners()).toEqual([['HeadBucket', 'gone', HOME]]);
  });
});

describe('destinationOwners()', () => {
  it("names each destination's account from its facts, else the source's", () => {
    const facts = createMemoryEstate()
      .addBucket('src', { account: HOME, region: 'eu-west-1' })
      .addBucket('theirs', { account: OTHER, region: 'eu-west-1' })
      .factsFor('src');
    const owner = destinationOwners(facts);
    expect([owner('src'), owner('theirs'), owner('unknown')]).toEqual([HOME, OTHER, HOME]);
  });
});
