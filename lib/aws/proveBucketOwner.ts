import type { S3Client } from '@aws-sdk/client-s3';
import { AccessDeniedError } from './errors.js';
import { S3InventoryAdapter } from './S3InventoryAdapter.js';

/** An Id no configuration of ours has: the read answers the owner check, not a configuration. */
const PROBE_ID = 's3ir-owner-proof';

/**
 * Whether S3 confirms that `account` owns `bucket`: one GetBucketInventoryConfiguration with
 * ExpectedBucketOwner, which S3 answers 403 for another owner before it looks for the configuration
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html); found or not, the
 * owner is confirmed. A refusal for any reason (another owner, no permission) proves nothing: false.
 * Other failures are thrown (retry).
 * The minimal proof the planner's trust boundary needs (DestinationFacts.ownerVerified); the facts reader
 * may prove it with a call it makes anyway.
 */
export async function proveBucketOwner(client: S3Client, bucket: string, account: string): Promise<boolean> {
  try {
    await new S3InventoryAdapter({ client, expectedBucketOwner: account }).get(bucket, PROBE_ID);
    return true;
  } catch (error) {
    if (error instanceof AccessDeniedError) return false;
    throw error;
  }
}
