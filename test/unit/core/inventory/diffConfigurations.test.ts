import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  configurationsEqual,
  diffConfigurations,
  diffFields,
} from '../../../../lib/core/inventory/diffConfigurations.js';
import { ConfigurationIdError } from '../../../../lib/core/inventory/errors.js';
import type { InventoryConfiguration } from '../../../../lib/core/inventory/types.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';
import { arbConfiguration, arbConfigurationList } from '../../../helpers/inventoryArbitraries.js';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ENCRYPTION = 'Destination.S3BucketDestination.Encryption';

const loose = (value: unknown) => value as InventoryConfiguration;

function withEncryption(Encryption: unknown): InventoryConfiguration {
  const base = makeConfiguration();
  return loose({
    ...base,
    Destination: { S3BucketDestination: { ...base.Destination!.S3BucketDestination, Encryption } },
  });
}

describe('diffFields()', () => {
  it('reports each changed leaf with both values, sorted by path', () => {
    const desired = makeConfiguration({ IsEnabled: true, Schedule: { Frequency: 'Daily' } });
    const actual = makeConfiguration({
      IsEnabled: false,
      Schedule: { Frequency: 'Weekly' },
      Destination: { S3BucketDestination: { Bucket: 'arn:aws:s3:::inventory-reports', Format: 'Parquet' } },
      OptionalFields: ['Size'],
    });

    expect(diffFields(desired, actual)).toEqual([
      { path: 'Destination.S3BucketDestination.Format', desired: 'CSV', actual: 'Parquet' },
      { path: 'Destination.S3BucketDestination.Prefix', desired: 'inventory', actual: undefined },
      { path: 'IsEnabled', desired: true, actual: false },
      { path: 'OptionalFields', desired: ['LastModifiedDate', 'Size', 'StorageClass'], actual: ['Size'] },
      { path: 'Schedule.Frequency', desired: 'Daily', actual: 'Weekly' },
    ]);
  });

  it('shows SSES3: {} against no encryption at the SSES3 path', () => {
    expect(diffFields(withEncryption({ SSES3: {} }), makeConfiguration())).toEqual([
      { path: `${ENCRYPTION}.SSES3`, desired: {}, actual: undefined },
    ]);
  });

  it('shows a switch from SSE-KMS to SSE-S3 as two leaves', () => {
    expect(diffFields(withEncryption({ SSES3: {} }), makeKmsConfiguration(KEY_ARN))).toEqual([
      { path: `${ENCRYPTION}.SSEKMS.KeyId`, desired: undefined, actual: KEY_ARN },
      { path: `${ENCRYPTION}.SSES3`, desired: {}, actual: undefined },
    ]);
  });

  it('sees no difference between forms that mean the same', () => {
    const desired = loose({
      ...makeConfiguration({ OptionalFields: ['StorageClass', 'Size', 'LastModifiedDate', 'Size'] }),
      Filter: { Prefix: '' },
    });
    const actual = loose({
      ...withEncryption({}),
      OptionalFields: ['LastModifiedDate', 'Size', 'StorageClass'],
    });

    expect(diffFields(desired, actual)).toEqual([]);
  });

  it('compares members S3 may add later, deeply', () => {
    const desired = loose({ ...makeConfiguration(), Future: { b: [1, { c: 2 }], a: 'x' } });
    const same = loose({ ...makeConfiguration(), Future: { a: 'x', b: [1, { c: 2 }] } });
    const other = loose({ ...makeConfiguration(), Future: { a: 'x', b: [1, { c: 3 }] } });
    const longer = loose({ ...makeConfiguration(), Future: { a: 'x', b: [1, { c: 2 }, 3] } });

    expect(diffFields(desired, same)).toEqual([]);
    expect(diffFields(desired, other)).toEqual([
      { path: 'Future.b', desired: [1, { c: 2 }], actual: [1, { c: 3 }] },
    ]);
    expect(diffFields(desired, longer).map((change) => change.path)).toEqual(['Future.b']);
  });

  it('tells an object from a scalar at the same place', () => {
    const desired = loose({ ...makeConfiguration(), Future: { a: 1 } });
    const actual = loose({ ...makeConfiguration(), Future: 'a' });

    expect(diffFields(desired, actual)).toEqual([
      { path: 'Future', desired: undefined, actual: 'a' },
      { path: 'Future.a', desired: 1, actual: undefined },
    ]);
  });

  it('is empty for a configuration against itself', () => {
    fc.assert(
      fc.property(arbConfiguration(), (configuration) => {
        expect(diffFields(configuration, configuration)).toEqual([]);
      }),
    );
  });

  it('is empty after shuffling or repeating OptionalFields and adding an empty Filter prefix', () => {
    const arbVariant = arbConfiguration().chain((configuration) => {
      const fields = configuration.OptionalFields ?? [];
      const all = { minLength: fields.length, maxLength: fields.length };
      return fc.record({
        configuration: fc.constant(configuration),
        shuffled: fc.shuffledSubarray(fields, all),
        repeated: fc.subarray(fields),
      });
    });

    fc.assert(
      fc.property(arbVariant, ({ configuration, shuffled, repeated }) => {
        const variant = loose({
          ...configuration,
          OptionalFields: [...shuffled, ...repeated],
          ...(configuration.Filter?.Prefix ? {} : { Filter: { Prefix: '' } }),
        });
        expect(diffFields(configuration, variant)).toEqual([]);
        expect(configurationsEqual(variant, configuration)).toBe(true);
      }),
    );
  });

  it('reports exactly the one field that differs', () => {
    const changes = [
      { path: 'IsEnabled', change: (c: InventoryConfiguration) => ({ ...c, IsEnabled: !c.IsEnabled }) },
      {
        path: 'IncludedObjectVersions',
        change: (c: InventoryConfiguration) => ({
          ...c,
          IncludedObjectVersions: c.IncludedObjectVersions === 'All' ? 'Current' : 'All',
        }),
      },
      {
        path: 'Schedule.Frequency',
        change: (c: InventoryConfiguration) => ({
          ...c,
          Schedule: { Frequency: c.Schedule?.Frequency === 'Daily' ? 'Weekly' : 'Daily' },
        }),
      },
      {
        path: 'Destination.S3BucketDestination.Bucket',
        change: (c: InventoryConfiguration) => ({
          ...c,
          Destination: {
            S3BucketDestination: {
              ...c.Destination!.S3BucketDestination!,
              Bucket: 'arn:aws:s3:::other-dest',
            },
          },
        }),
      },
      {
        path: 'Filter.Prefix',
        change: (c: InventoryConfiguration) => ({ ...c, Filter: { Prefix: `${c.Filter?.Prefix ?? ''}x/` } }),
      },
    ] as const;

    fc.assert(
      fc.property(arbConfiguration(), fc.constantFrom(...changes), (configuration, { path, change }) => {
        fc.pre(configuration.Destination?.S3BucketDestination?.Bucket !== 'arn:aws:s3:::other-dest');
        const changed = loose(change(configuration));
        expect(diffFields(changed, configuration).map((fieldChange) => fieldChange.path)).toEqual([path]);
        expect(configurationsEqual(changed, configuration)).toBe(false);
      }),
    );
  });
});

describe('configurationsEqual()', () => {
  it('is true for equal meaning and false otherwise', () => {
    expect(configurationsEqual(makeConfiguration(), loose({ ...makeConfiguration(), Filter: {} }))).toBe(
      true,
    );
    expect(configurationsEqual(makeConfiguration(), makeConfiguration({ Id: 'other' }))).toBe(false);
  });
});

describe('diffConfigurations()', () => {
  it('lists missing, changed and unmanaged configurations sorted by Id, leaving out those that match', () => {
    const same = makeConfiguration({ Id: 'b-same' });
    const missing = makeConfiguration({ Id: 'c-missing' });
    const desiredChanged = makeConfiguration({ Id: 'A-changed', Schedule: { Frequency: 'Daily' } });
    const actualChanged = makeConfiguration({ Id: 'A-changed', Schedule: { Frequency: 'Weekly' } });
    const unmanaged = makeConfiguration({ Id: 'a-unmanaged' });

    expect(diffConfigurations([missing, same, desiredChanged], [unmanaged, actualChanged, same])).toEqual([
      {
        kind: 'changed',
        id: 'A-changed',
        desired: desiredChanged,
        actual: actualChanged,
        fields: [{ path: 'Schedule.Frequency', desired: 'Daily', actual: 'Weekly' }],
      },
      { kind: 'unmanaged', id: 'a-unmanaged', actual: unmanaged },
      { kind: 'missing', id: 'c-missing', desired: missing },
    ]);
  });

  it('hands back the configurations as given', () => {
    const desired = makeConfiguration({ OptionalFields: ['Size', 'ETag'] });
    const actual = makeConfiguration({ OptionalFields: ['Size'] });

    const [drift] = diffConfigurations([desired], [actual]);

    expect(drift?.kind === 'changed' && drift.desired).toBe(desired);
    expect(drift?.kind === 'changed' && drift.actual).toBe(actual);
  });

  it('is empty for a list against itself, in any order', () => {
    fc.assert(
      fc.property(arbConfigurationList(), (configurations) => {
        expect(diffConfigurations(configurations, configurations)).toEqual([]);
        expect(diffConfigurations(configurations, [...configurations].reverse())).toEqual([]);
      }),
    );
  });

  it('sorts by Id in code-unit order', () => {
    fc.assert(
      fc.property(arbConfigurationList(), (configurations) => {
        const ids = diffConfigurations(configurations, []).map((drift) => drift.id);
        expect(ids).toEqual(configurations.map((configuration) => configuration.Id).sort());
      }),
    );
  });

  it('refuses a repeated Id, naming the side and the position', () => {
    const call = () => diffConfigurations([], [makeConfiguration(), makeConfiguration()]);

    expect(call).toThrow(ConfigurationIdError);
    expect(call).toThrow('actual configuration [1] repeats the Id "daily-csv"');
  });

  it('refuses a configuration without an Id', () => {
    expect(() => diffConfigurations([makeConfiguration({ Id: undefined })], [])).toThrow(
      expect.objectContaining({ name: 'ConfigurationIdError', side: 'desired', index: 0, id: undefined }),
    );
  });
});
