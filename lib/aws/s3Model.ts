/**
 * The S3 API's own inventory model, re-exported so that the rest of `lib/` takes its types and enums
 * from the SDK (the source of truth) while `lib/aws` stays the only folder that imports `@aws-sdk/*`.
 */

export type {
  InventoryConfiguration,
  InventoryDestination,
  InventoryEncryption,
  InventoryFilter,
  InventoryS3BucketDestination,
  InventorySchedule,
} from '@aws-sdk/client-s3';
export {
  InventoryFormat,
  InventoryFrequency,
  InventoryIncludedObjectVersions,
  InventoryOptionalField,
} from '@aws-sdk/client-s3';
