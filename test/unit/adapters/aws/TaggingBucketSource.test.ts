import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import {
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsAdapterError } from '../../../../lib/adapters/aws/errors.js';
import { RESOURCES_PER_PAGE, TaggingBucketSource } from '../../../../lib/adapters/aws/TaggingBucketSource.js';
import type { TemplateDeclaration } from '../../../../lib/core/desired/resolveTemplates.js';
import { discoverAccount } from '../../../../lib/usecases/discovery/discoverAccount.js';
import type { BucketMessage } from '../../../../lib/usecases/reconcileMessage/bucketMessage.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { headError, s3Error } from './sdkErrors.js';

const s3Client = new S3Client({ region: 'us-east-1' });
const s3 = mockClient(s3Client);
const regions = ['us-east-1', 'eu-west-1', 'ap-south-1'] as const;
const taggingClients = Object.fromEntries(
  regions.map((region) => [region, new ResourceGroupsTaggingAPIClient({ region })]),
);
const tagging = Object.fromEntries(regions.map((region) => [region, mockClient(taggingClients[region]!)]));
let asked: string[];

function regional(): TaggingBucketSource {
  return new TaggingBucketSource({
    s3: s3Client,
    region: 'us-east-1',
    taggingFor: (region) => {
      asked.push(region);
      return taggingClients[region]!;
    },
  });
}

const mapping = (bucket: string, tags: Record<string, string>) => ({
  ResourceARN: `arn:aws:s3:::${bucket}`,
  Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
});

beforeEach(() => {
  s3.reset();
  for (const mock of Object.values(tagging)) mock.reset();
  asked = [];
});

describe('TaggingBucketSource.bucketsTagged()', () => {
  it('asks GetResources in every region ListBuckets names, and joins the answers', async () => {
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: 'photos-prod', BucketRegion: 'us-east-1' },
        { Name: 'photos-eu', BucketRegion: 'eu-west-1' },
        { Name: 'logs-eu', BucketRegion: 'eu-west-1' },
      ],
    });
    tagging['us-east-1']!.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [mapping('photos-prod', { env: 'prod' })],
    });
    tagging['eu-west-1']!.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        mapping('photos-eu', { env: 'prod', team: 'eu' }),
        mapping('logs-eu', { env: 'dev' }),
      ],
    });

    expect(await regional().bucketsTagged({ env: 'prod' })).toEqual(['photos-eu', 'photos-prod']);
    expect(asked.sort()).toEqual(['eu-west-1', 'us-east-1']);
    for (const region of ['us-east-1', 'eu-west-1']) {
      expect(tagging[region]!.commandCalls(GetResourcesCommand).map((call) => call.args[0].input)).toEqual([
        {
          ResourceTypeFilters: ['s3:bucket'],
          TagFilters: [{ Key: 'env', Values: ['prod'] }],
          ResourcesPerPage: RESOURCES_PER_PAGE,
        },
      ]);
    }
    expect(tagging['ap-south-1']!.calls()).toEqual([]);
  });

  it('pages through GetResources in each region with the exact tokens', async () => {
    s3.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: 'a', BucketRegion: 'us-east-1' },
        { Name: 'z', BucketRegion: 'ap-south-1' },
      ],
    });
    const page = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) =>
        mapping(`b-${String(from + i).padStart(3, '0')}`, { tier: 'x' }),
      );
    tagging['us-east-1']!.on(GetResourcesCommand, { PaginationToken: undefined })
      .resolves({ ResourceTagMappingList: page(0, 100), PaginationToken: 'us-1' })
      .on(GetResourcesCommand, { PaginationToken: 'us-1' })
      .resolves({ ResourceTagMappingList: page(100, 100), PaginationToken: 'us-2' })
      .on(GetResourcesCommand, { PaginationToken: 'us-2' })
      .resolves({ ResourceTagMappingList: page(200, 5), PaginationToken: '' });
    tagging['ap-south-1']!.on(GetResourcesCommand, { PaginationToken: undefined })
      .resolves({ ResourceTagMappingList: page(300, 100), PaginationToken: 'ap-1' })
      .on(GetResourcesCommand, { PaginationToken: 'ap-1' })
      .resolves({ ResourceTagMappingList: page(400, 1) });

    const found = await regional().bucketsTagged({ tier: 'x' });

    expect(found).toHaveLength(306);
    expect(found[0]).toBe('b-000');
    expect(found.at(-1)).toBe('b-400');
    const tokens = (region: string) =>
      tagging[region]!.commandCalls(GetResourcesCommand).map((call) => call.args[0].input.PaginationToken);
    expect(tokens('us-east-1')).toEqual([undefined, 'us-1', 'us-2']);
    expect(tokens('ap-south-1')).toEqual([undefined, 'ap-1']);
  });

  it('lists every page of ListBuckets to learn the regions, and counts a bucket with no region as home', async () => {
    s3.on(ListBucketsCommand, { ContinuationToken: undefined })
      .resolves({ Buckets: [{ Name: 'old' }], ContinuationToken: 'next' })
      .on(ListBucketsCommand, { ContinuationToken: 'next' })
      .resolves({ Buckets: [{ Name: 'new', BucketRegion: 'eu-west-1' }] });
    tagging['us-east-1']!.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [mapping('old', { a: '1' })],
    });
    tagging['eu-west-1']!.on(GetResourcesCommand).resolves({});

    expect(await regional().bucketsTagged({ a: '1' })).toEqual(['old']);
    expect(asked.sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(s3.commandCalls(ListBucketsCommand).map((call) => call.args[0].input)).toEqual([
      { MaxBuckets: 1000, ContinuationToken: undefined },
      { MaxBuckets: 1000, ContinuationToken: 'next' },
    ]);
  });

  it('asks nothing of the tagging API when the account has no bucket', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [] });
    expect(await regional().bucketsTagged({ env: 'prod' })).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('keeps only buckets that carry every tag with its value, and only bucket ARNs', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'a', BucketRegion: 'us-east-1' }] });
    tagging['us-east-1']!.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        mapping('loose', { env: 'prod' }),
        mapping('exact', { env: 'prod', team: 'web' }),
        { ResourceARN: 'arn:aws:s3:::exact/object', Tags: [{ Key: 'env', Value: 'prod' }] },
        { ResourceARN: 'arn:aws:sqs:us-east-1:123456789012:queue', Tags: [{ Key: 'env', Value: 'prod' }] },
      ],
    });
    expect(await regional().bucketsTagged({ env: 'prod', team: 'web' })).toEqual(['exact']);
  });

  it('with one tagging client asks only that client, and never ListBuckets', async () => {
    tagging['eu-west-1']!.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [mapping('photos-eu', { env: 'prod' })],
    });
    const source = new TaggingBucketSource({ s3: s3Client, tagging: taggingClients['eu-west-1']! });
    expect(await source.bucketsTagged({ env: 'prod' })).toEqual(['photos-eu']);
    expect(s3.calls()).toEqual([]);
  });

  it('turns an SDK failure into an AwsAdapterError naming the call and region', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'a', BucketRegion: 'eu-west-1' }] });
    tagging['eu-west-1']!.on(GetResourcesCommand).rejects(s3Error('ThrottlingException', 400));
    const failure = regional().bucketsTagged({ env: 'prod' });
    await expect(failure).rejects.toBeInstanceOf(AwsAdapterError);
    await expect(failure).rejects.toThrow(/GetResources s3:bucket eu-west-1/);
  });
});

describe('TaggingBucketSource.tagsOf()', () => {
  it("asks the bucket's own region, learned once with HeadBucket", async () => {
    s3.on(HeadBucketCommand, { Bucket: 'photos-eu' }).resolves({ BucketRegion: 'eu-west-1' });
    tagging['eu-west-1']!.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [mapping('other', { x: 'y' }), mapping('photos-eu', { env: 'prod' })],
    });
    const source = regional();
    expect(await source.tagsOf('photos-eu')).toEqual({ env: 'prod' });
    expect(await source.tagsOf('photos-eu')).toEqual({ env: 'prod' });
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(1);
    expect(asked).toEqual(['eu-west-1', 'eu-west-1']);
    expect(tagging['eu-west-1']!.commandCalls(GetResourcesCommand)[0]!.args[0].input).toEqual({
      ResourceARNList: ['arn:aws:s3:::photos-eu'],
    });
  });

  it('uses a region the caller gives, or one ListBuckets named, without HeadBucket', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'listed', BucketRegion: 'ap-south-1' }] });
    tagging['ap-south-1']!.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [mapping('listed', { a: 'b' }), mapping('given', { c: 'd' })],
    });
    const source = regional();
    await source.accountBuckets();
    expect(await source.tagsOf('listed')).toEqual({ a: 'b' });
    expect(await source.tagsOf('given', 'ap-south-1')).toEqual({ c: 'd' });
    expect(s3.commandCalls(HeadBucketCommand)).toEqual([]);
  });

  it('has no tags for a bucket that does not exist, and reads an old-style location when HeadBucket names none', async () => {
    s3.on(HeadBucketCommand, { Bucket: 'gone' }).rejects(headError(404));
    s3.on(HeadBucketCommand, { Bucket: 'quiet' }).resolves({});
    s3.on(GetBucketLocationCommand, { Bucket: 'quiet' }).resolves({ LocationConstraint: 'EU' });
    tagging['eu-west-1']!.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [mapping('quiet', { q: '1' })],
    });
    const source = regional();
    expect(await source.tagsOf('gone')).toEqual({});
    expect(asked).toEqual([]);
    expect(await source.tagsOf('quiet')).toEqual({ q: '1' });
    expect(asked).toEqual(['eu-west-1']);
  });
});

describe('TaggingBucketSource.tagsIn() (discovery, #18)', () => {
  it('asks each region once with no tag filter, every page, and gives every tagged bucket its whole tag set', async () => {
    tagging['us-east-1']!.on(GetResourcesCommand, { PaginationToken: undefined })
      .resolves({ ResourceTagMappingList: [mapping('a', { team: 'sec', cost: '7' })], PaginationToken: 't' })
      .on(GetResourcesCommand, { PaginationToken: 't' })
      .resolves({ ResourceTagMappingList: [mapping('b', {})] });
    tagging['eu-west-1']!.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        mapping('c', { team: 'web' }),
        { ResourceARN: 'arn:aws:s3:::c/key', Tags: [{ Key: 'x', Value: 'y' }] },
      ],
    });
    const tags = await regional().tagsIn(['us-east-1', 'eu-west-1', 'us-east-1']);
    expect(Object.fromEntries(tags)).toEqual({ a: { team: 'sec', cost: '7' }, b: {}, c: { team: 'web' } });
    expect(asked).toEqual(['eu-west-1', 'us-east-1']);
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const { args } of tagging[region]!.commandCalls(GetResourcesCommand))
        expect(args[0].input).toMatchObject({ ResourceTypeFilters: ['s3:bucket'], ResourcesPerPage: 100 });
      for (const { args } of tagging[region]!.commandCalls(GetResourcesCommand))
        expect(args[0].input).not.toHaveProperty('TagFilters');
    }
    expect(tagging['us-east-1']!.commandCalls(GetResourcesCommand)).toHaveLength(2);
    expect(s3.calls()).toEqual([]);
  });

  it('asks nothing for no region', async () => {
    expect((await regional().tagsIn([])).size).toBe(0);
    expect(asked).toEqual([]);
  });
});

describe('discoverAccount() over TaggingBucketSource (#18 point 4: calls per bucket)', () => {
  const ACCOUNT = '222233334444';
  const OU = 'ou-ab12-cdef3456';
  const discover = (source: TaggingBucketSource) => {
    const sent: BucketMessage[] = [];
    const run = discoverAccount(
      { account: ACCOUNT, runId: 'sweep-1' },
      {
        templates: async () => [
          {
            template: {
              name: 'org',
              match: { tags: { team: 'sec' }, accounts: [OU] },
              inventories: [makeConfiguration({ Id: 'org' })],
            } as TemplateDeclaration['template'],
            defaults: {},
            origin: 'org',
          },
        ],
        allowedAccounts: async () => new Set([ACCOUNT]),
        parentsOf: async () => [OU],
        bucketsOf: () => source,
        queue: { enqueue: async (messages) => void sent.push(...messages) },
      },
    );
    return { run, sent };
  };

  it('walks ListBuckets once (every page), asks no HeadBucket when it gives regions, and one GetResources walk per region', async () => {
    s3.on(ListBucketsCommand, { ContinuationToken: undefined })
      .resolves({
        Buckets: [
          { Name: 'sec-us', BucketRegion: 'us-east-1' },
          { Name: 'web-us', BucketRegion: 'us-east-1' },
        ],
        ContinuationToken: 'page-2',
      })
      .on(ListBucketsCommand, { ContinuationToken: 'page-2' })
      .resolves({ Buckets: [{ Name: 'sec-eu', BucketRegion: 'eu-west-1' }] });
    tagging['us-east-1']!.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [mapping('sec-us', { team: 'sec' }), mapping('web-us', { team: 'web' })],
    });
    tagging['eu-west-1']!.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [mapping('sec-eu', { team: 'sec', cost: '7' })],
    });
    const { run, sent } = discover(regional());

    expect(await run).toEqual({ account: ACCOUNT, buckets: ['sec-eu', 'sec-us'] });
    expect(sent).toEqual([
      {
        bucket: 'sec-eu',
        runId: 'sweep-1',
        reason: 'discovery',
        account: ACCOUNT,
        region: 'eu-west-1',
        tags: { team: 'sec', cost: '7' },
      },
      {
        bucket: 'sec-us',
        runId: 'sweep-1',
        reason: 'discovery',
        account: ACCOUNT,
        region: 'us-east-1',
        tags: { team: 'sec' },
      },
    ]);
    expect(s3.commandCalls(ListBucketsCommand).map(({ args }) => args[0].input.ContinuationToken)).toEqual([
      undefined,
      'page-2',
    ]);
    expect(s3.commandCalls(HeadBucketCommand)).toEqual([]);
    expect(tagging['us-east-1']!.commandCalls(GetResourcesCommand)).toHaveLength(1);
    expect(tagging['eu-west-1']!.commandCalls(GetResourcesCommand)).toHaveLength(1);
  });

  it('asks HeadBucket only for a bucket ListBuckets gave no region, and says so', async () => {
    s3.on(ListBucketsCommand).resolves({
      Buckets: [{ Name: 'sec-us', BucketRegion: 'us-east-1' }, { Name: 'sec-old' }],
    });
    s3.on(HeadBucketCommand, { Bucket: 'sec-old' }).resolves({ BucketRegion: 'eu-west-1' });
    tagging['us-east-1']!.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [mapping('sec-us', { team: 'sec' })],
    });
    tagging['eu-west-1']!.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [mapping('sec-old', { team: 'sec' })],
    });
    const { run, sent } = discover(regional());

    expect(await run).toEqual({
      account: ACCOUNT,
      buckets: ['sec-old', 'sec-us'],
      regionsAsked: ['sec-old'],
    });
    expect(sent.map(({ bucket, region }) => [bucket, region])).toEqual([
      ['sec-old', 'eu-west-1'],
      ['sec-us', 'us-east-1'],
    ]);
    expect(s3.commandCalls(HeadBucketCommand).map(({ args }) => args[0].input.Bucket)).toEqual(['sec-old']);
    expect(s3.commandCalls(ListBucketsCommand)).toHaveLength(1);
  });
});
