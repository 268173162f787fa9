import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import { DynamoDesiredStore } from '../adapters/aws/DynamoDesiredStore.js';
import { lazySend } from '../adapters/aws/lazySend.js';
import { partitionOfRegion } from '../adapters/aws/scopes.js';
import { TaggingBucketSource } from '../adapters/aws/TaggingBucketSource.js';
import type { ServiceConfig } from './serviceConfig.js';
import type { Documents } from './serviceFactory.js';

/**
 * The home account's buckets by name and by tag (templates select them), and one bucket's tags. Regional: every
 * region that holds a bucket of the account is asked (its client made on first use).
 */
export function bucketTagSource(factory: ClientFactory): TaggingBucketSource {
  return new TaggingBucketSource({
    s3: lazySend(() => factory.s3()),
    expectedBucketOwner: () => factory.homeAccount(),
    taggingFor: (region) => factory.tagging({ region }),
    region: factory.region,
    partition: partitionOfRegion(factory.region),
  });
}

/** The desired-state table (`S3IR_DESIRED_TABLE`); templates that select by tag read tags from `tags`. */
export function desiredStore(
  config: Pick<ServiceConfig, 'desiredTable'>,
  client: Documents,
  tags: Pick<TaggingBucketSource, 'tagsOf'>,
): DynamoDesiredStore {
  return new DynamoDesiredStore({
    client,
    tableName: config.desiredTable,
    tagsOf: (bucket) => tags.tagsOf(bucket),
  });
}
