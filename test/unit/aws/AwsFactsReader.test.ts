import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  HeadBucketCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsFactsReader } from '../../../lib/aws/AwsFactsReader.js';
import { ClientFactory } from '../../../lib/aws/ClientFactory.js';
import { NotFoundError } from '../../../lib/aws/errors.js';
import { RunCache } from '../../../lib/aws/RunCache.js';
import { defaultKeyPolicy } from '../../helpers/memoryEstate.js';
import { headError, kmsError, s3Error, stsError } from './sdkErrors.js';

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const sts = mockClient(STSClient);
const HOME = '111122223333';
const OTHER = '222233334444';
const KEY = `arn:aws:kms:us-east-1:${HOME}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const destPolicy = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'x', Effect: 'Allow', Action: 's3:PutObject' }],
};
const assumed = {
  Credentials: {
    AccessKeyId: 'ASIA',
    SecretAccessKey: 's',
    SessionToken: 't',
    Expiration: new Date(Date.now() + 3_600_000),
  },
};
let factory: ClientFactory;

function keyMetadata(overrides: Record<string, unknown> = {}) {
  return {
    KeyMetadata: {
      KeyId: 'k',
      Arn: KEY,
      AWSAccountId: HOME,
      KeyState: 'Enabled',
      KeyManager: 'CUSTOMER',
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      ...overrides,
    },
  } as never;
}

beforeEach(() => {
  s3.reset();
  kms.reset();
  sts.reset();
  factory = new ClientFactory({ homeAccount: HOME, region: 'us-east-1', env: {} });
  s3.on(HeadBucketCommand).resolves({ BucketRegion: 'us-east-1' });
  s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify(destPolicy) });
  kms.on(DescribeKeyCommand).resolves(keyMetadata());
  kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify(defaultKeyPolicy(HOME)) });
});
afterEach(() => factory.destroy());

describe('AwsFactsReader: the source bucket region', () => {
  it('reads x-amz-bucket-region from HeadBucket', async () => {
    s3.on(HeadBucketCommand, { Bucket: 'src' }).resolves({ BucketRegion: 'eu-central-1' });
    const facts = await new AwsFactsReader({ factory }).read({ bucket: 'src', destinations: [], keys: [] });
    expect(facts).toEqual({
      bucket: 'src',
      account: HOME,
      region: 'eu-central-1',
      destinations: {},
      keys: {},
    });
    expect(s3.commandCalls(GetBucketLocationCommand)).toHaveLength(0);
  });

  it.each([
    ['EU', 'eu-west-1'],
    [undefined, 'us-east-1'],
    ['', 'us-east-1'],
    ['ap-south-1', 'ap-south-1'],
  ])(
    'falls back to GetBucketLocation %j = %s when HeadBucket names no region',
    async (constraint, region) => {
      s3.on(HeadBucketCommand).resolves({});
      s3.on(GetBucketLocationCommand).resolves(
        constraint === undefined ? {} : { LocationConstraint: constraint as never },
      );
      await expect(new AwsFactsReader({ factory }).bucketRegion('src')).resolves.toBe(region);
    },
  );

  it('takes a known region without any call', async () => {
    const facts = await new AwsFactsReader({ factory }).read({
      bucket: 'src',
      region: 'eu-west-2',
      destinations: [],
      keys: [],
    });
    expect(facts.region).toBe('eu-west-2');
    expect(s3.calls()).toHaveLength(0);
  });

  it('throws NotFoundError for a missing source bucket', async () => {
    s3.on(HeadBucketCommand).rejects(headError(404));
    const error = await new AwsFactsReader({ factory }).bucketRegion('gone').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'NoSuchBucket', resource: 'bucket' });
  });

  it('throws NotFoundError when S3 admits the bucket but names no region (403 without the header)', async () => {
    s3.on(HeadBucketCommand).rejects(headError(403));
    await expect(new AwsFactsReader({ factory }).bucketRegion('theirs')).rejects.toMatchObject({
      name: 'NotFoundError',
      code: 'NoBucketRegion',
    });
  });

  it('maps other HeadBucket failures', async () => {
    s3.on(HeadBucketCommand).rejects(s3Error('SlowDown', 503));
    await expect(new AwsFactsReader({ factory }).bucketRegion('src')).rejects.toMatchObject({
      name: 'ThrottledError',
    });
  });
});

describe('AwsFactsReader: destinations', () => {
  const read = (
    reader: AwsFactsReader,
    destinations: Parameters<AwsFactsReader['read']>[0]['destinations'],
  ) => reader.read({ bucket: 'src', region: 'us-east-1', destinations, keys: [] });

  it('reports an existing destination in the home account with its region and policy, writable', async () => {
    s3.on(HeadBucketCommand, { Bucket: 'dest' }).resolves({ BucketRegion: 'us-east-1' });
    const facts = await read(new AwsFactsReader({ factory }), ['dest']);
    expect(facts.destinations).toEqual({
      dest: {
        bucket: 'dest',
        exists: true,
        region: 'us-east-1',
        account: HOME,
        policy: { state: 'present', document: destPolicy },
        writable: true,
      },
    });
  });

  it('reports NoSuchBucketPolicy as no policy', async () => {
    s3.on(GetBucketPolicyCommand).rejects(s3Error('NoSuchBucketPolicy', 404));
    const facts = await read(new AwsFactsReader({ factory }), ['dest']);
    expect(facts.destinations.dest!.policy).toEqual({ state: 'none' });
  });

  it('reports a missing destination', async () => {
    s3.on(HeadBucketCommand, { Bucket: 'gone' }).rejects(headError(404));
    s3.on(GetBucketPolicyCommand, { Bucket: 'gone' }).rejects(s3Error('NoSuchBucket', 404));
    const facts = await read(new AwsFactsReader({ factory }), ['gone']);
    expect(facts.destinations.gone).toEqual({
      bucket: 'gone',
      exists: false,
      account: HOME,
      policy: { state: 'none' },
      writable: false,
    });
  });

  it('learns existence from the policy read when the region is known (one call)', async () => {
    s3.on(GetBucketPolicyCommand, { Bucket: 'gone' }).rejects(s3Error('NoSuchBucket', 404));
    const facts = await read(new AwsFactsReader({ factory }), [
      { bucket: 'gone', region: 'us-east-1' },
      { bucket: 'dest', region: 'us-east-1' },
    ]);
    expect(facts.destinations.gone!.exists).toBe(false);
    expect(facts.destinations.dest).toMatchObject({ exists: true, region: 'us-east-1' });
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(0);
  });

  it('reports an AccessDenied policy as unreadable and keeps the region of the 403', async () => {
    s3.on(HeadBucketCommand, { Bucket: 'theirs' }).rejects(
      headError(403, { 'x-amz-bucket-region': 'eu-west-1' }),
    );
    s3.on(GetBucketPolicyCommand, { Bucket: 'theirs' }).rejects(
      s3Error('AccessDenied', 403, 'Access Denied'),
    );
    const facts = await read(new AwsFactsReader({ factory }), ['theirs']);
    expect(facts.destinations.theirs).toMatchObject({
      exists: true,
      region: 'eu-west-1',
      policy: { state: 'unreadable', reason: expect.stringContaining('AccessDenied') },
    });
  });

  it('reports a policy that is not a policy document as unreadable', async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: 'not json' });
    const facts = await read(new AwsFactsReader({ factory }), ['dest']);
    expect(facts.destinations.dest!.policy).toMatchObject({
      state: 'unreadable',
      reason: expect.stringContaining('Malformed'),
    });
  });

  it('reads a destination in another account with its assumed role; writable unless only home is', async () => {
    sts.on(AssumeRoleCommand).resolves(assumed);
    const facts = await read(new AwsFactsReader({ factory }), [{ bucket: 'dest', account: OTHER }]);
    expect(facts.destinations.dest).toMatchObject({ account: OTHER, exists: true, writable: true });
    const other = await factory.s3({ account: OTHER, region: 'us-east-1' });
    expect(s3.commandCalls(GetBucketPolicyCommand)[0]!.thisValue).toBe(other);

    const homeOnly = await read(new AwsFactsReader({ factory, writable: 'home-account' }), [
      { bucket: 'dest', account: OTHER },
    ]);
    expect(homeOnly.destinations.dest!.writable).toBe(false);
  });

  it('falls back to its own credentials when the role in the other account cannot be assumed; not writable', async () => {
    sts.on(AssumeRoleCommand).rejects(stsError('AccessDenied'));
    const facts = await read(new AwsFactsReader({ factory }), [{ bucket: 'dest', account: OTHER }]);
    expect(facts.destinations.dest).toMatchObject({ account: OTHER, exists: true, writable: false });
    const home = await factory.s3({ account: HOME, region: 'us-east-1' });
    expect(s3.commandCalls(GetBucketPolicyCommand)[0]!.thisValue).toBe(home);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('rethrows failures that say nothing about the destination (throttling)', async () => {
    s3.on(GetBucketPolicyCommand).rejects(s3Error('SlowDown', 503));
    await expect(read(new AwsFactsReader({ factory }), ['dest'])).rejects.toMatchObject({
      name: 'ThrottledError',
    });
  });
});

describe('AwsFactsReader: KMS keys', () => {
  const read = (reader: AwsFactsReader, keys: string[]) =>
    reader.read({ bucket: 'src', region: 'us-east-1', destinations: [], keys });

  it('reports metadata and policy from DescribeKey and GetKeyPolicy', async () => {
    const facts = await read(new AwsFactsReader({ factory }), [KEY]);
    expect(facts.keys[KEY]).toEqual({
      keyArn: KEY,
      exists: true,
      region: 'us-east-1',
      account: HOME,
      keyState: 'Enabled',
      keyManager: 'CUSTOMER',
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      policy: { state: 'present', document: defaultKeyPolicy(HOME) },
      writable: true,
    });
    expect(kms.commandCalls(GetKeyPolicyCommand)[0]!.args[0].input).toEqual({
      KeyId: KEY,
      PolicyName: 'default',
    });
  });

  it('reports NotFoundException as a key that does not exist', async () => {
    kms.on(DescribeKeyCommand).rejects(kmsError('NotFoundException'));
    kms.on(GetKeyPolicyCommand).rejects(kmsError('NotFoundException'));
    const facts = await read(new AwsFactsReader({ factory }), [KEY]);
    expect(facts.keys[KEY]).toEqual({
      keyArn: KEY,
      exists: false,
      policy: { state: 'none' },
      writable: false,
    });
  });

  it('reports an AccessDenied key policy as unreadable, and unknown metadata when DescribeKey is denied', async () => {
    kms.on(GetKeyPolicyCommand).rejects(kmsError('AccessDeniedException'));
    kms.on(DescribeKeyCommand).rejects(kmsError('AccessDeniedException'));
    const facts = await read(new AwsFactsReader({ factory }), [KEY]);
    expect(facts.keys[KEY]).toEqual({
      keyArn: KEY,
      exists: true,
      region: 'us-east-1',
      account: HOME,
      policy: { state: 'unreadable', reason: expect.stringContaining('AccessDeniedException') },
      writable: true,
    });
  });

  it('rethrows DescribeKey failures that say nothing about the key (throttling)', async () => {
    kms.on(DescribeKeyCommand).rejects(kmsError('ThrottlingException'));
    await expect(read(new AwsFactsReader({ factory }), [KEY])).rejects.toMatchObject({
      name: 'ThrottledError',
    });
  });

  it('never marks an AWS managed key writable', async () => {
    kms.on(DescribeKeyCommand).resolves(keyMetadata({ KeyManager: 'AWS' }));
    const facts = await read(new AwsFactsReader({ factory }), [KEY]);
    expect(facts.keys[KEY]).toMatchObject({ keyManager: 'AWS', writable: false });
  });

  it('describes a key of an unreachable account with its own credentials and skips GetKeyPolicy', async () => {
    sts.on(AssumeRoleCommand).rejects(stsError('AccessDenied'));
    const foreign = `arn:aws:kms:eu-west-1:${OTHER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    kms.on(DescribeKeyCommand).resolves(keyMetadata({ Arn: foreign, AWSAccountId: OTHER }));
    const facts = await read(new AwsFactsReader({ factory }), [foreign]);
    expect(facts.keys[foreign]).toMatchObject({
      exists: true,
      region: 'eu-west-1',
      account: OTHER,
      policy: { state: 'unreadable' },
      writable: false,
    });
    expect(kms.commandCalls(GetKeyPolicyCommand)).toHaveLength(0);
    const home = await factory.kms({ account: HOME, region: 'eu-west-1' });
    expect(kms.commandCalls(DescribeKeyCommand)[0]!.thisValue).toBe(home);
  });
});

describe('AwsFactsReader: once per run', () => {
  it('reads a destination and a key shared by 10 sources once, for 10 concurrent callers', async () => {
    sts.on(AssumeRoleCommand).resolves(assumed);
    const reader = new AwsFactsReader({ factory, cache: new RunCache() });
    const sources = Array.from({ length: 10 }, (_, i) => `src-${i}`);
    const all = await Promise.all(
      sources.map((bucket) =>
        reader.read({
          bucket,
          destinations: ['dest', { bucket: 'shared', account: OTHER }],
          keys: [KEY, KEY],
        }),
      ),
    );
    expect(all.map((facts) => facts.destinations.dest!.exists)).toEqual(Array(10).fill(true));
    const headed = s3.commandCalls(HeadBucketCommand).map((call) => call.args[0].input.Bucket);
    expect(headed.filter((bucket) => bucket === 'dest')).toHaveLength(1);
    expect(headed.filter((bucket) => bucket === 'shared')).toHaveLength(1);
    expect(headed.filter((bucket) => bucket?.startsWith('src-'))).toHaveLength(10);
    expect(s3.commandCalls(GetBucketPolicyCommand)).toHaveLength(2);
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(1);
    expect(kms.commandCalls(GetKeyPolicyCommand)).toHaveLength(1);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('shares the cache between readers given the same RunCache, and a source that is also a destination', async () => {
    const cache = new RunCache();
    await new AwsFactsReader({ factory, cache }).read({ bucket: 'a', destinations: ['b'], keys: [] });
    await new AwsFactsReader({ factory, cache }).read({ bucket: 'b', destinations: ['a'], keys: [] });
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(2);
  });
});
