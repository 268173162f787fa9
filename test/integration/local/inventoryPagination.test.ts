import {
  CreateBucketCommand,
  type InventoryConfiguration,
  ListBucketInventoryConfigurationsCommand,
  type ListBucketInventoryConfigurationsCommandOutput,
  PutBucketInventoryConfigurationCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { makeConfiguration } from '../../helpers/factories.js';
import { inBatches, s3Client, uniqueBucket } from './localAwsClients.js';

const s3 = s3Client();

async function putMany(bucket: string, ids: string[]): Promise<void> {
  await inBatches(ids, 8, (id) =>
    s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: bucket,
        Id: id,
        InventoryConfiguration: makeConfiguration({ Id: id }),
      }),
    ),
  );
}

/** SDK v3 has no paginator for this operation (docs/aws-facts.md §1): the loop every caller writes. */
async function listAllPages(bucket: string): Promise<ListBucketInventoryConfigurationsCommandOutput[]> {
  const pages: ListBucketInventoryConfigurationsCommandOutput[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ContinuationToken: token }),
    );
    pages.push(page);
    token = page.NextContinuationToken;
  } while (token);
  return pages;
}

const ids = (configurations: InventoryConfiguration[] | undefined) => (configurations ?? []).map((c) => c.Id);

describe('local S3 inventory subresource: pagination and limits (docs/aws-facts.md §1)', () => {
  it('pages 250 configurations as 100, 100 and 50, sorted by Id, echoing the token', async () => {
    const bucket = uniqueBucket('pages');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // Put in a scrambled order: the listing must sort, not replay insertion order.
    const all = Array.from({ length: 250 }, (_, i) => `inv-${String((i * 7919) % 250).padStart(3, '0')}`);
    await putMany(bucket, all);

    const pages = await listAllPages(bucket);

    expect(pages.map((page) => page.InventoryConfigurationList?.length)).toEqual([100, 100, 50]);
    expect(pages.map((page) => page.IsTruncated)).toEqual([true, true, false]);
    expect(pages.flatMap((page) => ids(page.InventoryConfigurationList))).toEqual([...all].sort());
    expect(pages[0]!.ContinuationToken).toBeUndefined();
    expect(pages[1]!.ContinuationToken).toBe(pages[0]!.NextContinuationToken);
    expect(pages[2]!.ContinuationToken).toBe(pages[1]!.NextContinuationToken);
    expect(pages[2]!.NextContinuationToken).toBeUndefined();
  });

  it('refuses a bad continuation token with 400 InvalidArgument', async () => {
    const bucket = uniqueBucket('token');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await expect(
      s3.send(
        new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ContinuationToken: 'not-a-token' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
  });

  it('answers 400 TooManyConfigurations for the 1,001st configuration, but still updates existing ones', {
    timeout: 300_000,
  }, async () => {
    const bucket = uniqueBucket('limit');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await putMany(
      bucket,
      Array.from({ length: 1000 }, (_, i) => `cfg-${String(i).padStart(4, '0')}`),
    );

    await expect(
      s3.send(
        new PutBucketInventoryConfigurationCommand({
          Bucket: bucket,
          Id: 'one-too-many',
          InventoryConfiguration: makeConfiguration({ Id: 'one-too-many' }),
        }),
      ),
    ).rejects.toMatchObject({ name: 'TooManyConfigurations', $metadata: { httpStatusCode: 400 } });
    const update = await s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: bucket,
        Id: 'cfg-0999',
        InventoryConfiguration: makeConfiguration({ Id: 'cfg-0999', IsEnabled: false }),
      }),
    );
    expect(update.$metadata.httpStatusCode).toBe(204);
    const pages = await listAllPages(bucket);
    expect(pages).toHaveLength(10);
    expect(pages.at(-1)!.InventoryConfigurationList!.at(-1)).toMatchObject({
      Id: 'cfg-0999',
      IsEnabled: false,
    });
  });
});
