/**
 * An inventory configuration as the local S3 stores it: the S3 API's `InventoryConfiguration` with
 * its required members present (docs/aws-facts.md §1, Shape). Structurally an SDK `InventoryConfiguration`.
 */
export interface StoredInventoryConfiguration {
  Id: string;
  IsEnabled: boolean;
  IncludedObjectVersions: string;
  Schedule: { Frequency: string };
  Destination: { S3BucketDestination: StoredS3BucketDestination };
  Filter?: { Prefix: string };
  /** Kept as sent (order and all); absent when the request had no `<OptionalFields>`. */
  OptionalFields?: string[];
}

/** `Destination.S3BucketDestination`. */
export interface StoredS3BucketDestination {
  AccountId?: string;
  Bucket: string;
  Format: string;
  Prefix?: string;
  /** Exactly one of the two (`<SSE-S3/>` or `<SSE-KMS><KeyId/></SSE-KMS>`). */
  Encryption?: { SSES3: Record<string, never> } | { SSEKMS: { KeyId: string } };
}

/** One page of ListBucketInventoryConfigurations. */
export interface InventoryPage {
  configurations: StoredInventoryConfiguration[];
  /** The request's token, echoed. */
  continuationToken?: string;
  /** Present only when truncated. */
  nextContinuationToken?: string;
  isTruncated: boolean;
}
