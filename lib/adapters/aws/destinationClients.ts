import type { S3Client } from '@aws-sdk/client-s3';
import type { BucketFacts } from '../../core/reconcile/types.js';
import type { ClientFactory } from './ClientFactory.js';

/**
 * A `clientFor` for {@link S3BucketPolicyAdapter}: each destination bucket is reached in the account and
 * region its facts name (falling back to the source's), so a cross-account grant is written with that
 * account's assumed role.
 * @example
 * const bucketPolicy = new S3BucketPolicyAdapter({ clientFor: destinationClients(factory, facts) });
 */
export function destinationClients(
  factory: Pick<ClientFactory, 's3'>,
  facts: BucketFacts,
): (bucket: string) => Promise<S3Client> {
  return function destinationClient(bucket: string): Promise<S3Client> {
    const destination = facts.destinations[bucket];
    return factory.s3({
      account: destination?.account ?? facts.account,
      region: destination?.region ?? facts.region,
    });
  };
}

/**
 * The `expectedBucketOwner` for {@link S3BucketPolicyAdapter} beside {@link destinationClients}: each
 * destination's account as its facts name it (the source's when none), the account whose ownership the facts
 * proved, so a policy is never written to a bucket another account has taken over since.
 */
export function destinationOwners(facts: BucketFacts): (bucket: string) => string {
  return function destinationOwner(bucket: string): string {
    return facts.destinations[bucket]?.account ?? facts.account;
  };
}
