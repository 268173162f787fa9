/**
 * The S3 API's inventory model (`PutBucketInventoryConfiguration`), declared here so that the core loads no
 * `@aws-sdk/*` module at run time. It mirrors `@aws-sdk/client-s3` member for member, including the SDK's
 * `| undefined` on required members; test/unit/core/inventory/s3Inventory.test.ts fails when either side differs.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_InventoryConfiguration.html
 */

/** The file format S3 writes the inventory list in. */
export const InventoryFormat = {
  CSV: 'CSV',
  ORC: 'ORC',
  Parquet: 'Parquet',
} as const;
export type InventoryFormat = (typeof InventoryFormat)[keyof typeof InventoryFormat];

/** How often S3 writes an inventory list. */
export const InventoryFrequency = {
  Daily: 'Daily',
  Weekly: 'Weekly',
} as const;
export type InventoryFrequency = (typeof InventoryFrequency)[keyof typeof InventoryFrequency];

/** Whether the list holds every object version or only the current ones. */
export const InventoryIncludedObjectVersions = {
  All: 'All',
  Current: 'Current',
} as const;
export type InventoryIncludedObjectVersions =
  (typeof InventoryIncludedObjectVersions)[keyof typeof InventoryIncludedObjectVersions];

/** The optional columns an inventory list can carry. */
export const InventoryOptionalField = {
  BucketKeyStatus: 'BucketKeyStatus',
  ChecksumAlgorithm: 'ChecksumAlgorithm',
  ETag: 'ETag',
  EncryptionStatus: 'EncryptionStatus',
  IntelligentTieringAccessTier: 'IntelligentTieringAccessTier',
  IntelligentTieringReferenceDate: 'IntelligentTieringReferenceDate',
  IsMultipartUploaded: 'IsMultipartUploaded',
  LastModifiedDate: 'LastModifiedDate',
  LifecycleExpirationDate: 'LifecycleExpirationDate',
  ObjectAccessControlList: 'ObjectAccessControlList',
  ObjectLockEventHoldDuration: 'ObjectLockEventHoldDuration',
  ObjectLockEventHoldStatus: 'ObjectLockEventHoldStatus',
  ObjectLockLegalHoldStatus: 'ObjectLockLegalHoldStatus',
  ObjectLockMode: 'ObjectLockMode',
  ObjectLockRetainUntilDate: 'ObjectLockRetainUntilDate',
  ObjectOwner: 'ObjectOwner',
  ReplicationStatus: 'ReplicationStatus',
  Size: 'Size',
  StorageClass: 'StorageClass',
} as const;
export type InventoryOptionalField = (typeof InventoryOptionalField)[keyof typeof InventoryOptionalField];

/** Server-side encryption with S3 managed keys: an empty element. */
// biome-ignore lint/complexity/noBannedTypes: S3's `<SSE-S3/>` has no members, as the SDK's `SSES3` has none.
export type InventorySSES3 = {};

/** Server-side encryption with a KMS key. */
export interface InventorySSEKMS {
  KeyId: string | undefined;
}

/** How S3 encrypts the inventory list (at most one of the two). */
export interface InventoryEncryption {
  SSES3?: InventorySSES3 | undefined;
  SSEKMS?: InventorySSEKMS | undefined;
}

/** The bucket (an ARN), account, prefix, format and encryption of the inventory list. */
export interface InventoryS3BucketDestination {
  AccountId?: string | undefined;
  Bucket: string | undefined;
  Format: InventoryFormat | undefined;
  Prefix?: string | undefined;
  Encryption?: InventoryEncryption | undefined;
}

/** Where S3 writes the inventory list. */
export interface InventoryDestination {
  S3BucketDestination: InventoryS3BucketDestination | undefined;
}

/** Which objects the list covers, by key prefix. */
export interface InventoryFilter {
  Prefix: string | undefined;
}

/** When S3 writes the list. */
export interface InventorySchedule {
  Frequency: InventoryFrequency | undefined;
}

/** One inventory configuration of a bucket, as `aws s3api get-bucket-inventory-configuration` prints it. */
export interface InventoryConfiguration {
  Destination: InventoryDestination | undefined;
  IsEnabled: boolean | undefined;
  Filter?: InventoryFilter | undefined;
  Id: string | undefined;
  IncludedObjectVersions: InventoryIncludedObjectVersions | undefined;
  OptionalFields?: InventoryOptionalField[] | undefined;
  Schedule: InventorySchedule | undefined;
}
