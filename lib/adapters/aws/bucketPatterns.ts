/**
 * Whether `bucket` matches one of `patterns` (`S3IR_DESTINATION_BUCKETS`): an exact name, or a prefix ending
 * in `*` (`*` alone matches every bucket). Undefined patterns: no restriction. Matched as IAM matches
 * `arn:aws:s3:::prefix*`, so code and IAM agree on which bucket policies the service may write.
 * @example matchesBucketPatterns('logs-eu', ['logs-*']) // true
 */
export function matchesBucketPatterns(bucket: string, patterns: readonly string[] | undefined): boolean {
  if (patterns === undefined) return true;
  return patterns.some((pattern) =>
    pattern.endsWith('*') ? bucket.startsWith(pattern.slice(0, -1)) : bucket === pattern,
  );
}
