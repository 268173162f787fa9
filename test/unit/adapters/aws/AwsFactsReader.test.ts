import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import {
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  HeadBucketCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsFactsReader } from '../../../../lib/adapters/aws/AwsFactsReader.js';
import { ClientFactory } from '../../../../lib/adapters/aws/ClientFactory.js';
import { NotFoundError } from '../../../../lib/adapters/aws/errors.js';
import { RunCache } from '../../../../lib/adapters/aws/RunCache.js';
import { defaultKeyPolicy } from '../../../helpers/memoryEstate.js';
import { headError, kmsError, s3Error, stsError } from './sdkErrors.js';

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const sts = mockClient(STSClient);
const HOME = '111122223333';
const OTHER = '222233334444';
const KEY = `arn:aws:kms:us-east-1:${HOME}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const INVENTORY_TAG = { TagKey: 's3ir:inventory-key', TagValue: 'true' };
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
  factory = new ClientFactory({ homeAccount: HOME, region: 'us-east-1', env: {}, allowedAccounts: [OTHER] });
  s3.on(HeadBucketCommand).resolves({ BucketRegion: 'us-east-1' });
  s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify(destPolicy) });
  kms.on(DescribeKeyCommand).resolves(keyMetadata());
  kms.on(GetKeyPolicyCommand).resolves({ Policy: JSON.stringify(defaultKeyPolicy(HOME)) });
  kms.on(ListResourceTagsCommand).resolves({ Tags: [INVENTORY_TAG], Truncated: false });
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

  it('throws the refusal, naming the call and the code, when S3 refuses HeadBucket without the region header', async () => {
    s3.on(HeadBucketCommand).rejects(headError(403));
    await expect(new AwsFactsReader({ factory }).bucketRegion('theirs')).rejects.toMatchObject({
      name: 'AccessDeniedError',
      code: 'AccessDenied',
      status: 403,
      message: 'AccessDenied on HeadBucket theirs (403)',
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
        ownerVerified: true,
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
      ownerVerified: false,
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
      inventoryKeyTag: true,
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
      inventoryKeyTag: true,
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
    // ListResourceTags does not work across accounts either: the tag is unknown, not false.
    expect(kms.commandCalls(ListResourceTagsCommand)).toHaveLength(0);
    expect(facts.keys[foreign]!.inventoryKeyTag).toBeUndefined();
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
    expect(kms.commandCalls(ListResourceTagsCommand)).toHaveLength(1);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('shares the cache between readers given the same RunCache, and a source that is also a destination', async () => {
    const cache = new RunCache();
    await new AwsFactsReader({ factory, cache }).read({ bucket: 'a', destinations: ['b'], keys: [] });
    await new AwsFactsReader({ factory, cache }).read({ bucket: 'b', destinations: ['a'], keys: [] });
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(2);
  });
});

describe('AwsFactsReader: owner proof (ExpectedBucketOwner)', () => {
  const read = (
    reader: AwsFactsReader,
    destinations: Parameters<AwsFactsReader['read']>[0]['destinations'],
    account?: string,
  ) =>
    reader.read({
      bucket: 'src',
      region: 'us-east-1',
      destinations,
      keys: [],
      ...(account !== undefined && { account }),
    });
  const owners = (Command: typeof HeadBucketCommand | typeof GetBucketPolicyCommand) =>
    s3
      .commandCalls(Command)
      .map((call) => [call.args[0].input.Bucket, call.args[0].input.ExpectedBucketOwner]);

  it('sends the source account as owner when the configuration names none, and the named account otherwise', async () => {
    sts.on(AssumeRoleCommand).resolves(assumed);
    await read(new AwsFactsReader({ factory }), ['same', { bucket: 'far', account: OTHER }]);
    expect(owners(HeadBucketCommand).sort()).toEqual([
      ['far', OTHER],
      ['same', HOME],
    ]);
    expect(owners(GetBucketPolicyCommand).sort()).toEqual([
      ['far', OTHER],
      ['same', HOME],
    ]);
  });

  it('sends the source bucket owner on the source HeadBucket', async () => {
    sts.on(AssumeRoleCommand).resolves(assumed);
    await new AwsFactsReader({ factory }).bucketRegion('theirs-src', OTHER);
    expect(owners(HeadBucketCommand)).toEqual([['theirs-src', OTHER]]);
  });

  it('proves the owner with the one GetBucketPolicy of steady state (region known): no other call', async () => {
    s3.on(GetBucketPolicyCommand, { Bucket: 'empty' }).rejects(s3Error('NoSuchBucketPolicy', 404));
    const facts = await read(new AwsFactsReader({ factory }), [
      { bucket: 'dest', region: 'us-east-1' },
      { bucket: 'empty', region: 'us-east-1' },
    ]);
    expect(facts.destinations.dest).toMatchObject({ ownerVerified: true, writable: true });
    expect(facts.destinations.empty).toMatchObject({
      ownerVerified: true,
      writable: true,
      policy: { state: 'none' },
    });
    expect(s3.calls()).toHaveLength(2);
  });

  it('is not proved by a 403 on the policy read (another owner, or no permission): exists, not writable, no extra call', async () => {
    s3.on(GetBucketPolicyCommand, { Bucket: 'taken' }).rejects(s3Error('AccessDenied', 403));
    const facts = await read(new AwsFactsReader({ factory }), [{ bucket: 'taken', region: 'us-east-1' }]);
    expect(facts.destinations.taken).toEqual({
      bucket: 'taken',
      exists: true,
      region: 'us-east-1',
      account: HOME,
      policy: { state: 'unreadable', reason: expect.stringContaining('AccessDenied') },
      writable: false,
      ownerVerified: false,
    });
    expect(owners(GetBucketPolicyCommand)).toEqual([['taken', HOME]]);
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(0);
  });

  it('is not proved when the policy read is refused, even if HeadBucket answers 200', async () => {
    s3.on(GetBucketPolicyCommand, { Bucket: 'listable' }).rejects(s3Error('AccessDenied', 403));
    const facts = await read(new AwsFactsReader({ factory }), ['listable']);
    expect(facts.destinations.listable).toMatchObject({
      exists: true,
      ownerVerified: false,
      writable: false,
      policy: { state: 'unreadable' },
    });
  });

  it("is not proved when the first read's HeadBucket refuses the owner (403), though the policy answered", async () => {
    s3.on(HeadBucketCommand, { Bucket: 'half' }).rejects(
      headError(403, { 'x-amz-bucket-region': 'us-east-1' }),
    );
    const facts = await read(new AwsFactsReader({ factory }), ['half']);
    expect(facts.destinations.half).toMatchObject({ exists: true, ownerVerified: false, writable: false });
  });

  it('is false for a missing bucket', async () => {
    s3.on(GetBucketPolicyCommand, { Bucket: 'gone' }).rejects(s3Error('NoSuchBucket', 404));
    const facts = await read(new AwsFactsReader({ factory }), [{ bucket: 'gone', region: 'us-east-1' }]);
    expect(facts.destinations.gone).toMatchObject({ exists: false, ownerVerified: false, writable: false });
  });

  it('reads a destination of a non-allowed account with home credentials and never tries AssumeRole there', async () => {
    const FOREIGN = '999988887777';
    sts.on(AssumeRoleCommand).resolves(assumed);
    s3.on(GetBucketPolicyCommand, { Bucket: 'foreign' }).rejects(s3Error('AccessDenied', 403));
    s3.on(HeadBucketCommand, { Bucket: 'foreign' }).rejects(
      headError(403, { 'x-amz-bucket-region': 'us-east-1' }),
    );
    const facts = await read(new AwsFactsReader({ factory }), [{ bucket: 'foreign', account: FOREIGN }]);
    expect(owners(HeadBucketCommand)).toEqual([['foreign', FOREIGN]]);
    expect(facts.destinations.foreign).toMatchObject({
      account: FOREIGN,
      exists: true,
      ownerVerified: false,
      writable: false,
    });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(owners(GetBucketPolicyCommand)).toEqual([['foreign', FOREIGN]]);
    const home = await factory.s3({ account: HOME, region: 'us-east-1' });
    expect(s3.commandCalls(GetBucketPolicyCommand)[0]!.thisValue).toBe(home);
  });

  it('proves a destination in another allowed account through its role (the role answered)', async () => {
    sts.on(AssumeRoleCommand).resolves(assumed);
    const facts = await read(new AwsFactsReader({ factory }), [
      { bucket: 'far', account: OTHER, region: 'us-east-1' },
    ]);
    expect(facts.destinations.far).toMatchObject({ account: OTHER, ownerVerified: true, writable: true });
    const theirs = await factory.s3({ account: OTHER, region: 'us-east-1' });
    expect(s3.commandCalls(GetBucketPolicyCommand)[0]!.thisValue).toBe(theirs);
  });
});

describe('AwsFactsReader: S3IR_DESTINATION_BUCKETS', () => {
  const read = (destinationBuckets: readonly string[] | undefined) =>
    new AwsFactsReader({ factory, ...(destinationBuckets && { destinationBuckets }) }).read({
      bucket: 'src',
      region: 'us-east-1',
      destinations: ['inv-reports', 'logs-eu', 'other'].map((bucket) => ({ bucket, region: 'us-east-1' })),
      keys: [],
    });
  const writable = async (destinationBuckets: readonly string[] | undefined) =>
    Object.fromEntries(
      Object.values((await read(destinationBuckets)).destinations).map((facts) => [
        facts.bucket,
        facts.writable,
      ]),
    );

  it('leaves every destination writable when the variable is absent', async () => {
    expect(await writable(undefined)).toEqual({ 'inv-reports': true, 'logs-eu': true, other: true });
  });

  it('makes a destination matching neither a name nor a prefix* not writable', async () => {
    expect(await writable(['inv-reports', 'logs-*'])).toEqual({
      'inv-reports': true,
      'logs-eu': true,
      other: false,
    });
  });

  it('makes none writable when the list is empty, and every one with *', async () => {
    expect(await writable([])).toEqual({ 'inv-reports': false, 'logs-eu': false, other: false });
    expect(await writable(['*'])).toEqual({ 'inv-reports': true, 'logs-eu': true, other: true });
  });
});

describe('AwsFactsReader: the s3ir:inventory-key tag', () => {
  const read = (reader: AwsFactsReader) =>
    reader.read({ bucket: 'src', region: 'us-east-1', destinations: [], keys: [KEY] });

  it('reads the tags once with ListResourceTags and keeps a tagged key writable', async () => {
    const facts = await read(new AwsFactsReader({ factory }));
    expect(facts.keys[KEY]).toMatchObject({ inventoryKeyTag: true, writable: true });
    expect(kms.commandCalls(ListResourceTagsCommand).map((call) => call.args[0].input)).toEqual([
      { KeyId: KEY, Limit: 50 },
    ]);
  });

  it.each([
    ['no tags', []],
    ['another tag', [{ TagKey: 'team', TagValue: 'data' }]],
    ['the tag with another value', [{ TagKey: 's3ir:inventory-key', TagValue: 'TRUE' }]],
    ['the tag key in another case', [{ TagKey: 'S3IR:inventory-key', TagValue: 'true' }]],
  ])('makes a key with %s not writable (inventoryKeyTag false)', async (_, Tags) => {
    kms.on(ListResourceTagsCommand).resolves({ Tags, Truncated: false });
    const facts = await read(new AwsFactsReader({ factory }));
    expect(facts.keys[KEY]).toMatchObject({ exists: true, inventoryKeyTag: false, writable: false });
  });

  it('follows NextMarker to a later page', async () => {
    kms
      .on(ListResourceTagsCommand)
      .resolvesOnce({ Tags: [{ TagKey: 'a', TagValue: '1' }], Truncated: true, NextMarker: 'm1' })
      .resolvesOnce({ Tags: [INVENTORY_TAG], Truncated: false });
    const facts = await read(new AwsFactsReader({ factory }));
    expect(facts.keys[KEY]).toMatchObject({ inventoryKeyTag: true, writable: true });
    expect(kms.commandCalls(ListResourceTagsCommand)[1]!.args[0].input).toEqual({
      KeyId: KEY,
      Limit: 50,
      Marker: 'm1',
    });
  });

  it('leaves the tag unknown and the key not writable when ListResourceTags is denied', async () => {
    kms.on(ListResourceTagsCommand).rejects(kmsError('AccessDeniedException'));
    const facts = await read(new AwsFactsReader({ factory }));
    expect(facts.keys[KEY]!.inventoryKeyTag).toBeUndefined();
    expect(facts.keys[KEY]).toMatchObject({ exists: true, writable: false });
  });

  it('rethrows ListResourceTags failures that say nothing about the key (throttling)', async () => {
    kms.on(ListResourceTagsCommand).rejects(kmsError('ThrottlingException'));
    await expect(read(new AwsFactsReader({ factory }))).rejects.toMatchObject({ name: 'ThrottledError' });
  });
});
