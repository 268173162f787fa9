import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { CreateBucketCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { DynamoDesiredStore } from '../../../lib/adapters/aws/DynamoDesiredStore.js';
import { TaggingBucketSource } from '../../../lib/adapters/aws/TaggingBucketSource.js';
import { fileToItems } from '../../../lib/core/desired/tableItems.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { inBatches, localFactory, uniqueBucket } from '../aws/localFactory.js';
import { documentClient, localNames } from './serviceLocal.js';

let factory: ClientFactory;
let store: DynamoDesiredStore;
let catalog: TaggingBucketSource;
const own = uniqueBucket('ds-own');
const tagged = uniqueBucket('ds-tagged');
const template = uniqueBucket('tpl');

beforeAll(async () => {
  factory = localFactory();
  const s3 = await factory.s3();
  catalog = new TaggingBucketSource({ s3, tagging: await factory.client(ResourceGroupsTaggingAPIClient) });
  store = new DynamoDesiredStore({
    client: await documentClient(factory),
    tableName: localNames().desiredTable,
    tagsOf: (bucket) => catalog.tagsOf(bucket),
    scanSegments: 3,
  });
  await s3.send(new CreateBucketCommand({ Bucket: tagged }));
  await s3.send(
    new PutBucketTaggingCommand({ Bucket: tagged, Tagging: { TagSet: [{ Key: 'tier', Value: template }] } }),
  );
  const many = Array.from({ length: 60 }, (_, i) =>
    makeConfiguration({ Id: `inv-${String(i).padStart(2, '0')}` }),
  );
  const items = fileToItems(
    {
      version: 1,
      buckets: { [own]: { mode: 'detect', region: 'us-east-1', inventories: many } },
      templates: [
        {
          name: template,
          match: { tags: { tier: template }, names: ['ds-tagged-*'] },
          inventories: [makeConfiguration({ Id: 'from-template' })],
        },
      ],
    },
    { fileName: 'it.yaml', appliedBy: 'tester', appliedAt: '2026-01-01T00:00:00Z' },
  );
  await store.putItems(items as unknown as Record<string, unknown>[]);
});
afterAll(() => factory.destroy());

describe('DynamoDesiredStore on the local AWS', () => {
  it('reads one bucket: every item of its partition, with its settings', async () => {
    const bucket = await store.getBucket(own);
    expect(bucket).toMatchObject({ bucket: own, mode: 'detect', prune: false, region: 'us-east-1' });
    expect(bucket!.items).toHaveLength(60);
    expect(bucket!.items[0]).toMatchObject({
      bucket: own,
      id: 'inv-00',
      configuration: makeConfiguration({ Id: 'inv-00' }),
    });
  });

  it('gives a bucket that only a template selects (by tag and name) the template configuration', async () => {
    const bucket = await store.getBucket(tagged);
    expect(bucket?.items.map((item) => item.id)).toEqual(['from-template']);
    expect(await store.getBucket(uniqueBucket('ds-tagged'))).toBeUndefined(); // no such tags
    expect(await store.getBucket(uniqueBucket('nothing'))).toBeUndefined();
  });

  it('lists declared buckets and templates with a parallel Scan', async () => {
    const catalogued = await store.listBuckets();
    expect(catalogued.buckets).toContain(own);
    expect(catalogued.buckets.some((name) => name.startsWith('#'))).toBe(false);
    expect(catalogued.templates.map((entry) => entry.template.name)).toContain(template);
  });

  it('deletes items', async () => {
    const gone = uniqueBucket('ds-gone');
    await store.putItems([{ bucket: gone, id: 'x', configuration: makeConfiguration({ Id: 'x' }) }]);
    expect(await store.getBucket(gone)).toBeDefined();
    await store.deleteItems([{ bucket: gone, id: 'x' }]);
    expect(await store.getBucket(gone)).toBeUndefined();
  });
});

describe('DynamoDesiredStore.keepRegion() on the local AWS', () => {
  it('adds the region to a settings item that has none, once, and never overwrites one', async () => {
    const bucket = uniqueBucket('ds-region');
    await store.putItems([
      { bucket, id: '#bucket', settings: { mode: 'detect' }, source: 'file:x.yaml' },
      { bucket, id: 'x', configuration: makeConfiguration({ Id: 'x' }) },
    ]);
    await store.keepRegion(bucket, 'eu-west-1');
    await store.keepRegion(bucket, 'us-west-2');
    expect(await store.getBucket(bucket)).toMatchObject({ mode: 'detect', region: 'eu-west-1' });
    const documents = await documentClient(factory);
    const { Item } = await documents.send(
      new GetCommand({ TableName: localNames().desiredTable, Key: { bucket, id: '#bucket' } }),
    );
    expect(Item).toEqual({
      bucket,
      id: '#bucket',
      settings: { mode: 'detect', region: 'eu-west-1' },
      source: 'file:x.yaml',
    });
  });

  it('keeps the region of a bucket only templates reach without declaring it', async () => {
    await store.keepRegion(tagged, 'us-east-1');
    const bucket = await store.getBucket(tagged);
    expect(bucket).toMatchObject({ region: 'us-east-1', mode: 'enforce' });
    expect(bucket?.items.map((item) => item.id)).toEqual(['from-template']);
    expect((await store.listBuckets()).buckets).not.toContain(tagged);
  });

  it('tells the sweep where buckets live: declared regions and accounts, and learned regions', async () => {
    const elsewhere = uniqueBucket('ds-elsewhere');
    await store.putItems([
      { bucket: elsewhere, id: '#bucket', settings: { region: 'eu-west-1', account: '210987654321' } },
      { bucket: elsewhere, id: 'x', configuration: makeConfiguration({ Id: 'x' }) },
    ]);
    await store.keepRegion(tagged, 'us-east-1');
    const { locations, buckets } = await store.listBuckets();
    expect(locations?.get(own)).toEqual({ region: 'us-east-1' });
    expect(locations?.get(elsewhere)).toEqual({ region: 'eu-west-1', account: '210987654321' });
    // Learned only: not a declared bucket, but the sweep reaches it through its template.
    expect(locations?.get(tagged)).toEqual({ region: 'us-east-1' });
    expect(buckets).not.toContain(tagged);
    expect([...(locations?.keys() ?? [])].some((name) => name.startsWith('#'))).toBe(false);
  });
});

describe('TaggingBucketSource on the local AWS (GetResources through the gateway to moto)', () => {
  it("lists the account buckets, finds buckets by tag and reads one bucket's tags", async () => {
    const untagged = uniqueBucket('cat-untagged');
    await (await factory.s3()).send(new CreateBucketCommand({ Bucket: untagged }));
    expect(await catalog.accountBuckets()).toEqual(expect.arrayContaining([tagged, untagged]));
    expect(await catalog.bucketsTagged({ tier: template })).toEqual([tagged]);
    expect(await catalog.bucketsTagged({ tier: template, other: 'x' })).toEqual([]);
    expect(await catalog.tagsOf(tagged)).toEqual({ tier: template });
    expect(await catalog.tagsOf(untagged)).toEqual({});
  });

  it('pages through more than 100 tagged buckets', async () => {
    const s3 = await factory.s3();
    const tier = uniqueBucket('many');
    const names = Array.from({ length: 105 }, (_, i) => `${tier}-${String(i).padStart(3, '0')}`);
    await inBatches(names, 8, async (Bucket) => {
      await s3.send(new CreateBucketCommand({ Bucket }));
      await s3.send(
        new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'tier', Value: tier }] } }),
      );
    });
    expect(await catalog.bucketsTagged({ tier })).toEqual(names);
  });
});
