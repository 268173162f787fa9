import { CreateBucketCommand, PutBucketTaggingCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../lib/aws/ClientFactory.js';
import { DynamoDesiredStore } from '../../../lib/aws/DynamoDesiredStore.js';
import { S3BucketCatalog } from '../../../lib/aws/S3BucketCatalog.js';
import { fileToItems } from '../../../lib/desired/tableItems.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { localFactory, uniqueName } from '../aws/localFactory.js';
import { documentClient, localNames } from './serviceLocal.js';

let factory: ClientFactory;
let store: DynamoDesiredStore;
let catalog: S3BucketCatalog;
const own = uniqueName('ds-own');
const tagged = uniqueName('ds-tagged');
const template = uniqueName('tpl');

beforeAll(async () => {
  factory = localFactory();
  const s3 = await factory.s3();
  catalog = new S3BucketCatalog({ client: s3 });
  store = new DynamoDesiredStore({
    client: await documentClient(factory),
    tableName: localNames().desiredTable,
    tagsOf: (bucket) => catalog.bucketTags(bucket),
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
    expect(await store.getBucket(uniqueName('ds-tagged'))).toBeUndefined(); // no such tags
    expect(await store.getBucket(uniqueName('nothing'))).toBeUndefined();
  });

  it('lists declared buckets and templates with a parallel Scan', async () => {
    const catalogued = await store.listBuckets();
    expect(catalogued.buckets).toContain(own);
    expect(catalogued.buckets.some((name) => name.startsWith('#'))).toBe(false);
    expect(catalogued.templates.map((entry) => entry.template.name)).toContain(template);
  });

  it('deletes items', async () => {
    const gone = uniqueName('ds-gone');
    await store.putItems([{ bucket: gone, id: 'x', configuration: makeConfiguration({ Id: 'x' }) }]);
    expect(await store.getBucket(gone)).toBeDefined();
    await store.deleteItems([{ bucket: gone, id: 'x' }]);
    expect(await store.getBucket(gone)).toBeUndefined();
  });
});

describe('S3BucketCatalog on the local AWS', () => {
  it('lists the account buckets and reads tags (none for an untagged bucket)', async () => {
    const untagged = uniqueName('cat-untagged');
    await (await factory.s3()).send(new CreateBucketCommand({ Bucket: untagged }));
    expect(await catalog.accountBuckets()).toEqual(expect.arrayContaining([tagged, untagged]));
    const tags = await catalog.tagsOf([tagged, untagged]);
    expect(tags.get(tagged)).toEqual({ tier: template });
    expect(tags.get(untagged)).toEqual({});
  });
});
