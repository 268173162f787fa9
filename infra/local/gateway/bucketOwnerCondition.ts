import type { IncomingMessage } from 'node:http';
import type { BucketDirectory } from '../s3Inventory/handleInventoryRequest.js';
import type { S3ErrorReply } from './awsErrors.js';
import type { RequestInfo } from './requestInfo.js';

/** The header of S3's bucket owner condition, and the one CopyObject/UploadPartCopy use for their source. */
export const EXPECTED_OWNER_HEADER = 'x-amz-expected-bucket-owner';
const EXPECTED_SOURCE_OWNER_HEADER = 'x-amz-source-expected-bucket-owner';

const ACCOUNT_ID = /^\d{12}$/;

/**
 * S3 ignores the condition on the calls that name no existing bucket's owner: CreateBucket and
 * ListBuckets (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html,
 * "Restrictions and limitations").
 */
const IGNORED_OPERATIONS: ReadonlySet<string> = new Set(['CreateBucket', 'ListBuckets']);

/** S3's answers when the condition fails (docs/aws-facts.md §1: the inventory table; the same for every operation). */
export const ownerConditionErrors = {
  accessDenied: { status: 403, code: 'AccessDenied', message: 'Access Denied' },
  malformed: {
    status: 400,
    code: 'InvalidBucketOwnerAWSAccountID',
    message: 'The value of the expected bucket owner parameter must be an AWS Account ID.',
  },
} as const satisfies Record<string, S3ErrorReply>;

/** The expected owner a request names in `header`: undefined when absent, `'malformed'` when not 12 digits. */
export function expectedOwner(req: IncomingMessage, header = EXPECTED_OWNER_HEADER): string | undefined {
  const value = req.headers[header];
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  return ACCOUNT_ID.test(text) ? text : 'malformed';
}

/** `x-amz-copy-source` (`/bucket/key`, `bucket/key?versionId=…`, URL-encoded) → the source bucket. */
function copySourceBucket(req: IncomingMessage): string | undefined {
  const source = req.headers['x-amz-copy-source'];
  if (typeof source !== 'string') return undefined;
  const path = decodeURIComponent(source.split('?')[0]!).replace(/^\//, '');
  const bucket = path.split('/')[0];
  return bucket || undefined;
}

/**
 * Enforces S3's bucket owner condition on any S3 operation on a bucket, as AWS does (moto ignores it):
 * a value that is not a 12-digit account id is refused with 400 InvalidBucketOwnerAWSAccountID before
 * anything else; an existing bucket owned by another account with 403 AccessDenied. A bucket that does
 * not exist is left to the backend (404 NoSuchBucket). CopyObject and UploadPartCopy also check their
 * source bucket against `x-amz-source-expected-bucket-owner`. Resolves with the error to send, or
 * undefined when the request may go on.
 */
export async function bucketOwnerRefusal(
  req: IncomingMessage,
  info: RequestInfo,
  operation: string,
  buckets: BucketDirectory,
): Promise<S3ErrorReply | undefined> {
  if (!info.bucket || IGNORED_OPERATIONS.has(operation)) return undefined;
  const checks: Array<{ bucket: string; owner: string | undefined }> = [
    { bucket: info.bucket, owner: expectedOwner(req) },
  ];
  const source = copySourceBucket(req);
  if (source && (operation === 'CopyObject' || operation === 'UploadPartCopy'))
    checks.push({ bucket: source, owner: expectedOwner(req, EXPECTED_SOURCE_OWNER_HEADER) });
  if (checks.some(({ owner }) => owner === 'malformed')) return ownerConditionErrors.malformed;
  for (const { bucket, owner } of checks) {
    // The usual case, the expected owner owns it, costs one look-up; existence is asked only otherwise.
    if (owner === undefined || (await buckets.isOwnedBy(bucket, owner))) continue;
    if (await buckets.exists(bucket, req)) return ownerConditionErrors.accessDenied;
  }
  return undefined;
}
