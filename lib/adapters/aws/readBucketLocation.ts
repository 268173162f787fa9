import { GetBucketLocationCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { AccessDeniedError } from './errors.js';
import { regionFromLocation } from './scopes.js';
import { callAws, toAdapterError } from './toAdapterError.js';

/** Whether a bucket exists and, when S3 says, its region. */
export interface BucketLocation {
  exists: boolean;
  region?: string;
  /** True only when S3 answered HeadBucket with ExpectedBucketOwner = the expected owner (200). */
  ownerVerified?: boolean;
  /**
   * Set when S3 refused HeadBucket (403) without naming the region: AWS's own error, naming the call and the code, so that a caller
   * that needed the region reports the refusal and not its symptom (no region).
   */
  denied?: AccessDeniedError;
}

interface HeadError {
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

/**
 * Learns where a bucket lives with one HeadBucket (its `x-amz-bucket-region` header, docs/aws-facts.md §2), sent
 * with `ExpectedBucketOwner` when `expectedOwner` is given: a 200 then proves that account owns it
 * (`ownerVerified`). 404 means it does not exist; 403 means it exists but is not ours to read, or belongs to
 * another account (S3 answers 403 AccessDenied for another owner), and S3 still names the region in the
 * header. Only when no header came back (some emulators) it asks GetBucketLocation, whose `EU` and empty
 * answers are made canonical.
 * @throws AwsAdapterError for anything else (throttling, network, a malformed owner id: 400).
 */
export async function readBucketLocation(
  client: Pick<S3Client, 'send'>,
  bucket: string,
  expectedOwner?: string,
): Promise<BucketLocation> {
  const owner = expectedOwner === undefined ? {} : { ExpectedBucketOwner: expectedOwner };
  const verified = expectedOwner === undefined ? {} : { ownerVerified: true };
  const refused = expectedOwner === undefined ? {} : { ownerVerified: false };
  let headerRegion: string | undefined;
  try {
    const output = await client.send(new HeadBucketCommand({ Bucket: bucket, ...owner }));
    headerRegion = output.BucketRegion;
  } catch (error) {
    const head = (typeof error === 'object' && error !== null ? error : {}) as HeadError;
    const status = head.$metadata?.httpStatusCode;
    if (status === 404) return { exists: false, ...refused };
    const region = head.$response?.headers?.['x-amz-bucket-region'];
    if (status === 301) return region ? { exists: true, region, ...refused } : { exists: true, ...refused };
    if (status === 403) {
      // With the region named, the caller's next call meets (and names) the refusal itself.
      if (region) return { exists: true, region, ...refused };
      return { exists: true, ...refused, denied: deniedHead(error, bucket) };
    }
    throw toAdapterError(error, `HeadBucket ${bucket}`);
  }
  if (headerRegion) return { exists: true, region: headerRegion, ...verified };
  const location = await callAws(`GetBucketLocation ${bucket}`, () =>
    client.send(new GetBucketLocationCommand({ Bucket: bucket, ...owner })),
  );
  return { exists: true, region: regionFromLocation(location.LocationConstraint), ...verified };
}

/**
 * A 403 HeadBucket as AWS's refusal: `AccessDenied on HeadBucket photos (403)`. HEAD has no body, so the
 * SDK knows no code: the status is the code (AWS documents HeadBucket's 403 as access denied).
 */
function deniedHead(error: unknown, bucket: string): AccessDeniedError {
  const mapped = toAdapterError(error, `HeadBucket ${bucket}`);
  return new AccessDeniedError({
    code: mapped.code,
    message: `${mapped.code} on HeadBucket ${bucket} (403)`,
    status: 403,
    requestId: mapped.requestId,
    cause: error,
  });
}
