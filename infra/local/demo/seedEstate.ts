import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  type InventoryConfiguration,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { appBucket, DEMO } from './constants.js';
import type { DemoClientConfig, SeededEstate } from './types.js';

/** A daily CSV report to the demo destination, as the demo file declares it; override any member. */
function report(prefix: string, overrides: Partial<InventoryConfiguration> = {}): InventoryConfiguration {
  return {
    Id: 'daily-csv',
    IsEnabled: true,
    IncludedObjectVersions: 'Current',
    Schedule: { Frequency: 'Daily' },
    Destination: {
      S3BucketDestination: { Bucket: `arn:aws:s3:::${DEMO.destination}`, Format: 'CSV', Prefix: prefix },
    },
    OptionalFields: ['Size', 'LastModifiedDate', 'StorageClass'],
    ...overrides,
  };
}

/**
 * What the buckets hold before the reconciler runs: every kind of drift against demo-inventory.yaml.
 * Buckets not listed here (the last apps, `encrypted`, `far-away`) have no report at all: missing.
 */
function actualConfigurations(): Array<[bucket: string, InventoryConfiguration]> {
  const apps = Array.from({ length: DEMO.appsInSync }, (_, index) => index + 1);
  const csv = { Bucket: `arn:aws:s3:::${DEMO.destination}`, Format: 'CSV' as const };
  return [
    ...apps.map((index): [string, InventoryConfiguration] => [appBucket(index), report('apps')]),
    [
      DEMO.changed,
      report('changed', {
        Destination: { S3BucketDestination: { ...csv, Format: 'ORC', Prefix: 'changed' } },
      }),
    ],
    [DEMO.disabled, report('disabled', { IsEnabled: false, OptionalFields: ['Size', 'LastModifiedDate'] })],
    [DEMO.pruned, report('pruned', { OptionalFields: undefined })],
    [
      DEMO.pruned,
      report('pruned', { Id: 'old-weekly', Schedule: { Frequency: 'Weekly' }, OptionalFields: undefined }),
    ],
    [DEMO.kept, report('kept', { OptionalFields: undefined })],
    [DEMO.kept, report('kept', { Id: 'legacy-report', OptionalFields: undefined })],
    [
      DEMO.ledger,
      {
        Id: 'object-lock-audit',
        IsEnabled: true,
        IncludedObjectVersions: 'All',
        Schedule: { Frequency: 'Daily' },
        Destination: { S3BucketDestination: { ...csv, Format: 'ORC', Prefix: 'ledger' } },
        OptionalFields: ['ObjectLockMode', 'ObjectLockRetainUntilDate', 'ObjectLockLegalHoldStatus'],
      },
    ],
  ];
}

/**
 * A grant written by hand long ago, before the reconciler: it covers the sources that already had a
 * report, except the last in-sync app (missing bucket-policy grant) and the new ones.
 */
function legacyDestinationPolicy(account: string): string {
  const granted = [
    ...Array.from({ length: DEMO.appsInSync - 1 }, (_, index) => appBucket(index + 1)),
    DEMO.changed,
    DEMO.disabled,
    DEMO.pruned,
    DEMO.kept,
    DEMO.ledger,
  ];
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'LegacyInventoryDelivery',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${DEMO.destination}/*`,
        Condition: {
          ArnLike: { 'aws:SourceArn': granted.map((bucket) => `arn:aws:s3:::${bucket}`) },
          StringEquals: { 'aws:SourceAccount': account, 's3:x-amz-acl': 'bucket-owner-full-control' },
        },
      },
    ],
  });
}

/** Every source bucket of the demo, sorted. */
export function demoSources(): string[] {
  const apps = Array.from({ length: DEMO.apps }, (_, index) => appBucket(index + 1));
  const others = [
    DEMO.changed,
    DEMO.disabled,
    DEMO.pruned,
    DEMO.kept,
    DEMO.encrypted,
    DEMO.farAway,
    DEMO.ledger,
  ];
  return [...apps, ...others].sort();
}

/**
 * Seeds the demo estate on the local AWS, as a person would have left it: a few dozen source buckets, a
 * destination in their region and one in another, a customer managed KMS key whose policy grants S3
 * nothing, a hand-written destination policy, and configurations drifted in every way.
 */
export async function seedEstate(config: DemoClientConfig): Promise<SeededEstate> {
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const farS3 = new S3Client({ ...config, region: DEMO.farRegion, forcePathStyle: true });
  const kms = new KMSClient(config);
  try {
    const sources = demoSources();
    await Promise.all(
      [...sources, DEMO.destination].map((Bucket) => s3.send(new CreateBucketCommand({ Bucket }))),
    );
    await farS3.send(
      new CreateBucketCommand({
        Bucket: DEMO.farDestination,
        CreateBucketConfiguration: { LocationConstraint: DEMO.farRegion as BucketLocationConstraint },
      }),
    );
    const key = await kms.send(
      new CreateKeyCommand({
        Description: 's3ir demo: inventory report encryption',
        // The service changes only keys tagged so (IAM, and the facts it reads).
        Tags: [{ TagKey: 's3ir:inventory-key', TagValue: 'true' }],
      }),
    );
    const keyArn = key.KeyMetadata!.Arn!;
    await kms.send(new CreateAliasCommand({ AliasName: DEMO.keyAlias, TargetKeyId: keyArn }));
    const account = key.KeyMetadata!.AWSAccountId!;
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: DEMO.destination, Policy: legacyDestinationPolicy(account) }),
    );
    for (const [Bucket, configuration] of actualConfigurations()) {
      await s3.send(
        new PutBucketInventoryConfigurationCommand({
          Bucket,
          Id: configuration.Id,
          InventoryConfiguration: configuration,
        }),
      );
    }
    return { sources, destinations: [DEMO.destination, DEMO.farDestination], keyArn, account };
  } finally {
    for (const client of [s3, farS3, kms]) client.destroy();
  }
}
