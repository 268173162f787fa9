import type { DesiredBucket, DesiredItem, ReconcileMode } from '../../lib/core/desired/types.js';
import { normalizeConfiguration } from '../../lib/core/inventory/normalizeConfiguration.js';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import type { PolicyDocument, PolicyStatement } from '../../lib/core/policy/types.js';
import type { BucketFacts, DestinationFacts, KeyFacts } from '../../lib/core/reconcile/types.js';

export const SOURCE_BUCKET = 'source-bucket';
export const SOURCE_ACCOUNT = '111122223333';
export const SOURCE_REGION = 'us-east-1';
export const DESTINATION_BUCKET = 'inventory-reports';
export const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A desired-state item for a configuration (id taken from the configuration). */
export function makeDesiredItem(
  configuration: InventoryConfiguration,
  overrides: Partial<DesiredItem> = {},
): DesiredItem {
  return { bucket: SOURCE_BUCKET, id: configuration.Id!, configuration, ...overrides };
}

/** The desired state of the source bucket: enforce, no prune, one item per configuration. */
export function makeDesiredBucket(
  configurations: InventoryConfiguration[] = [],
  overrides: Partial<DesiredBucket> = {},
): DesiredBucket {
  return {
    bucket: SOURCE_BUCKET,
    mode: 'enforce' as ReconcileMode,
    prune: false,
    items: configurations.map((configuration) => makeDesiredItem(configuration)),
    ...overrides,
  };
}

/** A same-account, same-region destination this service may change; no policy unless given. */
export function makeDestinationFacts(
  bucket = DESTINATION_BUCKET,
  overrides: Partial<DestinationFacts> = {},
): DestinationFacts {
  return {
    bucket,
    exists: true,
    region: SOURCE_REGION,
    account: SOURCE_ACCOUNT,
    policy: { state: 'none' },
    writable: true,
    ownerVerified: true,
    ...overrides,
  };
}

/** An enabled, symmetric, customer managed key in the source's region whose policy grants nothing yet. */
export function makeKeyFacts(keyArn = KEY_ARN, overrides: Partial<KeyFacts> = {}): KeyFacts {
  return {
    keyArn,
    exists: true,
    region: SOURCE_REGION,
    account: SOURCE_ACCOUNT,
    keyState: 'Enabled',
    keyManager: 'CUSTOMER',
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    policy: { state: 'present', document: makePolicy([rootStatement()]) },
    writable: true,
    ...overrides,
  };
}

/** Facts for the source bucket; destinations and keys listed by name. */
export function makeBucketFacts(
  options: { destinations?: DestinationFacts[]; keys?: KeyFacts[] } & Partial<
    Omit<BucketFacts, 'destinations' | 'keys'>
  > = {},
): BucketFacts {
  const { destinations = [makeDestinationFacts()], keys = [], ...rest } = options;
  return {
    bucket: SOURCE_BUCKET,
    account: SOURCE_ACCOUNT,
    region: SOURCE_REGION,
    destinations: Object.fromEntries(destinations.map((facts) => [facts.bucket, facts])),
    keys: Object.fromEntries(keys.map((facts) => [facts.keyArn, facts])),
    ...rest,
  };
}

export function makePolicy(statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * A statement this service did not write: lets an analytics role read the reports. Its account is the
 * source's by default: a reader outside the allowed accounts makes the destination refused (destination-shared).
 */
export function foreignStatement(
  sid = 'AnalyticsRead',
  bucket = DESTINATION_BUCKET,
  account = SOURCE_ACCOUNT,
): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:role/analytics` },
    Action: ['s3:GetObject', 's3:ListBucket'],
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  };
}

/** A broader grant someone else wrote: S3 may deliver from any bucket of the source account. */
export function broadDeliveryStatement(
  bucket = DESTINATION_BUCKET,
  account = SOURCE_ACCOUNT,
): PolicyStatement {
  return {
    Sid: 'AllInventoryFromAccount',
    Effect: 'Allow',
    Principal: { Service: 's3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${bucket}/*`,
    Condition: { StringEquals: { 'aws:SourceAccount': account } },
  };
}

/** An explicit Deny of every S3 service write to the bucket. */
export function denyServiceStatement(bucket = DESTINATION_BUCKET): PolicyStatement {
  return {
    Sid: 'DenyServiceWrites',
    Effect: 'Deny',
    Principal: { Service: 's3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${bucket}/*`,
  };
}

/** The key policy statement a new key starts with. */
export function rootStatement(account = SOURCE_ACCOUNT): PolicyStatement {
  return {
    Sid: 'EnableRoot',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: 'kms:*',
    Resource: '*',
  };
}

/** A configuration delivering to another destination bucket. */
export function withDestination(
  configuration: InventoryConfiguration,
  bucket: string,
): InventoryConfiguration {
  return {
    ...configuration,
    Destination: {
      S3BucketDestination: {
        ...configuration.Destination!.S3BucketDestination!,
        Bucket: `arn:aws:s3:::${bucket}`,
      },
    },
  };
}

/**
 * The destination statement this service writes, spelled out (docs/aws-facts.md §2, §13): keyed by source account,
 * `aws:SourceArn` the pattern `arn:aws:s3:::*`; what `ensureDelivery` should produce, so tests do not derive
 * expectations from the code under test.
 */
export function accountDestinationGrant(
  accounts: string[] = [SOURCE_ACCOUNT],
  bucket = DESTINATION_BUCKET,
): PolicyStatement {
  const sorted = [...accounts].sort();
  return {
    Sid: 'S3irInventoryDelivery',
    Effect: 'Allow',
    Principal: { Service: 's3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: [`arn:aws:s3:::${bucket}/*`],
    Condition: {
      ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' },
      StringEquals: {
        'aws:SourceAccount': sorted.length === 1 ? sorted[0]! : sorted,
        's3:x-amz-acl': 'bucket-owner-full-control',
      },
    },
  };
}

/** The key statement this service writes (docs/aws-facts.md §3, §13), keyed by source account. */
export function accountKeyGrant(accounts: string[] = [SOURCE_ACCOUNT]): PolicyStatement {
  const sorted = [...accounts].sort();
  return {
    Sid: 'S3irInventoryKeyGrant',
    Effect: 'Allow',
    Principal: { Service: 's3.amazonaws.com' },
    Action: ['kms:GenerateDataKey'],
    Resource: '*',
    Condition: {
      StringEquals: { 'aws:SourceAccount': sorted.length === 1 ? sorted[0]! : sorted },
      ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' },
    },
  };
}

/**
 * The destination statement earlier versions wrote, listing the given source buckets' ARNs (docs/aws-facts.md §2):
 * what a policy found in place may still hold, and what a grant migrates to {@link accountDestinationGrant}.
 */
export function ourDestinationGrant(
  sources: string[] = [SOURCE_BUCKET],
  bucket = DESTINATION_BUCKET,
  account = SOURCE_ACCOUNT,
): PolicyStatement {
  const arns = sources.map((source) => `arn:aws:s3:::${source}`).sort();
  return {
    Sid: 'S3irInventoryDelivery',
    Effect: 'Allow',
    Principal: { Service: 's3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: [`arn:aws:s3:::${bucket}/*`],
    Condition: {
      ArnLike: { 'aws:SourceArn': arns.length === 1 ? arns[0]! : arns },
      StringEquals: { 'aws:SourceAccount': account, 's3:x-amz-acl': 'bucket-owner-full-control' },
    },
  };
}

/** The key statement earlier versions wrote (docs/aws-facts.md §3), listing the given source buckets' ARNs. */
export function ourKeyGrant(sources: string[] = [SOURCE_BUCKET], account = SOURCE_ACCOUNT): PolicyStatement {
  const arns = sources.map((source) => `arn:aws:s3:::${source}`).sort();
  return {
    Sid: 'S3irInventoryKeyGrant',
    Effect: 'Allow',
    Principal: { Service: 's3.amazonaws.com' },
    Action: ['kms:GenerateDataKey'],
    Resource: '*',
    Condition: {
      StringEquals: { 'aws:SourceAccount': account },
      ArnLike: { 'aws:SourceArn': arns.length === 1 ? arns[0]! : arns },
    },
  };
}

/** Facts of a destination whose policy holds the given statements. */
export function destinationWithPolicy(
  statements: PolicyStatement[],
  bucket = DESTINATION_BUCKET,
  overrides: Partial<DestinationFacts> = {},
): DestinationFacts {
  return makeDestinationFacts(bucket, {
    policy: { state: 'present', document: makePolicy(statements) },
    ...overrides,
  });
}

/**
 * A configuration as the planner puts it: normalized, with the destination's verified owner as AccountId
 * (issue 13: every put carries AccountId). The source's account by default.
 */
export function asPut(
  configuration: InventoryConfiguration,
  account = SOURCE_ACCOUNT,
): InventoryConfiguration {
  const destination = configuration.Destination!.S3BucketDestination!;
  return normalizeConfiguration({
    ...configuration,
    Destination: { S3BucketDestination: { ...destination, AccountId: destination.AccountId ?? account } },
  });
}
