import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';

/** A valid configuration in the S3 API's shape; override any top-level member. */
export function makeConfiguration(overrides: Partial<InventoryConfiguration> = {}): InventoryConfiguration {
  return {
    Id: 'daily-csv',
    IsEnabled: true,
    IncludedObjectVersions: 'Current',
    Schedule: { Frequency: 'Daily' },
    Destination: {
      S3BucketDestination: {
        Bucket: 'arn:aws:s3:::inventory-reports',
        Format: 'CSV',
        Prefix: 'inventory',
      },
    },
    OptionalFields: ['Size', 'LastModifiedDate', 'StorageClass'],
    ...overrides,
  };
}

/** A configuration delivering SSE-KMS encrypted reports with the given key. */
export function makeKmsConfiguration(
  keyArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  overrides: Partial<InventoryConfiguration> = {},
): InventoryConfiguration {
  const base = makeConfiguration(overrides);
  return {
    ...base,
    Destination: {
      S3BucketDestination: {
        ...base.Destination!.S3BucketDestination!,
        Encryption: { SSEKMS: { KeyId: keyArn } },
      },
    },
  };
}
