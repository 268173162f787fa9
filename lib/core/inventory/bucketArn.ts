import { isPartition, partitionMessage, splitArn } from './arn.js';
import { describeValue } from './messages.js';

const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];
const IPV4_LIKE = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Why a destination `Bucket` is not what S3 Inventory accepts: an account-free bucket ARN such as
 * `arn:aws:s3:::my-bucket` (docs/aws-facts.md §1). Empty when it is fine.
 */
export function bucketArnProblems(value: string): string[] {
  const arn = splitArn(value);
  if (arn === undefined || arn.service !== 's3') {
    return [`expected a bucket ARN like arn:aws:s3:::my-bucket, got ${describeValue(value)}`];
  }
  const problems: string[] = [];
  if (!isPartition(arn.partition)) problems.push(partitionMessage(arn.partition));
  if (arn.region !== '' || arn.account !== '') {
    const partition = isPartition(arn.partition) ? arn.partition : 'aws';
    // S3 answers InvalidS3DestinationBucket "Bucket ARN should not specify a namespace." (docs/aws-facts.md §1).
    problems.push(
      'Bucket ARN should not specify a namespace (region or account): ' +
        `expected "arn:${partition}:s3:::${arn.resource}", got ${describeValue(value)}; ` +
        'for a destination in another account set AccountId',
    );
  }
  if (arn.resource.includes('/')) {
    problems.push(
      `expected a bucket ARN without a key, got ${describeValue(value)}; put the folder in Prefix`,
    );
  } else {
    problems.push(...bucketNameProblems(arn.resource));
  }
  return problems;
}

/** Why a string is not a valid general purpose S3 bucket name, one reason per broken rule. */
export function bucketNameProblems(name: string): string[] {
  const got = describeValue(name);
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) {
    problems.push(`expected a bucket name of 3 to 63 characters, got ${got} (${name.length})`);
  }
  if (/[^a-z0-9.-]/.test(name)) {
    problems.push(`expected a bucket name of lowercase letters, digits, "." and "-", got ${got}`);
  }
  if (/^[.-]|[.-]$/.test(name)) {
    problems.push(`expected a bucket name that starts and ends with a letter or digit, got ${got}`);
  }
  if (name.includes('..')) problems.push(`expected a bucket name without "..", got ${got}`);
  if (IPV4_LIKE.test(name)) problems.push(`expected a bucket name, not an IP address, got ${got}`);
  for (const prefix of RESERVED_PREFIXES.filter((reserved) => name.startsWith(reserved))) {
    problems.push(`expected a bucket name not starting with "${prefix}" (reserved by AWS), got ${got}`);
  }
  for (const suffix of RESERVED_SUFFIXES.filter((reserved) => name.endsWith(reserved))) {
    problems.push(`expected a bucket name not ending with "${suffix}" (reserved by AWS), got ${got}`);
  }
  return problems;
}

/**
 * The partition and bucket of an account-free bucket ARN, e.g. `{ partition: 'aws', bucket: 'dest' }` for
 * `arn:aws:s3:::dest`; `undefined` for anything else. Only the shape is read, not the naming rules: a
 * configuration S3 already holds may name a legacy bucket that {@link bucketArnProblems} would refuse.
 */
export function bucketArnParts(value: string): { partition: string; bucket: string } | undefined {
  const arn = splitArn(value);
  if (arn === undefined || arn.service !== 's3' || arn.region !== '' || arn.account !== '') return undefined;
  if (arn.partition === '' || arn.resource === '' || /[/:]/.test(arn.resource)) return undefined;
  return { partition: arn.partition, bucket: arn.resource };
}

/** The bucket name inside a valid destination bucket ARN, e.g. `dest` for `arn:aws:s3:::dest`. */
export function bucketNameFromArn(value: string): string | undefined {
  return bucketArnProblems(value).length === 0 ? splitArn(value)?.resource : undefined;
}
