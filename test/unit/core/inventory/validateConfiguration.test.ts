import { describe, expect, it } from 'vitest';
import {
  InventoryFormat,
  InventoryFrequency,
  InventoryIncludedObjectVersions,
  InventoryOptionalField,
} from '../../../../lib/core/inventory/s3Inventory.js';
import type { InventoryConfiguration } from '../../../../lib/core/inventory/types.js';
import { formatIssue, validateConfiguration } from '../../../../lib/core/inventory/validateConfiguration.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';

const KEY_UUID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:111122223333:key/${KEY_UUID}`;
const MRK = 'mrk-0123456789abcdef0123456789abcdef';
const DEST = 'Destination.S3BucketDestination';

/** A valid configuration with members of S3BucketDestination replaced (`undefined` removes one). */
function withDestination(members: Record<string, unknown>): unknown {
  const base = makeConfiguration();
  const merged: Record<string, unknown> = { ...base.Destination!.S3BucketDestination, ...members };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return { ...base, Destination: { S3BucketDestination: merged } };
}

/** A valid configuration with top-level members replaced (`undefined` removes one). */
function withMembers(members: Record<string, unknown>): unknown {
  const merged: Record<string, unknown> = { ...makeConfiguration(), ...members };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged;
}

const withBucket = (Bucket: unknown) => withDestination({ Bucket });
const withKeyId = (KeyId: unknown) => withDestination({ Encryption: { SSEKMS: { KeyId } } });

interface BadCase {
  name: string;
  input: unknown;
  path: string;
  reason: string;
}

const badCases: BadCase[] = [
  // The value as a whole
  { name: 'null', input: null, path: '', reason: 'expected an inventory configuration object, got null' },
  { name: 'an array', input: [makeConfiguration()], path: '', reason: 'got an array' },
  { name: 'a string', input: 'daily-csv', path: '', reason: 'got "daily-csv"' },
  // Id
  {
    name: 'Id missing',
    input: withMembers({ Id: undefined }),
    path: 'Id',
    reason: 'required: expected an Id of 1 to 64',
  },
  {
    name: 'Id empty',
    input: withMembers({ Id: '' }),
    path: 'Id',
    reason: 'expected 1 to 64 characters, got ""',
  },
  {
    name: 'Id too long',
    input: withMembers({ Id: 'a'.repeat(65) }),
    path: 'Id',
    reason: 'at most 64 characters, got 65',
  },
  {
    name: 'Id with a space',
    input: withMembers({ Id: 'daily csv' }),
    path: 'Id',
    reason: 'got "daily csv" (" ")',
  },
  {
    name: 'Id with a slash',
    input: withMembers({ Id: 'daily/csv' }),
    path: 'Id',
    reason: 'letters, digits, "_", "." and "-"',
  },
  { name: 'Id a number', input: withMembers({ Id: 42 }), path: 'Id', reason: 'got 42' },
  // IsEnabled
  {
    name: 'IsEnabled a string',
    input: withMembers({ IsEnabled: 'true' }),
    path: 'IsEnabled',
    reason: 'expected true or false, got "true"',
  },
  {
    name: 'IsEnabled a number',
    input: withMembers({ IsEnabled: 1 }),
    path: 'IsEnabled',
    reason: 'expected true or false, got 1',
  },
  {
    name: 'IsEnabled missing',
    input: withMembers({ IsEnabled: undefined }),
    path: 'IsEnabled',
    reason: 'required: expected true or false',
  },
  // Unknown members
  {
    name: 'typo IsEnable',
    input: withMembers({ IsEnable: true }),
    path: 'IsEnable',
    reason: 'unknown field; did you mean "IsEnabled"?',
  },
  {
    name: 'Format at the top',
    input: withMembers({ Format: 'CSV' }),
    path: 'Format',
    reason: 'unknown field; expected one of Destination, IsEnabled',
  },
  {
    name: 'lower-case bucket',
    input: withDestination({ bucket: 'arn:aws:s3:::dest' }),
    path: `${DEST}.bucket`,
    reason: 'did you mean "Bucket"?',
  },
  {
    name: 'typo Frequncy',
    input: withMembers({ Schedule: { Frequency: 'Daily', Frequncy: 'Daily' } }),
    path: 'Schedule.Frequncy',
    reason: 'did you mean "Frequency"?',
  },
  {
    name: 'Filter with Tags',
    input: withMembers({ Filter: { Tags: [] } }),
    path: 'Filter.Tags',
    reason: 'unknown field; expected only Prefix',
  },
  {
    name: 'SSE-S3 spelt as in XML',
    input: withDestination({ Encryption: { 'SSE-S3': {} } }),
    path: `${DEST}.Encryption.SSE-S3`,
    reason: 'did you mean "SSES3"?',
  },
  {
    name: 'SSES3 with a member',
    input: withDestination({ Encryption: { SSES3: { KeyId: KEY_ARN } } }),
    path: `${DEST}.Encryption.SSES3.KeyId`,
    reason: 'expected an empty object {}',
  },
  // Destination
  {
    name: 'Destination missing',
    input: withMembers({ Destination: undefined }),
    path: 'Destination',
    reason: 'required: expected an object',
  },
  {
    name: 'Destination a string',
    input: withMembers({ Destination: 'arn:aws:s3:::dest' }),
    path: 'Destination',
    reason: 'expected an object, got "arn:aws:s3:::dest"',
  },
  {
    name: 'S3BucketDestination missing',
    input: withMembers({ Destination: {} }),
    path: DEST,
    reason: 'required: expected an object',
  },
  {
    name: 'Bucket missing',
    input: withBucket(undefined),
    path: `${DEST}.Bucket`,
    reason: 'required: expected a bucket ARN',
  },
  { name: 'Bucket a number', input: withBucket(42), path: `${DEST}.Bucket`, reason: 'got 42' },
  {
    name: 'Bucket a plain name',
    input: withBucket('inventory-reports'),
    path: `${DEST}.Bucket`,
    reason: 'expected a bucket ARN like arn:aws:s3:::my-bucket, got "inventory-reports"',
  },
  {
    name: 'Bucket an s3:// URL',
    input: withBucket('s3://inventory-reports'),
    path: `${DEST}.Bucket`,
    reason: 'expected a bucket ARN like',
  },
  {
    name: 'Bucket ARN with an account',
    input: withBucket('arn:aws:s3::123456789012:dest'),
    path: `${DEST}.Bucket`,
    reason: 'Bucket ARN should not specify a namespace',
  },
  {
    name: 'Bucket ARN with a region',
    input: withBucket('arn:aws:s3:us-east-1::dest'),
    path: `${DEST}.Bucket`,
    reason: 'expected "arn:aws:s3:::dest"',
  },
  {
    name: 'Bucket ARN in an unknown partition',
    input: withBucket('arn:aws-iso:s3:::dest'),
    path: `${DEST}.Bucket`,
    reason: 'expected partition aws | aws-cn | aws-us-gov in the ARN, got "aws-iso"',
  },
  {
    name: 'Bucket ARN of another service',
    input: withBucket('arn:aws:sqs:::dest'),
    path: `${DEST}.Bucket`,
    reason: 'expected a bucket ARN like',
  },
  {
    name: 'Bucket ARN with a key',
    input: withBucket('arn:aws:s3:::dest/reports'),
    path: `${DEST}.Bucket`,
    reason: 'without a key, got "arn:aws:s3:::dest/reports"; put the folder in Prefix',
  },
  {
    name: 'bucket name too short',
    input: withBucket('arn:aws:s3:::ab'),
    path: `${DEST}.Bucket`,
    reason: '3 to 63 characters, got "ab" (2)',
  },
  {
    name: 'bucket name too long',
    input: withBucket(`arn:aws:s3:::${'a'.repeat(64)}`),
    path: `${DEST}.Bucket`,
    reason: '(64)',
  },
  {
    name: 'bucket name in capitals',
    input: withBucket('arn:aws:s3:::Inventory'),
    path: `${DEST}.Bucket`,
    reason: 'lowercase letters, digits, "." and "-", got "Inventory"',
  },
  {
    name: 'bucket name with "_"',
    input: withBucket('arn:aws:s3:::my_bucket'),
    path: `${DEST}.Bucket`,
    reason: 'lowercase letters, digits',
  },
  {
    name: 'bucket name starting with "-"',
    input: withBucket('arn:aws:s3:::-dest'),
    path: `${DEST}.Bucket`,
    reason: 'starts and ends with a letter or digit',
  },
  {
    name: 'bucket name ending with "."',
    input: withBucket('arn:aws:s3:::dest.'),
    path: `${DEST}.Bucket`,
    reason: 'starts and ends with a letter or digit',
  },
  {
    name: 'bucket name with ".."',
    input: withBucket('arn:aws:s3:::my..bucket'),
    path: `${DEST}.Bucket`,
    reason: 'without "..", got "my..bucket"',
  },
  {
    name: 'bucket name an IP address',
    input: withBucket('arn:aws:s3:::192.168.5.4'),
    path: `${DEST}.Bucket`,
    reason: 'not an IP address',
  },
  {
    name: 'bucket name xn--',
    input: withBucket('arn:aws:s3:::xn--dest'),
    path: `${DEST}.Bucket`,
    reason: 'not starting with "xn--"',
  },
  {
    name: 'bucket name sthree-',
    input: withBucket('arn:aws:s3:::sthree-dest'),
    path: `${DEST}.Bucket`,
    reason: 'not starting with "sthree-"',
  },
  {
    name: 'bucket name amzn-s3-demo-',
    input: withBucket('arn:aws:s3:::amzn-s3-demo-bucket'),
    path: `${DEST}.Bucket`,
    reason: 'not starting with "amzn-s3-demo-"',
  },
  {
    name: 'bucket name -s3alias',
    input: withBucket('arn:aws:s3:::dest-s3alias'),
    path: `${DEST}.Bucket`,
    reason: 'not ending with "-s3alias"',
  },
  {
    name: 'bucket name --ol-s3',
    input: withBucket('arn:aws:s3:::dest--ol-s3'),
    path: `${DEST}.Bucket`,
    reason: 'not ending with "--ol-s3"',
  },
  {
    name: 'bucket name .mrap',
    input: withBucket('arn:aws:s3:::dest.mrap'),
    path: `${DEST}.Bucket`,
    reason: 'not ending with ".mrap"',
  },
  {
    name: 'bucket name --x-s3',
    input: withBucket('arn:aws:s3:::dest--use1-az4--x-s3'),
    path: `${DEST}.Bucket`,
    reason: 'not ending with "--x-s3"',
  },
  {
    name: 'bucket name --table-s3',
    input: withBucket('arn:aws:s3:::dest--table-s3'),
    path: `${DEST}.Bucket`,
    reason: 'not ending with "--table-s3"',
  },
  // Format
  {
    name: 'Format in lower case',
    input: withDestination({ Format: 'csv' }),
    path: `${DEST}.Format`,
    reason: 'expected CSV | ORC | Parquet, got "csv"',
  },
  {
    name: 'Format JSON',
    input: withDestination({ Format: 'JSON' }),
    path: `${DEST}.Format`,
    reason: 'got "JSON"',
  },
  {
    name: 'Format missing',
    input: withDestination({ Format: undefined }),
    path: `${DEST}.Format`,
    reason: 'required: expected CSV | ORC | Parquet',
  },
  // AccountId
  {
    name: 'AccountId too short',
    input: withDestination({ AccountId: '1234' }),
    path: `${DEST}.AccountId`,
    reason: 'expected a 12-digit AWS account ID, got "1234"',
  },
  {
    name: 'AccountId a number',
    input: withDestination({ AccountId: 111122223333 }),
    path: `${DEST}.AccountId`,
    reason: 'got 111122223333',
  },
  {
    name: 'AccountId with a letter',
    input: withDestination({ AccountId: '11112222333a' }),
    path: `${DEST}.AccountId`,
    reason: 'got "11112222333a"',
  },
  // Prefixes
  {
    name: 'Destination Prefix over 1024 bytes',
    input: withDestination({ Prefix: 'p'.repeat(1025) }),
    path: `${DEST}.Prefix`,
    reason: "at most 1024 bytes of UTF-8 (an S3 key's limit), got 1025",
  },
  {
    name: 'Destination Prefix of 513 "é"',
    input: withDestination({ Prefix: 'é'.repeat(513) }),
    path: `${DEST}.Prefix`,
    reason: 'got 1026',
  },
  {
    name: 'Filter Prefix over 1024 bytes',
    input: withMembers({ Filter: { Prefix: 'p'.repeat(1025) } }),
    path: 'Filter.Prefix',
    reason: 'at most 1024 bytes',
  },
  {
    name: 'Filter Prefix a number',
    input: withMembers({ Filter: { Prefix: 5 } }),
    path: 'Filter.Prefix',
    reason: 'expected a string, got 5',
  },
  {
    name: 'Filter a string',
    input: withMembers({ Filter: 'logs/' }),
    path: 'Filter',
    reason: 'expected an object, got "logs/"',
  },
  // Encryption
  {
    name: 'SSES3 and SSEKMS together',
    input: withDestination({ Encryption: { SSES3: {}, SSEKMS: { KeyId: KEY_ARN } } }),
    path: `${DEST}.Encryption`,
    reason: 'expected at most one of SSES3 and SSEKMS, got both',
  },
  {
    name: 'Encryption a string',
    input: withDestination({ Encryption: 'SSE-S3' }),
    path: `${DEST}.Encryption`,
    reason: 'expected an object, got "SSE-S3"',
  },
  {
    name: 'SSES3 true',
    input: withDestination({ Encryption: { SSES3: true } }),
    path: `${DEST}.Encryption.SSES3`,
    reason: 'expected an empty object {}, got true',
  },
  {
    name: 'SSEKMS without KeyId',
    input: withDestination({ Encryption: { SSEKMS: {} } }),
    path: `${DEST}.Encryption.SSEKMS.KeyId`,
    reason: 'required: expected a KMS key ARN',
  },
  {
    name: 'KeyId an alias',
    input: withKeyId('alias/inventory'),
    path: `${DEST}.Encryption.SSEKMS.KeyId`,
    reason: 'not an alias, got the alias "alias/inventory": S3 Inventory needs the key itself',
  },
  {
    name: 'KeyId an alias ARN',
    input: withKeyId('arn:aws:kms:us-east-1:111122223333:alias/inventory'),
    path: `${DEST}.Encryption.SSEKMS.KeyId`,
    reason: 'an alias can be repointed to another key without any change to the configuration',
  },
  {
    name: 'KeyId the AWS managed key',
    input: withKeyId('alias/aws/s3'),
    path: `${DEST}.Encryption.SSEKMS.KeyId`,
    reason: 'cannot use the AWS managed key aws/s3',
  },
  {
    name: 'KeyId a bare key id',
    input: withKeyId(KEY_UUID),
    path: `${DEST}.Encryption.SSEKMS.KeyId`,
    reason: `got a bare key id "${KEY_UUID}"`,
  },
  {
    name: 'KeyId a bare multi-Region key id',
    input: withKeyId(MRK),
    path: `${DEST}.Encryption.SSEKMS.KeyId`,
    reason: 'cross-account delivery needs the full key ARN',
  },
  {
    name: 'KeyId a bucket ARN',
    input: withKeyId('arn:aws:s3:::dest'),
    path: `${DEST}.Encryption.SSEKMS.KeyId`,
    reason: 'expected a KMS key ARN like arn:aws:kms:',
  },
  {
    name: 'KeyId with a bad key id',
    input: withKeyId('arn:aws:kms:us-east-1:111122223333:key/not-a-key'),
    path: `${DEST}.Encryption.SSEKMS.KeyId`,
    reason: 'a UUID or "mrk-" and 32 hex digits, got "not-a-key"',
  },
  {
    name: 'KeyId with a short account',
    input: withKeyId(`arn:aws:kms:us-east-1:1111:key/${KEY_UUID}`),
    path: `${DEST}.Encryption.SSEKMS.KeyId`,
    reason: '12-digit account ID in the key ARN, got "1111"',
  },
  {
    name: 'KeyId without a region',
    input: withKeyId(`arn:aws:kms::111122223333:key/${KEY_UUID}`),
    path: `${DEST}.Encryption.SSEKMS.KeyId`,
    reason: 'a region like us-east-1 in the key ARN, got ""',
  },
  {
    name: 'KeyId without "key/"',
    input: withKeyId(`arn:aws:kms:us-east-1:111122223333:${KEY_UUID}`),
    path: `${DEST}.Encryption.SSEKMS.KeyId`,
    reason: 'expected "key/{key-id}"',
  },
  {
    name: 'KeyId in an unknown partition',
    input: withKeyId(`arn:aws-iso:kms:us-east-1:111122223333:key/${KEY_UUID}`),
    path: `${DEST}.Encryption.SSEKMS.KeyId`,
    reason: 'got "aws-iso"',
  },
  {
    name: 'KeyId in another partition',
    input: withKeyId(`arn:aws-cn:kms:cn-north-1:111122223333:key/${KEY_UUID}`),
    path: `${DEST}.Encryption.SSEKMS.KeyId`,
    reason: 'expected a key in the destination bucket\'s partition "aws", got partition "aws-cn"',
  },
  // IncludedObjectVersions, Schedule
  {
    name: 'IncludedObjectVersions in lower case',
    input: withMembers({ IncludedObjectVersions: 'current' }),
    path: 'IncludedObjectVersions',
    reason: 'expected All | Current, got "current"',
  },
  {
    name: 'IncludedObjectVersions missing',
    input: withMembers({ IncludedObjectVersions: undefined }),
    path: 'IncludedObjectVersions',
    reason: 'required: expected All | Current',
  },
  {
    name: 'Frequency Hourly',
    input: withMembers({ Schedule: { Frequency: 'Hourly' } }),
    path: 'Schedule.Frequency',
    reason: 'expected Daily | Weekly, got "Hourly"',
  },
  {
    name: 'Schedule a string',
    input: withMembers({ Schedule: 'Daily' }),
    path: 'Schedule',
    reason: 'expected an object, got "Daily"',
  },
  {
    name: 'Schedule missing',
    input: withMembers({ Schedule: undefined }),
    path: 'Schedule',
    reason: 'required: expected an object',
  },
  // OptionalFields
  {
    name: 'OptionalFields a string',
    input: withMembers({ OptionalFields: 'Size' }),
    path: 'OptionalFields',
    reason: 'expected an array of field names, got "Size"',
  },
  {
    name: 'OptionalFields with a wrong case',
    input: withMembers({ OptionalFields: ['Size', 'size'] }),
    path: 'OptionalFields[1]',
    reason: 'Size | StorageClass, got "size"',
  },
  {
    name: 'OptionalFields with null',
    input: withMembers({ OptionalFields: ['Size', null] }),
    path: 'OptionalFields[1]',
    reason: 'got null',
  },
  {
    name: 'OptionalFields with a duplicate',
    input: withMembers({ OptionalFields: ['Size', 'ETag', 'Size'] }),
    path: 'OptionalFields[2]',
    reason: 'expected each field once, got "Size" again (also at OptionalFields[0])',
  },
];

type GoodCase = [name: string, input: unknown];

const goodCases: GoodCase[] = [
  ['the default factory configuration', makeConfiguration()],
  ...Object.values(InventoryFormat).map(
    (Format): GoodCase => [`Format ${Format}`, withDestination({ Format })],
  ),
  ...Object.values(InventoryFrequency).map(
    (Frequency): GoodCase => [`Frequency ${Frequency}`, withMembers({ Schedule: { Frequency } })],
  ),
  ...Object.values(InventoryIncludedObjectVersions).map(
    (versions): GoodCase => [
      `IncludedObjectVersions ${versions}`,
      withMembers({ IncludedObjectVersions: versions }),
    ],
  ),
  ['IsEnabled false', withMembers({ IsEnabled: false })],
  ['SSE-S3', withDestination({ Encryption: { SSES3: {} } })],
  ['SSE-KMS with a key UUID', makeKmsConfiguration()],
  ['SSE-KMS with a multi-Region key', makeKmsConfiguration(`arn:aws:kms:eu-west-1:111122223333:key/${MRK}`)],
  ['an empty Encryption', withDestination({ Encryption: {} })],
  [
    'aws-cn with a key there',
    withDestination({
      Bucket: 'arn:aws-cn:s3:::reports.cn',
      Encryption: { SSEKMS: { KeyId: `arn:aws-cn:kms:cn-north-1:111122223333:key/${KEY_UUID}` } },
    }),
  ],
  [
    'aws-us-gov with a key there',
    withDestination({
      Bucket: 'arn:aws-us-gov:s3:::reports-gov',
      Encryption: { SSEKMS: { KeyId: `arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/${MRK}` } },
    }),
  ],
  ['a destination in another account', withDestination({ AccountId: '444455556666' })],
  ['no destination Prefix', withDestination({ Prefix: undefined })],
  ['a destination Prefix of 1024 bytes', withDestination({ Prefix: 'é'.repeat(512) })],
  ['a Filter prefix', withMembers({ Filter: { Prefix: 'logs/2024/' } })],
  ['an empty Filter', withMembers({ Filter: {} })],
  ['no OptionalFields', withMembers({ OptionalFields: undefined })],
  ['empty OptionalFields', withMembers({ OptionalFields: [] })],
  [
    'every optional field from the SDK',
    withMembers({ OptionalFields: Object.values(InventoryOptionalField) }),
  ],
  ['an Id of 64 characters', withMembers({ Id: `A-z_0.9${'x'.repeat(57)}` })],
  ['a bucket name of 3 characters with dots inside', withBucket('arn:aws:s3:::a.b')],
];

describe('validateConfiguration()', () => {
  it('has at least 45 distinct bad configurations to check', () => {
    expect(badCases.length).toBeGreaterThanOrEqual(45);
    expect(new Set(badCases.map((badCase) => JSON.stringify(badCase.input))).size).toBe(badCases.length);
  });

  it.each(badCases)('refuses $name at "$path"', ({ input, path, reason }) => {
    const result = validateConfiguration(input);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toContainEqual({ path, message: expect.stringContaining(reason) });
  });

  it.each(badCases)('never shows zod wording for $name', ({ input }) => {
    const result = validateConfiguration(input);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    for (const issue of result.issues) {
      expect(issue.message).not.toMatch(/invalid input|invalid option|unrecognized key|invalid value/i);
      expect(issue.message).toMatch(/^(required: )?expected |^unknown field|^Bucket ARN should not specify/);
    }
  });

  it('reports every issue at once, in schema order', () => {
    const input = {
      ...makeConfiguration(),
      Id: 'daily csv',
      IsEnabled: 'true',
      IsEnable: true,
      Destination: { S3BucketDestination: { Bucket: 'inventory-reports', Format: 'csv' } },
      OptionalFields: ['Size', 'Size'],
    };

    expect(validateConfiguration(input)).toEqual({
      ok: false,
      issues: [
        {
          path: 'Destination.S3BucketDestination.Bucket',
          message: 'expected a bucket ARN like arn:aws:s3:::my-bucket, got "inventory-reports"',
        },
        {
          path: 'Destination.S3BucketDestination.Format',
          message: 'expected CSV | ORC | Parquet, got "csv"',
        },
        { path: 'IsEnabled', message: 'expected true or false, got "true"' },
        { path: 'Id', message: 'expected only letters, digits, "_", "." and "-", got "daily csv" (" ")' },
        {
          path: 'OptionalFields[1]',
          message: 'expected each field once, got "Size" again (also at OptionalFields[0])',
        },
        { path: 'IsEnable', message: 'unknown field; did you mean "IsEnabled"?' },
      ],
    });
  });

  it('reports each unknown member of one object at its own path', () => {
    const result = validateConfiguration(
      withMembers({ Schedule: { Frequency: 'Daily', frequency: 'Daily', Day: 'Monday' } }),
    );

    expect(result).toEqual({
      ok: false,
      issues: [
        { path: 'Schedule.frequency', message: 'unknown field; did you mean "Frequency"?' },
        { path: 'Schedule.Day', message: 'unknown field; expected only Frequency' },
      ],
    });
  });

  it('reports every broken bucket-name rule and a namespace together', () => {
    const result = validateConfiguration(withBucket('arn:aws:s3::123456789012:-My..Bucket'));

    expect(result.ok || result.issues.map((issue) => issue.message)).toEqual([
      'Bucket ARN should not specify a namespace (region or account): expected "arn:aws:s3:::-My..Bucket", ' +
        'got "arn:aws:s3::123456789012:-My..Bucket"; for a destination in another account set AccountId',
      'expected a bucket name of lowercase letters, digits, "." and "-", got "-My..Bucket"',
      'expected a bucket name that starts and ends with a letter or digit, got "-My..Bucket"',
      'expected a bucket name without "..", got "-My..Bucket"',
    ]);
  });

  it('shortens a long value in a message', () => {
    const result = validateConfiguration(withBucket(`arn:aws:s3:::${'a'.repeat(100)}`));

    expect(result.ok || result.issues[0]?.message).toBe(
      `expected a bucket name of 3 to 63 characters, got "${'a'.repeat(80)}…" (100)`,
    );
  });

  it.each(goodCases)('accepts %s', (_name, input) => {
    expect(validateConfiguration(input)).toEqual({ ok: true, value: input as InventoryConfiguration });
  });

  it('returns a copy, not the input', () => {
    const input = makeKmsConfiguration();
    const result = validateConfiguration(input);

    expect(result.ok && result.value).not.toBe(input);
    expect(result.ok && result.value.Destination).not.toBe(input.Destination);
  });

  it('accepts exactly the optional fields of the SDK enum', () => {
    const sdkFields = Object.values(InventoryOptionalField);
    const accepted = sdkFields.filter(
      (field) => validateConfiguration(withMembers({ OptionalFields: [field] })).ok,
    );
    const refused = validateConfiguration(withMembers({ OptionalFields: ['NotAField'] }));
    const listed = refused.ok
      ? []
      : refused.issues[0]!.message.replace(/^expected (.*), got .*$/, '$1').split(' | ');

    expect(accepted).toEqual(sdkFields);
    expect(listed).toEqual(sdkFields);
  });
});

describe('formatIssue()', () => {
  it('prints the dotted path and the reason', () => {
    expect(formatIssue({ path: `${DEST}.Format`, message: 'expected CSV | ORC | Parquet, got "csv"' })).toBe(
      'Destination.S3BucketDestination.Format: expected CSV | ORC | Parquet, got "csv"',
    );
  });

  it('shows the root as (root)', () => {
    expect(formatIssue({ path: '', message: 'expected an inventory configuration object, got null' })).toBe(
      '(root): expected an inventory configuration object, got null',
    );
  });
});
