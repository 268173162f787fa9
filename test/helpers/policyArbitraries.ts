import fc from 'fast-check';
import { DESTINATION_GRANT_SID, KEY_GRANT_SID } from '../../lib/core/policy/constants.js';
import type { DeliverySource, PolicyDocument, PolicyStatement } from '../../lib/core/policy/types.js';

/** A delivery source for `inventory-reports` with a prefix, in the `aws` partition; override any member. */
export function makeDeliverySource(overrides: Partial<DeliverySource> = {}): DeliverySource {
  return {
    sourceBucket: 'source-bucket',
    sourceAccount: '111122223333',
    partition: 'aws',
    destinationBucket: 'inventory-reports',
    destinationPrefix: 'inventory',
    configurationId: 'daily-csv',
    keyArn: 'arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ...overrides,
  };
}

const lowerAlnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const bucketName = fc
  .array(fc.oneof(lowerAlnum, fc.constant('-')), { minLength: 1, maxLength: 18 })
  .map((chars) => `b${chars.join('')}0`);
const accountId = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 })
  .map((d) => d.join(''));
const pathSegment = fc.array(lowerAlnum, { minLength: 1, maxLength: 8 }).map((chars) => chars.join(''));
const partition = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov');

/** Delivery sources in any partition, with or without a destination prefix. */
export const deliverySourceArb: fc.Arbitrary<DeliverySource> = fc
  .record({
    sourceBucket: bucketName,
    sourceAccount: accountId,
    partition,
    destinationBucket: bucketName,
    destinationPrefix: fc.option(pathSegment, { nil: undefined }),
    configurationId: pathSegment,
    keyId: fc.uuid(),
  })
  .map(({ keyId, ...source }) => ({
    ...source,
    keyArn: `arn:${source.partition}:kms:us-east-1:${source.sourceAccount}:key/${keyId}`,
  }));

/** Two sources that deliver to the same destination bucket (and key) from different source buckets. */
export const sourcePairArb: fc.Arbitrary<[DeliverySource, DeliverySource]> = fc
  .tuple(deliverySourceArb, bucketName, accountId, fc.option(pathSegment, { nil: undefined }))
  .filter(([first, otherBucket]) => otherBucket !== first.sourceBucket)
  .map(([first, sourceBucket, sourceAccount, destinationPrefix]) => [
    first,
    { ...first, sourceBucket, sourceAccount, destinationPrefix },
  ]);

const foreignSid = fc
  .array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('')), {
    minLength: 1,
    maxLength: 12,
  })
  .map((chars) => chars.join(''))
  .filter((sid) => sid !== DESTINATION_GRANT_SID && sid !== KEY_GRANT_SID);

const otherPrincipal = fc.oneof(
  accountId.map((account) => ({ AWS: `arn:aws:iam::${account}:root` })),
  fc.constantFrom({ Service: 'logging.s3.amazonaws.com' }, { Service: ['cloudtrail.amazonaws.com'] }),
  fc
    .tuple(accountId, pathSegment)
    .map(([account, role]) => ({ AWS: [`arn:aws:iam::${account}:role/${role}`] })),
);
const otherAction = fc.oneof(
  fc.constantFrom('s3:GetObject', 's3:ListBucket', 's3:GetBucketAcl', 'kms:Decrypt', 'kms:DescribeKey'),
  fc.constantFrom(['s3:GetObject', 's3:GetObjectVersion'], ['kms:Encrypt', 'kms:ReEncrypt*']),
);
const anyResource = fc.oneof(
  fc.constant('*'),
  fc.tuple(bucketName, pathSegment).map(([bucket, path]) => `arn:aws:s3:::${bucket}/${path}/*`),
  bucketName.map((bucket) => [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]),
);
const someCondition = fc.option(
  fc.oneof(
    accountId.map((account) => ({ StringEquals: { 'aws:PrincipalAccount': account } })),
    fc.constant({ Bool: { 'aws:SecureTransport': 'true' } }),
    bucketName.map((bucket) => ({ ArnLike: { 'aws:SourceArn': [`arn:aws:s3:::${bucket}`] } })),
  ),
  { nil: undefined },
);

function withoutUndefined(statement: Record<string, unknown>): PolicyStatement {
  return Object.fromEntries(
    Object.entries(statement).filter(([, value]) => value !== undefined),
  ) as PolicyStatement;
}

/** Allow statements for other principals and actions: they never grant S3 Inventory delivery. */
export const foreignAllowArb: fc.Arbitrary<PolicyStatement> = fc
  .record({
    Sid: fc.option(foreignSid, { nil: undefined }),
    Effect: fc.constant('Allow'),
    Principal: otherPrincipal,
    Action: otherAction,
    Resource: anyResource,
    Condition: someCondition,
  })
  .map(withoutUndefined);

/** Statements that may concern S3 itself: broader grants (which may already allow delivery) and Denies. */
export const s3RelatedStatementArb: fc.Arbitrary<PolicyStatement> = fc
  .record({
    Sid: fc.option(foreignSid, { nil: undefined }),
    Effect: fc.constantFrom('Allow', 'Deny'),
    Principal: fc.constantFrom<PolicyStatement['Principal']>(
      '*',
      { Service: 's3.amazonaws.com' },
      { AWS: '*' },
    ),
    Action: fc.constantFrom('s3:PutObject', 's3:*', 'kms:GenerateDataKey', 'kms:*', 's3:DeleteObject'),
    Resource: fc.oneof(fc.constant('*'), anyResource),
    Condition: fc.option(
      fc.constantFrom(
        { Bool: { 'aws:SecureTransport': 'false' } },
        { Bool: { 'aws:SecureTransport': 'true' } },
        { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
        { StringEquals: { 'aws:SourceAccount': '000000000000' } },
        { StringLike: { 'aws:SourceArn': 'arn:*:s3:::*' } },
      ),
      { nil: undefined, freq: 1 },
    ),
  })
  .map(withoutUndefined);

/** Statements that always grant S3 Inventory delivery, to either target, without naming a source. */
export const broadGrantArb: fc.Arbitrary<PolicyStatement> = fc
  .record({
    Sid: fc.option(foreignSid, { nil: undefined }),
    Effect: fc.constant('Allow'),
    Principal: fc.constantFrom<PolicyStatement['Principal']>(
      '*',
      { Service: 's3.amazonaws.com' },
      { AWS: '*' },
    ),
    Action: fc.constantFrom('*', ['s3:*', 'kms:*'], ['s3:Put*', 'kms:Generate*']),
    Resource: fc.constant('*'),
  })
  .map(withoutUndefined);

function policyOf(statements: fc.Arbitrary<PolicyStatement[]>): fc.Arbitrary<PolicyDocument> {
  return fc
    .record(
      {
        Version: fc.constantFrom('2012-10-17', '2008-10-17'),
        Id: pathSegment.map((id) => `Policy${id}`),
        statements,
        asObject: fc.boolean(),
      },
      { requiredKeys: ['statements', 'asObject'] },
    )
    .map(({ statements: list, asObject, ...top }) => ({
      ...top,
      Statement: asObject && list.length === 1 ? list[0]! : list,
    }));
}

/** Foreign policies of Allow statements for others: with or without Version and Id, Statement object or array. */
export const foreignPolicyArb: fc.Arbitrary<PolicyDocument> = policyOf(
  fc.array(foreignAllowArb, { minLength: 0, maxLength: 6 }),
);

/** Foreign policies that may also hold broader S3 grants and Denies (filter out matching Denies as needed). */
export const mixedPolicyArb: fc.Arbitrary<PolicyDocument> = policyOf(
  fc.array(
    fc.oneof({ weight: 3, arbitrary: foreignAllowArb }, { weight: 1, arbitrary: s3RelatedStatementArb }),
    {
      minLength: 0,
      maxLength: 6,
    },
  ),
);
