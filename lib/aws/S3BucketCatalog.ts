import { GetBucketTaggingCommand, ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BucketTagSource } from '../reconcile/sweep.js';
import { callAws } from './toAdapterError.js';

export interface S3BucketCatalogOptions {
  client: Pick<S3Client, 'send'>;
  /** GetBucketTagging calls in flight at once (default 8). */
  concurrency?: number;
}

/**
 * The account's buckets for template selection: names from ListBuckets (every page), tags per bucket.
 * Tags are asked only for buckets a tag template could select by name. (DESIGN prefers the Resource
 * Groups Tagging API's GetResources, one call per 100 buckets; its SDK client is not a dependency yet,
 * so this reads GetBucketTagging behind the same {@link BucketTagSource} port.)
 */
export class S3BucketCatalog implements BucketTagSource {
  private readonly options: S3BucketCatalogOptions;

  constructor(options: S3BucketCatalogOptions) {
    this.options = options;
  }

  async accountBuckets(): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await callAws('ListBuckets', () =>
        this.options.client.send(new ListBucketsCommand({ MaxBuckets: 1000, ContinuationToken: token })),
      );
      names.push(...(page.Buckets ?? []).flatMap((bucket) => (bucket.Name ? [bucket.Name] : [])));
      token = page.ContinuationToken || undefined;
    } while (token !== undefined);
    return names;
  }

  async tagsOf(buckets: readonly string[]): Promise<Map<string, Record<string, string>>> {
    const tags = new Map<string, Record<string, string>>();
    let next = 0;
    const worker = async () => {
      while (next < buckets.length) {
        const bucket = buckets[next++]!;
        tags.set(bucket, await this.bucketTags(bucket));
      }
    };
    const workers = Math.min(this.options.concurrency ?? 8, buckets.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return tags;
  }

  /** One bucket's tags; none when it has no tag set (or is gone: the reconcile itself reports that). */
  async bucketTags(bucket: string): Promise<Record<string, string>> {
    try {
      const output = await callAws(`GetBucketTagging ${bucket}`, () =>
        this.options.client.send(new GetBucketTaggingCommand({ Bucket: bucket })),
      );
      return Object.fromEntries((output.TagSet ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'NoSuchTagSet' || code === 'NoSuchBucket') return {};
      throw error;
    }
  }
}
