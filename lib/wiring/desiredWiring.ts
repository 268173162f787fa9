import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import { DynamoDesiredStore } from '../adapters/aws/DynamoDesiredStore.js';
import { lazySend } from '../adapters/aws/lazySend.js';
import { partitionOfRegion } from '../adapters/aws/scopes.js';
import { TaggingBucketSource } from '../adapters/aws/TaggingBucketSource.js';
import { accountCatalogs, bucketPlacement } from './accountCatalogs.js';
import { organizationOf } from './organizationWiring.js';
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

/**
 * The desired-state table (`S3IR_DESIRED_TABLE`); templates that select by tag read the home account's tags from
 * `tags`, a member account's (#18) through the role assumed there; templates by account, OU or region see where
 * the bucket lives (its account's OUs from the organization).
 */
export function desiredStore(
  config: Pick<ServiceConfig, 'desiredTable' | 'allowedOrganizationUnits' | 'stateTable'>,
  client: Documents,
  tags: Pick<TaggingBucketSource, 'tagsOf'>,
  factory: ClientFactory,
): DynamoDesiredStore {
  const catalogOf = accountCatalogs(factory);
  return new DynamoDesiredStore({
    client,
    tableName: config.desiredTable,
    tagsOf: (bucket, where) =>
      where?.account !== undefined
        ? catalogOf(where.account).tagsOf(bucket, where.region)
        : tags.tagsOf(bucket, where?.region),
    placementOf: bucketPlacement(factory, organizationOf(config, factory)),
  });
}
