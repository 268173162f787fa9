import type { ClientScope } from './types.js';

/**
 * The account and region named in a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`).
 * Anything else (a bare key id, an alias name) gives `{}`: the home account and default region.
 */
export function kmsKeyScope(keyArn: string): ClientScope {
  const [prefix, , service, region, account] = keyArn.split(':');
  if (prefix !== 'arn' || service !== 'kms') return {};
  const scope: ClientScope = {};
  if (region) scope.region = region;
  if (account) scope.account = account;
  return scope;
}

/** The partition of a region, for ARNs we build (role ARNs). */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * A region as GetBucketLocation reports it, made canonical (docs/aws-facts.md §2): an empty constraint means
 * us-east-1 and the legacy `EU` means eu-west-1.
 */
export function regionFromLocation(constraint: string | undefined | null): string {
  if (!constraint || constraint === 'US') return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}
