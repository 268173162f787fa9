import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import { lazySend } from '../adapters/aws/lazySend.js';
import { partitionOfRegion } from '../adapters/aws/scopes.js';
import { TaggingBucketSource } from '../adapters/aws/TaggingBucketSource.js';
import type { BucketPlacement } from '../core/desired/resolveStoredBucket.js';
import { parentsOf } from '../core/organization/membership.js';
import type { OrganizationAccounts } from '../usecases/organization/organizationAccounts.js';
import type { BucketLocation } from '../usecases/reconcileBucket/readBucketState.js';

/**
 * The bucket catalogs of member accounts (#18): one {@link TaggingBucketSource} per account, over the
 * clients of the role assumed there (ListBuckets, the tagging API per region, HeadBucket with the account as
 * ExpectedBucketOwner), made on first use and kept for the sandbox. The factory refuses an account that is
 * not allowed before anything is asked.
 */
export function accountCatalogs(factory: ClientFactory) {
  const catalogs = new Map<string, TaggingBucketSource>();
  return function catalogOf(account: string): TaggingBucketSource {
    let catalog = catalogs.get(account);
    if (!catalog) {
      catalog = new TaggingBucketSource({
        s3: lazySend(() => factory.s3({ account })),
        expectedBucketOwner: async () => account,
        taggingFor: (region) => factory.tagging({ account, region }),
        region: factory.region,
        partition: partitionOfRegion(factory.region),
      });
      catalogs.set(account, catalog);
    }
    return catalog;
  };
}

/**
 * Where a bucket lives, for the templates that select by account or region: the message's hint (its account,
 * else the home account; its region), with the organization's OUs of that account.
 */
export function bucketPlacement(
  factory: Pick<ClientFactory, 'homeAccount'>,
  organization: Pick<OrganizationAccounts, 'membership'>,
) {
  return async function placementOf(_bucket: string, location?: BucketLocation): Promise<BucketPlacement> {
    const [home, membership] = await Promise.all([factory.homeAccount(), organization.membership()]);
    const account = location?.account ?? home;
    return {
      account,
      parents: parentsOf(account, membership),
      home: account === home,
      ...(location?.region !== undefined && { region: location.region }),
    };
  };
}
