import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { memberS3 } from '../../helpers/memberS3.js';
import { ACCOUNT_ID, credentials, localAws, region, s3Client, uniqueBucket } from './localAwsClients.js';

/** Another account of the local AWS (moto makes any account on AssumeRole). */
const MEMBER = '444455556666';
const clients: S3Client[] = [];
afterAll(() => {
  for (const client of clients) client.destroy();
});

function track<C extends S3Client>(client: C): C {
  clients.push(client);
  return client;
}

/** Every bucket of `prefix` the client lists, following every ContinuationToken, `pageSize` a page. */
async function listAll(s3: S3Client, prefix: string, pageSize: number) {
  const pages: { Name?: string; BucketRegion?: string }[][] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(
      new ListBucketsCommand({ Prefix: prefix, MaxBuckets: pageSize, ContinuationToken }),
    );
    expect(page.Prefix).toBe(prefix);
    pages.push((page.Buckets ?? []).map(({ Name, BucketRegion }) => ({ Name, BucketRegion })));
    ContinuationToken = page.ContinuationToken;
  } while (ContinuationToken !== undefined);
  return pages;
}

describe('S3 ListBuckets on the local AWS (the gateway answers it: infra/local/README.md)', () => {
  it("lists each bucket's own region, only the caller's account, in pages joined by a token", async () => {
    const prefix = uniqueBucket('lb-regions');
    const home = track(s3Client());
    const europe = track(
      new S3Client({ endpoint: localAws().endpoint, region: 'eu-west-1', credentials, forcePathStyle: true }),
    );
    await home.send(new CreateBucketCommand({ Bucket: `${prefix}-us` }));
    await europe.send(
      new CreateBucketCommand({
        Bucket: `${prefix}-eu`,
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    const member = track(
      await memberS3({ endpoint: localAws().endpoint, region, credentials }, MEMBER, ACCOUNT_ID),
    );
    await member.send(new CreateBucketCommand({ Bucket: `${prefix}-member` }));

    expect(await listAll(home, prefix, 1)).toEqual([
      [{ Name: `${prefix}-eu`, BucketRegion: 'eu-west-1' }],
      [{ Name: `${prefix}-us`, BucketRegion: region }],
    ]);
    expect(await listAll(member, prefix, 1000)).toEqual([
      [{ Name: `${prefix}-member`, BucketRegion: region }],
    ]);
    const inEurope = await home.send(new ListBucketsCommand({ Prefix: prefix, BucketRegion: 'eu-west-1' }));
    expect(inEurope.Buckets?.map((bucket) => bucket.Name)).toEqual([`${prefix}-eu`]);
    expect(inEurope.ContinuationToken).toBeUndefined();
  });

  it.each([
    ['a continuation token it never gave', { ContinuationToken: 'not-a-token' }],
    ['MaxBuckets over 10,000', { MaxBuckets: 10_001 }],
    ['MaxBuckets of 0', { MaxBuckets: 0 }],
  ])('refuses %s with 400 InvalidArgument', async (_case, input) => {
    const failure = track(s3Client()).send(new ListBucketsCommand(input));
    await expect(failure).rejects.toMatchObject({
      name: 'InvalidArgument',
      $metadata: { httpStatusCode: 400 },
    });
  });
});
