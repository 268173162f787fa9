import { describe, expect, it } from 'vitest';
import { importFile } from '../../../lib/cli/importFile.js';
import { loadDesiredFile } from '../../../lib/core/desired/loadDesiredFile.js';
import type { InventoryConfiguration } from '../../../lib/core/inventory/types.js';
import { makeConfiguration, makeKmsConfiguration } from '../../helpers/factories.js';

const options = {
  bucket: 'photos',
  region: 'eu-west-1',
  schemaPath: '../schema/desired-state.schema.json',
  importedAt: '2026-01-31T12:00:00.000Z',
};

const HEADER = [
  '# yaml-language-server: $schema=../schema/desired-state.schema.json',
  '# Imported from the actual inventory configurations of photos on 2026-01-31T12:00:00.000Z',
  '# by `s3ir import`. Check with `s3ir validate -f FILE`, adopt with `s3ir apply -f FILE`.',
];

describe('importFile()', () => {
  it('writes the header, the region and each configuration sorted by Id, members in reading order', () => {
    const weekly = makeConfiguration({
      Id: 'weekly',
      Schedule: { Frequency: 'Weekly' },
      OptionalFields: ['Size'],
    });
    // As the S3 API might hand it back: members in any order, with an undefined one.
    const daily = {
      OptionalFields: ['ETag'],
      Destination: weekly.Destination,
      Filter: { Prefix: 'raw/' },
      Schedule: { Frequency: 'Daily' },
      IncludedObjectVersions: 'All',
      IsEnabled: false,
      Id: 'daily',
      Extra: undefined,
    } as InventoryConfiguration;
    expect(importFile([weekly, daily], options)).toBe(
      [
        ...HEADER,
        'version: 1',
        'buckets:',
        '  photos:',
        '    region: eu-west-1',
        '    inventories:',
        '      - Id: daily',
        '        IsEnabled: false',
        '        IncludedObjectVersions: All',
        '        Schedule:',
        '          Frequency: Daily',
        '        Filter:',
        '          Prefix: raw/',
        '        Destination:',
        '          S3BucketDestination:',
        '            Bucket: arn:aws:s3:::inventory-reports',
        '            Format: CSV',
        '            Prefix: inventory',
        '        OptionalFields:',
        '          - ETag',
        '      - Id: weekly',
        '        IsEnabled: true',
        '        IncludedObjectVersions: Current',
        '        Schedule:',
        '          Frequency: Weekly',
        '        Destination:',
        '          S3BucketDestination:',
        '            Bucket: arn:aws:s3:::inventory-reports',
        '            Format: CSV',
        '            Prefix: inventory',
        '        OptionalFields:',
        '          - Size',
        '',
      ].join('\n'),
    );
  });

  it('leaves the region out when it is not known, and writes an empty list for a bucket with none', () => {
    const { region: _region, ...withoutRegion } = options;
    const text = importFile([], { ...withoutRegion, bucket: 'empty', importedAt: 'then' });
    expect(loadDesiredFile(text, 'empty.yaml')).toMatchObject({
      ok: true,
      file: { version: 1, buckets: { empty: { inventories: [] } } },
    });
    expect(text).toBe(
      [
        '# yaml-language-server: $schema=../schema/desired-state.schema.json',
        '# Imported from the actual inventory configurations of empty on then',
        '# by `s3ir import`. Check with `s3ir validate -f FILE`, adopt with `s3ir apply -f FILE`.',
        'version: 1',
        'buckets:',
        '  empty:',
        '    inventories: []',
        '',
      ].join('\n'),
    );
  });

  it('puts members it does not know after the known ones, by code unit, and does not change its input', () => {
    const configuration = {
      zeta: 1,
      Id: 'a',
      Alpha: 2,
      IsEnabled: true,
    } as unknown as InventoryConfiguration;
    const text = importFile([configuration], options);
    expect(text.split('\n').slice(8)).toEqual([
      '      - Id: a',
      '        IsEnabled: true',
      '        Alpha: 2',
      '        zeta: 1',
      '',
    ]);
    expect(Object.keys(configuration)).toEqual(['zeta', 'Id', 'Alpha', 'IsEnabled']);
  });

  it('sorts a configuration without an Id first, as if its Id were empty', () => {
    const noId = { IsEnabled: true } as InventoryConfiguration;
    const text = importFile([makeConfiguration({ Id: 'a' }), noId], options);
    expect(text.split('\n').slice(8, 10)).toEqual(['      - IsEnabled: true', '      - Id: a']);
  });

  it('gives a file loadDesiredFile accepts, declaring exactly the configurations given', () => {
    const configurations = [
      makeKmsConfiguration(undefined, { Id: 'kms-weekly', Schedule: { Frequency: 'Weekly' } }),
      makeConfiguration({
        Id: 'daily-parquet',
        IncludedObjectVersions: 'All',
        Filter: { Prefix: 'yes: no #1' },
        Destination: {
          S3BucketDestination: {
            Bucket: 'arn:aws:s3:::inventory-reports-with-a-rather-long-name-that-is-never-folded',
            Format: 'Parquet',
            AccountId: '111122223333',
            Prefix: '123',
          },
        },
      }),
      makeConfiguration({ Id: 'Upper', IsEnabled: false, OptionalFields: [] }),
    ];
    const text = importFile(configurations, options);
    expect(text).toContain(
      '\n            Bucket: arn:aws:s3:::inventory-reports-with-a-rather-long-name-that-is-never-folded\n',
    );
    const loaded = loadDesiredFile(text, 'photos.yaml');
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
    if (!loaded.ok) return;
    expect(loaded.file.version).toBe(1);
    expect(Object.keys(loaded.file.buckets ?? {})).toEqual(['photos']);
    const entry = loaded.file.buckets?.photos;
    expect(entry?.region).toBe('eu-west-1');
    // Sorted by code unit: upper case first.
    expect(entry?.inventories?.map((c) => c.Id)).toEqual(['Upper', 'daily-parquet', 'kms-weekly']);
    expect(entry?.inventories).toEqual([configurations[2], configurations[1], configurations[0]]);
  });
});
