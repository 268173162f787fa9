import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeConfiguration } from '../../../../lib/core/inventory/normalizeConfiguration.js';
import type { InventoryConfiguration } from '../../../../lib/core/inventory/types.js';
import { validateConfiguration } from '../../../../lib/core/inventory/validateConfiguration.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';
import { arbConfiguration } from '../../../helpers/inventoryArbitraries.js';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** Lets a test pass members the SDK type does not know (S3 may add some) or types loosely. */
const loose = (value: unknown) => value as InventoryConfiguration;

describe('normalizeConfiguration()', () => {
  it('makes the canonical form: sorted fields, empty members dropped, SDK member order', () => {
    const input = loose({
      Schedule: { Frequency: 'Weekly' },
      OptionalFields: ['StorageClass', 'Size', 'ETag', 'Size'],
      Id: 'weekly-orc',
      IncludedObjectVersions: 'All',
      IsEnabled: false,
      Filter: { Prefix: '' },
      Destination: {
        S3BucketDestination: {
          Encryption: {},
          Prefix: '',
          Format: 'ORC',
          Bucket: 'arn:aws:s3:::inventory-reports',
          AccountId: '111122223333',
        },
      },
    });

    const normalized = normalizeConfiguration(input);

    expect(normalized).toEqual({
      Destination: {
        S3BucketDestination: {
          AccountId: '111122223333',
          Bucket: 'arn:aws:s3:::inventory-reports',
          Format: 'ORC',
        },
      },
      IsEnabled: false,
      Id: 'weekly-orc',
      IncludedObjectVersions: 'All',
      OptionalFields: ['ETag', 'Size', 'StorageClass'],
      Schedule: { Frequency: 'Weekly' },
    });
    expect(JSON.stringify(normalized)).toBe(
      '{"Destination":{"S3BucketDestination":{"AccountId":"111122223333","Bucket":"arn:aws:s3:::inventory-reports",' +
        '"Format":"ORC"}},"IsEnabled":false,"Id":"weekly-orc","IncludedObjectVersions":"All",' +
        '"OptionalFields":["ETag","Size","StorageClass"],"Schedule":{"Frequency":"Weekly"}}',
    );
  });

  it('keeps a Filter prefix, a destination Prefix and SSE-KMS, members in the SDK order', () => {
    const input = loose({
      ...makeKmsConfiguration(KEY_ARN),
      Filter: { Prefix: 'logs/' },
    });

    expect(JSON.stringify(normalizeConfiguration(input))).toBe(
      JSON.stringify({
        Destination: {
          S3BucketDestination: {
            Bucket: 'arn:aws:s3:::inventory-reports',
            Format: 'CSV',
            Prefix: 'inventory',
            Encryption: { SSEKMS: { KeyId: KEY_ARN } },
          },
        },
        IsEnabled: true,
        Filter: { Prefix: 'logs/' },
        Id: 'daily-csv',
        IncludedObjectVersions: 'Current',
        OptionalFields: ['LastModifiedDate', 'Size', 'StorageClass'],
        Schedule: { Frequency: 'Daily' },
      }),
    );
  });

  it.each([
    ['absent', undefined],
    ['empty', []],
  ])('omits OptionalFields when %s', (_name, OptionalFields) => {
    expect(normalizeConfiguration(makeConfiguration({ OptionalFields }))).not.toHaveProperty(
      'OptionalFields',
    );
  });

  it.each([
    ['absent', undefined],
    ['{}', {}],
    ['{ Prefix: "" }', { Prefix: '' }],
  ])('omits a Filter that is %s', (_name, Filter) => {
    expect(normalizeConfiguration(loose({ ...makeConfiguration(), Filter }))).not.toHaveProperty('Filter');
  });

  it('keeps SSES3: {} as a choice distinct from no encryption', () => {
    const sseS3 = makeConfiguration({
      Destination: {
        S3BucketDestination: { Bucket: 'arn:aws:s3:::dest', Format: 'CSV', Encryption: { SSES3: {} } },
      },
    });
    const none = makeConfiguration({
      Destination: { S3BucketDestination: { Bucket: 'arn:aws:s3:::dest', Format: 'CSV', Encryption: {} } },
    });

    expect(normalizeConfiguration(sseS3).Destination).toEqual({
      S3BucketDestination: { Bucket: 'arn:aws:s3:::dest', Format: 'CSV', Encryption: { SSES3: {} } },
    });
    expect(normalizeConfiguration(none).Destination).toEqual({
      S3BucketDestination: { Bucket: 'arn:aws:s3:::dest', Format: 'CSV' },
    });
  });

  it('keeps members S3 may add later, after the known ones and in a canonical order', () => {
    const input = loose({
      ...makeConfiguration(),
      Zeta: { b: 2, a: [3, 1], c: undefined },
      Alpha: 'new',
      Filter: { Prefix: '', Tags: [{ Key: 'k', Value: 'v' }] },
      Schedule: { Frequency: 'Daily', DayOfWeek: 'Monday' },
      Destination: {
        S3BucketDestination: {
          Bucket: 'arn:aws:s3:::dest',
          Format: 'CSV',
          Encryption: { SSEKMS: { KeyId: KEY_ARN, Context: 'x' }, DSSE: {} },
          Versioned: true,
        },
        OtherDestination: { Url: 'x' },
      },
    });

    const normalized = normalizeConfiguration(input) as unknown as Record<string, unknown>;

    expect(Object.keys(normalized)).toEqual([
      'Destination',
      'IsEnabled',
      'Filter',
      'Id',
      'IncludedObjectVersions',
      'OptionalFields',
      'Schedule',
      'Alpha',
      'Zeta',
    ]);
    expect(normalized.Zeta).toEqual({ a: [3, 1], b: 2 });
    expect(JSON.stringify(normalized.Zeta)).toBe('{"a":[3,1],"b":2}');
    expect(normalized.Filter).toEqual({ Tags: [{ Key: 'k', Value: 'v' }] });
    expect(normalized.Schedule).toEqual({ Frequency: 'Daily', DayOfWeek: 'Monday' });
    expect(JSON.stringify(normalized.Destination)).toBe(
      JSON.stringify({
        S3BucketDestination: {
          Bucket: 'arn:aws:s3:::dest',
          Format: 'CSV',
          Encryption: { SSEKMS: { KeyId: KEY_ARN, Context: 'x' }, DSSE: {} },
          Versioned: true,
        },
        OtherDestination: { Url: 'x' },
      }),
    );
  });

  it('never mutates its input nor shares objects with it', () => {
    const input = loose({
      ...makeKmsConfiguration(),
      OptionalFields: ['Size', 'ETag', 'Size'],
      Extra: { list: [1] },
    });
    const before = structuredClone(input);

    const normalized = normalizeConfiguration(input) as unknown as Record<string, unknown>;

    expect(input).toEqual(before);
    expect(normalized.Destination).not.toBe(input.Destination);
    expect(normalized.Extra).not.toBe((input as unknown as Record<string, unknown>).Extra);
    expect(normalized.OptionalFields).not.toBe(input.OptionalFields);
  });

  it('copies members of an unexpected type as they are', () => {
    const input = loose({
      ...makeConfiguration(),
      OptionalFields: 'Size',
      Filter: 'logs/',
      Destination: null,
    });

    expect(normalizeConfiguration(input)).toMatchObject({
      OptionalFields: 'Size',
      Filter: 'logs/',
      Destination: null,
    });
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(arbConfiguration(), (configuration) => {
        const once = normalizeConfiguration(configuration);
        expect(JSON.stringify(normalizeConfiguration(once))).toBe(JSON.stringify(once));
      }),
    );
  });

  it('gives a configuration S3 still accepts', () => {
    fc.assert(
      fc.property(arbConfiguration(), (configuration) => {
        expect(validateConfiguration(normalizeConfiguration(configuration)).ok).toBe(true);
      }),
    );
  });

  it('gives the same form whatever the OptionalFields order and the empty forms used', () => {
    fc.assert(
      fc.property(arbConfiguration(), fc.boolean(), (configuration, emptyFilter) => {
        const reordered = loose({
          ...configuration,
          OptionalFields: [...(configuration.OptionalFields ?? [])].reverse(),
          ...(configuration.Filter?.Prefix ? {} : { Filter: emptyFilter ? {} : { Prefix: '' } }),
        });
        expect(JSON.stringify(normalizeConfiguration(reordered))).toBe(
          JSON.stringify(normalizeConfiguration(configuration)),
        );
      }),
    );
  });
});
