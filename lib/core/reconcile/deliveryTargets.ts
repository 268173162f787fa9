import { bucketArnParts } from '../inventory/bucketArn.js';
import type { InventoryConfiguration } from '../inventory/types.js';
import type { DeliverySource } from '../policy/types.js';

/** Where one configuration delivers its reports: the destination bucket and, for SSE-KMS, the key. */
export interface DeliveryTargets {
  destinationBucket: string;
  /** From the destination ARN: `aws`, `aws-cn`, `aws-us-gov`. */
  partition: string;
  prefix?: string;
  /** `Encryption.SSEKMS.KeyId`, when reports are SSE-KMS encrypted. */
  keyArn?: string;
}

/**
 * Reads the destination and key of a configuration. `undefined` when the destination is not a bucket
 * ARN (docs/aws-facts.md §1: S3 rejects anything else, so only an unvalidated configuration can get here).
 */
export function deliveryTargetsOf(configuration: InventoryConfiguration): DeliveryTargets | undefined {
  const destination = configuration.Destination?.S3BucketDestination;
  const arn = typeof destination?.Bucket === 'string' ? bucketArnParts(destination.Bucket) : undefined;
  if (!arn) return undefined;
  const targets: DeliveryTargets = { partition: arn.partition, destinationBucket: arn.bucket };
  if (destination?.Prefix) targets.prefix = destination.Prefix;
  const keyArn = destination?.Encryption?.SSEKMS?.KeyId;
  if (keyArn) targets.keyArn = keyArn;
  return targets;
}

/** The delivery a configuration of `sourceBucket` makes, as lib/policy evaluates and grants it. */
export function deliverySourceOf(
  sourceBucket: string,
  sourceAccount: string,
  configuration: InventoryConfiguration,
): DeliverySource | undefined {
  const targets = deliveryTargetsOf(configuration);
  if (!targets || configuration.Id === undefined) return undefined;
  const source: DeliverySource = {
    sourceBucket,
    sourceAccount,
    partition: targets.partition,
    destinationBucket: targets.destinationBucket,
    configurationId: configuration.Id,
  };
  if (targets.prefix !== undefined) source.destinationPrefix = targets.prefix;
  if (targets.keyArn !== undefined) source.keyArn = targets.keyArn;
  return source;
}

/** Region names as S3 reports them mean the same region: `EU` is eu-west-1, empty is us-east-1 (docs/aws-facts.md §2). */
export function sameRegion(a: string, b: string): boolean {
  return canonicalRegion(a) === canonicalRegion(b);
}

function canonicalRegion(region: string): string {
  if (region === '') return 'us-east-1';
  if (region === 'EU') return 'eu-west-1';
  return region;
}
