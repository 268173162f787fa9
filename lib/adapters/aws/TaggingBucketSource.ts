import type {
  GetResourcesCommandInput,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import type { BucketTagSource } from '../../usecases/sweep/sweep.js';
import { loadSdk } from './loadSdk.js';
import { readBucketLocation } from './readBucketLocation.js';
import { callAws } from './toAdapterError.js';

type TaggingClient = Pick<ResourceGroupsTaggingAPIClient, 'send'>;

export type TaggingBucketSourceOptions = {
  /** The home account's S3 client: ListBuckets (names and regions), and a bucket's location. */
  s3: Pick<S3Client, 'send'>;
  /** The home account, sent as ExpectedBucketOwner on HeadBucket: a bucket of another owner is not ours. */
  expectedBucketOwner?: () => Promise<string>;
  /** ARN partition of the buckets (default `aws`). */
  partition?: string;
} & (
  | {
      /**
       * The Resource Groups Tagging API client of one region, and so of the buckets of that region only
       * (the API is regional): for an account whose buckets all live there.
       */
      tagging: TaggingClient;
      taggingFor?: never;
      region?: never;
    }
  | {
      /** The Resource Groups Tagging API client of a region, e.g. `(region) => factory.tagging({ region })`. */
      taggingFor: (region: string) => TaggingClient | Promise<TaggingClient>;
      /** The home region: where a bucket is looked for when S3 does not say its region. */
      region: string;
      tagging?: never;
    }
);

/** GetResources returns at most 100 resources a page, and takes at most 100 ARNs (SDK docs). */
export const RESOURCES_PER_PAGE = 100;

/** ListBuckets takes MaxBuckets of 1 to 10,000 (SDK docs); 1,000 keeps a page small. */
const BUCKETS_PER_PAGE = 1000;

/**
 * The account's buckets for template selection (DESIGN "Cost and speed"): tag templates through the
 * Resource Groups Tagging API, one GetResources call per 100 matching buckets instead of a
 * GetBucketTagging per candidate; name-only templates from ListBuckets (every page).
 *
 * The tagging API is regional: GetResources in a region answers only for that region's buckets. With
 * `taggingFor`, a tag query asks every region that holds a bucket of the account, learned from ListBuckets
 * (each bucket's `BucketRegion`; a bucket without one, as some emulators list them, counts as the home
 * region's), one paginated GetResources per region; one bucket's tags are asked in its own region (learned
 * once with HeadBucket, or given). With one `tagging` client, only that client's region is asked. The
 * tagging package is loaded with the first tag query (lib/adapters/aws/loadSdk): only tag templates need it.
 * @example const source = new TaggingBucketSource({ s3, taggingFor, region: 'us-east-1' });
 * await source.bucketsTagged({ env: 'prod' }); // ['photos-prod', …]
 */
export class TaggingBucketSource implements BucketTagSource {
  private readonly options: TaggingBucketSourceOptions;
  /** Regions of buckets seen, kept for the life of this source: a bucket never moves (DESIGN). */
  private readonly regions = new Map<string, string>();

  constructor(options: TaggingBucketSourceOptions) {
    this.options = options;
  }

  async accountBuckets(): Promise<string[]> {
    return (await this.listBuckets()).map((bucket) => bucket.name);
  }

  /**
   * Buckets carrying every one of `tags` with that value: GetResources with one TagFilter per tag, in every
   * region that holds a bucket of the account (or in the one `tagging` client's region). Sorted.
   */
  async bucketsTagged(tags: Readonly<Record<string, string>>): Promise<string[]> {
    const TagFilters = Object.entries(tags).map(([Key, value]) => ({ Key, Values: [value] }));
    const input = { ResourceTypeFilters: ['s3:bucket'], TagFilters, ResourcesPerPage: RESOURCES_PER_PAGE };
    const regions = this.options.tagging ? [undefined] : await this.bucketRegions();
    const answers = await Promise.all(regions.map((region) => this.resources(input, region)));
    const found = new Map(answers.flatMap((answer) => [...answer]));
    // The API already filters; checking again keeps an emulator's looser matching from selecting a bucket.
    return [...found]
      .filter(([, bucketTags]) => Object.entries(tags).every(([key, value]) => bucketTags[key] === value))
      .map(([bucket]) => bucket)
      .sort(compareCodeUnits);
  }

  /**
   * One bucket's tags (the reconcile of a bucket a tag template may select): GetResources with its ARN, in
   * the bucket's region (`region` when the caller knows it). None when it has no tags (the API lists only
   * tagged resources) or does not exist.
   */
  async tagsOf(bucket: string, region?: string): Promise<Record<string, string>> {
    let where: string | undefined;
    if (!this.options.tagging) {
      where = region ?? (await this.regionOf(bucket));
      if (where === undefined) return {};
    }
    // ResourceARNList excludes type filters and pagination on AWS, which then answers in one page.
    // moto ignores the list and pages through every tagged resource: the ARN check below keeps it right.
    const found = await this.resources({ ResourceARNList: [this.arnOf(bucket)] }, where);
    return found.get(bucket) ?? {};
  }

  /**
   * Every bucket of the account with its region when ListBuckets says it: discovery's listing (#18), one walk
   * of every page (ListBuckets gives `BucketRegion`, docs/aws-facts.md §10).
   */
  bucketLocations(): Promise<{ name: string; region?: string }[]> {
    return this.listBuckets();
  }

  /**
   * Every tagged bucket of `regions` with all its tags (discovery, #18): one GetResources walk per region with
   * no tag filter, so that every template is matched against a bucket's whole tag set and the bucket message
   * can carry it (docs/aws-facts.md §16). A bucket of those regions that is not in the answer has no tags (the
   * API lists tagged resources only). With one `tagging` client, that client's region is asked once.
   */
  async tagsIn(regions: readonly string[]): Promise<Map<string, Record<string, string>>> {
    if (regions.length === 0) return new Map();
    const input = { ResourceTypeFilters: ['s3:bucket'], ResourcesPerPage: RESOURCES_PER_PAGE };
    const asked = this.options.tagging ? [undefined] : [...new Set(regions)].sort(compareCodeUnits);
    const answers = await Promise.all(asked.map((region) => this.resources(input, region)));
    return new Map(answers.flatMap((answer) => [...answer]));
  }

  /** Every bucket of the account with its region when ListBuckets says it (every page). */
  private async listBuckets(): Promise<{ name: string; region?: string }[]> {
    const buckets: { name: string; region?: string }[] = [];
    let token: string | undefined;
    do {
      const page = await callAws('ListBuckets', () =>
        this.options.s3.send(
          new ListBucketsCommand({ MaxBuckets: BUCKETS_PER_PAGE, ContinuationToken: token }),
        ),
      );
      for (const { Name: name, BucketRegion: region } of page.Buckets ?? []) {
        if (!name) continue;
        buckets.push(region ? { name, region } : { name });
        if (region) this.regions.set(name, region);
      }
      token = page.ContinuationToken || undefined;
    } while (token !== undefined);
    return buckets;
  }

  /** The regions that hold the account's buckets, sorted; a bucket ListBuckets gives no region counts as home. */
  private async bucketRegions(): Promise<string[]> {
    const home = this.options.region!;
    const regions = new Set((await this.listBuckets()).map((bucket) => bucket.region ?? home));
    return [...regions].sort(compareCodeUnits);
  }

  /** A bucket's region: known already, else HeadBucket (home when S3 does not say); undefined if it is gone. */
  async regionOf(bucket: string): Promise<string | undefined> {
    const known = this.regions.get(bucket);
    if (known !== undefined) return known;
    const owner = await this.options.expectedBucketOwner?.();
    const location = await readBucketLocation(this.options.s3, bucket, owner);
    if (!location.exists) return undefined;
    const region = location.region ?? this.options.region!;
    this.regions.set(bucket, region);
    return region;
  }

  private arnOf(bucket: string): string {
    return `arn:${this.options.partition ?? 'aws'}:s3:::${bucket}`;
  }

  private async client(region: string | undefined): Promise<TaggingClient> {
    return this.options.tagging ?? (await this.options.taggingFor!(region!));
  }

  /** Every page of one GetResources query in a region, as bucket name → tags (S3 bucket ARNs only). */
  private async resources(
    input: GetResourcesCommandInput,
    region: string | undefined,
  ): Promise<Map<string, Record<string, string>>> {
    const [client, { GetResourcesCommand }] = await Promise.all([this.client(region), loadSdk('tagging')]);
    const context = `GetResources s3:bucket${region === undefined ? '' : ` ${region}`}`;
    const buckets = new Map<string, Record<string, string>>();
    let token: string | undefined;
    do {
      const page = await callAws(context, () =>
        client.send(
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
