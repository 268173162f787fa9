import {
  GetResourcesCommand,
  type GetResourcesCommandInput,
  type ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BucketTagSource } from '../reconcile/sweep.js';
import { callAws } from './toAdapterError.js';

export interface TaggingBucketSourceOptions {
  /** The home account's S3 client: ListBuckets, for templates that select by name only. */
  s3: Pick<S3Client, 'send'>;
  /** The home account's Resource Groups Tagging API client. */
  tagging: Pick<ResourceGroupsTaggingAPIClient, 'send'>;
  /** ARN partition of the buckets (default `aws`). */
  partition?: string;
}

/** GetResources returns at most 100 resources a page, and takes at most 100 ARNs (SDK docs). */
export const RESOURCES_PER_PAGE = 100;

/**
 * The account's buckets for template selection (DESIGN "Cost and speed"): tag templates through the
 * Resource Groups Tagging API, one GetResources call per 100 matching buckets instead of a
 * GetBucketTagging per candidate; name-only templates from ListBuckets (every page).
 *
 * The tagging API is regional: it answers for the buckets it indexes in the client's region.
 * @example const source = new TaggingBucketSource({ s3, tagging });
 * await source.bucketsTagged({ env: 'prod' }); // ['photos-prod', …]
 */
export class TaggingBucketSource implements BucketTagSource {
  private readonly options: TaggingBucketSourceOptions;

  constructor(options: TaggingBucketSourceOptions) {
    this.options = options;
  }

  async accountBuckets(): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await callAws('ListBuckets', () =>
        this.options.s3.send(new ListBucketsCommand({ MaxBuckets: 1000, ContinuationToken: token })),
      );
      names.push(...(page.Buckets ?? []).flatMap((bucket) => (bucket.Name ? [bucket.Name] : [])));
      token = page.ContinuationToken || undefined;
    } while (token !== undefined);
    return names;
  }

  /** Buckets carrying every one of `tags` with that value: GetResources with one TagFilter per tag. */
  async bucketsTagged(tags: Readonly<Record<string, string>>): Promise<string[]> {
    const TagFilters = Object.entries(tags).map(([Key, value]) => ({ Key, Values: [value] }));
    const found = await this.resources({
      ResourceTypeFilters: ['s3:bucket'],
      TagFilters,
      ResourcesPerPage: RESOURCES_PER_PAGE,
    });
    // The API already filters; checking again keeps an emulator's looser matching from selecting a bucket.
    return [...found]
      .filter(([, bucketTags]) => Object.entries(tags).every(([key, value]) => bucketTags[key] === value))
      .map(([bucket]) => bucket)
      .sort();
  }

  /**
   * One bucket's tags (the reconcile of a bucket a tag template may select): GetResources with its ARN.
   * None when it has no tags (the API lists only tagged resources) or does not exist.
   */
  async tagsOf(bucket: string): Promise<Record<string, string>> {
    // ResourceARNList excludes type filters and pagination on AWS, which then answers in one page.
    // moto ignores the list and pages through every tagged resource: the ARN check below keeps it right.
    const found = await this.resources({ ResourceARNList: [this.arnOf(bucket)] });
    return found.get(bucket) ?? {};
  }

  private arnOf(bucket: string): string {
    return `arn:${this.options.partition ?? 'aws'}:s3:::${bucket}`;
  }

  /** Every page of one GetResources query, as bucket name → tags (S3 bucket ARNs only). */
  private async resources(input: GetResourcesCommandInput): Promise<Map<string, Record<string, string>>> {
    const buckets = new Map<string, Record<string, string>>();
    let token: string | undefined;
    do {
      const page = await callAws('GetResources s3:bucket', () =>
        this.options.tagging.send(
          new GetResourcesCommand({ ...input, ...(token !== undefined && { PaginationToken: token }) }),
        ),
      );
      for (const mapping of page.ResourceTagMappingList ?? []) {
        const bucket = bucketOfArn(mapping.ResourceARN);
        if (bucket === undefined) continue;
        const tags = Object.fromEntries((mapping.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
        buckets.set(bucket, tags);
      }
      token = page.PaginationToken || undefined;
    } while (token !== undefined);
    return buckets;
  }
}

/** `arn:aws:s3:::name` → `name`; anything else (objects, other services) → undefined. */
function bucketOfArn(arn: string | undefined): string | undefined {
  const match = /^arn:[\w-]+:s3:::([^/]+)$/.exec(arn ?? '');
  return match?.[1];
}
