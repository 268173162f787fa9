import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { CreateBucketCommand, ListBucketsCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { TaggingBucketSource } from '../../../lib/adapters/aws/TaggingBucketSource.js';
import { LOCAL_REGION, localFactory, uniqueBucket } from './localFactory.js';

const OTHER_REGION = 'eu-west-1';
let factory: ClientFactory;
let asked: string[];
const tier = uniqueBucket('tier');
const home = uniqueBucket('tag-home');
const away = uniqueBucket('tag-away');
const untagged = uniqueBucket('tag-none');

/** The source as the service builds it: one tagging client per region, from the one factory. */
function regionalSource(): TaggingBucketSource {
  return new TaggingBucketSource({
    s3: { send: async (command) => (await factory.s3()).send(command as never) },
    region: LOCAL_REGION,
    taggingFor: (region) => {
      asked.push(region);
      return factory.client(ResourceGroupsTaggingAPIClient, { region });
    },
  });
}

beforeAll(async () => {
  factory = localFactory();
  const tagged = [
    [home, LOCAL_REGION],
    [away, OTHER_REGION],
  ] as const;
  for (const [Bucket, region] of tagged) {
    const s3 = await factory.s3({ region });
    await s3.send(
      new CreateBucketCommand({
        Bucket,
        ...(region !== 'us-east-1' && {
          CreateBucketConfiguration: { LocationConstraint: region as typeof OTHER_REGION },
        }),
      }),
    );
    await s3.send(
      new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'tier', Value: tier }] } }),
    );
  }
  await (await factory.s3()).send(new CreateBucketCommand({ Bucket: untagged }));
});
afterAll(() => factory.destroy());

describe('TaggingBucketSource across regions on the local AWS', () => {
  it('selects tagged buckets of both regions, asking each region ListBuckets names', async () => {
    asked = [];
    expect(await regionalSource().bucketsTagged({ tier })).toEqual([home, away].sort());
    // The regions ListBuckets reports: each bucket's own, as AWS gives it (the gateway answers ListBuckets
    // where moto 5.2.1 gives no BucketRegion: infra/local/README.md).
    const listing = await (await factory.s3()).send(new ListBucketsCommand({}));
    const regionOf = new Map((listing.Buckets ?? []).map((bucket) => [bucket.Name, bucket.BucketRegion]));
    expect([regionOf.get(home), regionOf.get(away), regionOf.get(untagged)]).toEqual([
      LOCAL_REGION,
      OTHER_REGION,
      LOCAL_REGION,
    ]);
    const regions = new Set((listing.Buckets ?? []).map((bucket) => bucket.BucketRegion ?? LOCAL_REGION));
    expect(asked.sort()).toEqual([...regions].sort());
  });

  it("discovery's reads: one ListBuckets walk with every bucket's region, and every tagged bucket's whole tag set per region", async () => {
    asked = [];
    const source = regionalSource();
    const listed = new Map((await source.bucketLocations()).map((bucket) => [bucket.name, bucket.region]));
    expect([listed.get(home), listed.get(away), listed.get(untagged)]).toEqual([
      LOCAL_REGION,
      OTHER_REGION,
      LOCAL_REGION,
    ]);
    const tags = await source.tagsIn([LOCAL_REGION, OTHER_REGION]);
    expect([tags.get(home), tags.get(away), tags.get(untagged) ?? {}]).toEqual([{ tier }, { tier }, {}]);
    expect(asked.sort()).toEqual([OTHER_REGION, LOCAL_REGION]);
  });

  it("reads one bucket's tags in its own region", async () => {
    asked = [];
    const source = regionalSource();
    expect(await source.tagsOf(away)).toEqual({ tier });
    expect(await source.tagsOf(home)).toEqual({ tier });
    expect(await source.tagsOf(untagged)).toEqual({});
    expect(await source.tagsOf(uniqueBucket('tag-missing'))).toEqual({});
    expect(asked).toEqual([OTHER_REGION, LOCAL_REGION, LOCAL_REGION]);
  });
});
