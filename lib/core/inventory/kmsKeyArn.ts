import { isPartition, partitionMessage, splitArn } from './arn.js';
import { describeValue } from './messages.js';

const KEY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MULTI_REGION_KEY = /^mrk-[0-9a-f]{32}$/i;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT_ID = /^\d{12}$/;
const EXAMPLE = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/**
 * Why an `SSEKMS.KeyId` is not a full KMS key ARN (`arn:{partition}:kms:{region}:{account}:key/{key-id}`).
 * Empty when it is fine. Aliases and bare key ids are refused, each with the reason.
 */
export function kmsKeyArnProblems(value: string): string[] {
  if (isKeyId(value)) {
    return [
      `expected a full key ARN like arn:aws:kms:us-east-1:111122223333:key/${value}, got a bare key id ` +
        `${describeValue(value)}: the key's account and region are needed to grant s3.amazonaws.com in its ` +
        'key policy, and cross-account delivery needs the full key ARN',
    ];
  }
  const arn = splitArn(value);
  const alias = value.startsWith('alias/')
    ? value
    : arn?.service === 'kms'
      ? aliasIn(arn.resource)
      : undefined;
  if (alias !== undefined) return [aliasMessage(value, alias)];
  if (arn === undefined || arn.service !== 'kms') {
    return [`expected a KMS key ARN like ${EXAMPLE}, got ${describeValue(value)}`];
  }
  const problems: string[] = [];
  if (!isPartition(arn.partition)) problems.push(partitionMessage(arn.partition));
  if (!REGION.test(arn.region)) {
    problems.push(`expected a region like us-east-1 in the key ARN, got ${describeValue(arn.region)}`);
  }
  if (!ACCOUNT_ID.test(arn.account)) {
    problems.push(`expected a 12-digit account ID in the key ARN, got ${describeValue(arn.account)}`);
  }
  const keyId = arn.resource.startsWith('key/') ? arn.resource.slice('key/'.length) : undefined;
  if (keyId === undefined) {
    problems.push(`expected "key/{key-id}" at the end of the key ARN, got ${describeValue(arn.resource)}`);
  } else if (!isKeyId(keyId)) {
    problems.push(
      `expected a key id that is a UUID or "mrk-" and 32 hex digits, got ${describeValue(keyId)}`,
    );
  }
  return problems;
}

/** The partition of a KMS key ARN, when it has a known one. */
export function kmsKeyPartition(value: string): string | undefined {
  const partition = splitArn(value)?.partition;
  return partition !== undefined && isPartition(partition) ? partition : undefined;
}

/** The region named in a KMS key ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`), when it is one. */
export function kmsKeyRegion(value: string): string | undefined {
  const arn = splitArn(value);
  return arn?.service === 'kms' && arn.region !== '' ? arn.region : undefined;
}

function isKeyId(value: string): boolean {
  return KEY_UUID.test(value) || MULTI_REGION_KEY.test(value);
}

function aliasIn(resource: string): string | undefined {
  return resource.startsWith('alias/') ? resource : undefined;
}

function aliasMessage(value: string, alias: string): string {
  const got = `got the alias ${describeValue(value)}`;
  if (alias === 'alias/aws/s3') {
    // docs/aws-facts.md §3: S3 Inventory cannot use the AWS managed key, and its policy cannot be changed.
    return `expected a customer managed KMS key ARN, ${got}: S3 Inventory cannot use the AWS managed key aws/s3`;
  }
  return (
    `expected a KMS key ARN, not an alias, ${got}: S3 Inventory needs the key itself, because the key ` +
    'policy must grant s3.amazonaws.com and an alias can be repointed to another key without any change ' +
    'to the configuration'
  );
}
