/**
 * The account S3 must find owning a bucket (`ExpectedBucketOwner`): one account for every bucket, or a
 * resolver per bucket (a destination's owner), e.g. `(bucket) => facts.destinations[bucket]?.account`.
 */
export type ExpectedOwner = string | ((bucket: string) => string | undefined | Promise<string | undefined>);

/**
 * `{ Bucket, ExpectedBucketOwner }` for a request: S3 answers 403 AccessDenied when another account owns the
 * bucket, so a bucket that changed hands is never read or written. No owner known: `{ Bucket }` alone.
 */
export async function bucketOwnerInput(
  bucket: string,
  expected: ExpectedOwner | undefined,
): Promise<{ Bucket: string; ExpectedBucketOwner?: string }> {
  const owner = typeof expected === 'function' ? await expected(bucket) : expected;
  return owner === undefined ? { Bucket: bucket } : { Bucket: bucket, ExpectedBucketOwner: owner };
}
