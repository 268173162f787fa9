import { describe, expect, it } from 'vitest';
import { describeItem, desiredItemChanges, itemsAfter } from '../../../lib/cli/desiredItemChanges.js';
import { LEARNED_SOURCE } from '../../../lib/core/desired/desiredTableLayout.js';
import type {
  BucketSettingsTableItem,
  ConfigurationTableItem,
  TemplateTableItem,
} from '../../../lib/core/desired/tableItems.js';
import { makeConfiguration } from '../../helpers/factories.js';

const origin = {
  source: 'file:new.yaml',
  appliedBy: 'arn:aws:iam::111122223333:user/new',
  appliedAt: '2026-02-01T00:00:00.000Z',
};
const oldOrigin = {
  source: 'file:old.yaml',
  appliedBy: 'arn:aws:iam::111122223333:user/old',
  appliedAt: '2026-01-01T00:00:00.000Z',
};

const settingsItem = (
  bucket: string,
  settings: BucketSettingsTableItem['settings'] = {},
  from = origin,
): BucketSettingsTableItem => ({ bucket, id: '#bucket', settings, ...from });

const configItem = (
  bucket: string,
  id: string,
  from = origin,
  prefix = 'inventory',
): ConfigurationTableItem => ({
  bucket,
  id,
  configuration: makeConfiguration({
    Id: id,
    Destination: {
      S3BucketDestination: { Bucket: 'arn:aws:s3:::inventory-reports', Format: 'CSV', Prefix: prefix },
    },
  }),
  ...from,
});

const templateItem = (name: string, from = origin): TemplateTableItem => ({
  bucket: '#templates',
  id: name,
  template: { name, match: { names: ['photos-*'] }, inventories: [makeConfiguration({ Id: name })] },
  ...from,
});

describe('desiredItemChanges()', () => {
  it('adds every item when the table holds nothing', () => {
    const file = [settingsItem('photos'), configItem('photos', 'daily')];
    expect(desiredItemChanges(file, [], { pruneDesired: false })).toEqual({
      puts: file,
      deletes: [],
      changes: [
        { kind: 'add', bucket: 'photos', id: '#bucket' },
        { kind: 'add', bucket: 'photos', id: 'daily' },
      ],
      unchanged: 0,
    });
  });

  it('writes nothing when only appliedBy, appliedAt and source differ', () => {
    const file = [
      settingsItem('photos', { mode: 'enforce' }),
      configItem('photos', 'daily'),
      templateItem('all'),
    ];
    const stored = [
      settingsItem('photos', { mode: 'enforce' }, oldOrigin),
      configItem('photos', 'daily', oldOrigin),
      templateItem('all', oldOrigin),
    ];
    expect(desiredItemChanges(file, stored, { pruneDesired: true })).toEqual({
      puts: [],
      deletes: [],
      changes: [],
      unchanged: 3,
    });
  });

  it('writes an item whose declaration differs, as a change', () => {
    const changed = configItem('photos', 'daily', origin, 'reports');
    const file = [settingsItem('photos'), changed];
    const stored = [settingsItem('photos', {}, oldOrigin), configItem('photos', 'daily', oldOrigin)];
    expect(desiredItemChanges(file, stored, { pruneDesired: false })).toEqual({
      puts: [changed],
      deletes: [],
      changes: [{ kind: 'change', bucket: 'photos', id: 'daily' }],
      unchanged: 1,
    });
  });

  it('counts a member the stored item lacks as a change', () => {
    const file = [settingsItem('photos', { prune: true })];
    const stored = [settingsItem('photos', {}, oldOrigin)];
    const result = desiredItemChanges(file, stored, { pruneDesired: false });
    expect(result.changes).toEqual([{ kind: 'change', bucket: 'photos', id: '#bucket' }]);
    expect(result.unchanged).toBe(0);
  });

  it('keeps a region the stored settings hold when the file names none, so re-applying writes nothing', () => {
    const file = [settingsItem('photos', { mode: 'detect' })];
    const stored = [settingsItem('photos', { mode: 'detect', region: 'eu-west-1' }, oldOrigin)];
    expect(desiredItemChanges(file, stored, { pruneDesired: false })).toEqual({
      puts: [],
      deletes: [],
      changes: [],
      unchanged: 1,
    });
  });

  it('puts the kept region into the item it writes when something else changed', () => {
    const file = [settingsItem('photos', { mode: 'enforce' })];
    const stored = [settingsItem('photos', { mode: 'detect', region: 'eu-west-1' }, oldOrigin)];
    const { puts, changes } = desiredItemChanges(file, stored, { pruneDesired: false });
    expect(puts).toEqual([settingsItem('photos', { mode: 'enforce', region: 'eu-west-1' })]);
    expect(changes).toEqual([{ kind: 'change', bucket: 'photos', id: '#bucket' }]);
    // The file's own item is not mutated.
    expect(file[0]!.settings).toEqual({ mode: 'enforce' });
  });

  it("lets the file's own region win over the stored one", () => {
    const file = [settingsItem('photos', { region: 'us-east-1' })];
    const stored = [settingsItem('photos', { region: 'eu-west-1' }, oldOrigin)];
    const { puts } = desiredItemChanges(file, stored, { pruneDesired: false });
    expect(puts).toEqual([settingsItem('photos', { region: 'us-east-1' })]);
  });

  it('ignores a stored region that is not a string', () => {
    const file = [settingsItem('photos')];
    const stored = [{ ...settingsItem('photos', {}, oldOrigin), settings: { region: 42 } }];
    const { puts } = desiredItemChanges(file, stored, { pruneDesired: false });
    expect(puts).toEqual([settingsItem('photos')]);
  });

  it('replaces a settings item the service learned (source counts there), keeping its region, as an add', () => {
    const learned = {
      bucket: 'photos',
      id: '#bucket',
      settings: { region: 'eu-west-1' },
      source: LEARNED_SOURCE,
    };
    const file = [settingsItem('photos')];
    expect(desiredItemChanges(file, [learned], { pruneDesired: false })).toEqual({
      puts: [settingsItem('photos', { region: 'eu-west-1' })],
      deletes: [],
      changes: [{ kind: 'add', bucket: 'photos', id: '#bucket' }],
      unchanged: 0,
    });
  });

  it("removes the stored items of a bucket the file declares but which the file doesn't name", () => {
    const file = [settingsItem('photos'), configItem('photos', 'daily')];
    const stored = [
      settingsItem('photos', {}, oldOrigin),
      configItem('photos', 'weekly', oldOrigin),
      configItem('photos', 'daily', oldOrigin),
      configItem('photos', 'archive', oldOrigin),
    ];
    expect(desiredItemChanges(file, stored, { pruneDesired: false })).toEqual({
      puts: [],
      deletes: [
        { bucket: 'photos', id: 'archive' },
        { bucket: 'photos', id: 'weekly' },
      ],
      changes: [
        { kind: 'remove', bucket: 'photos', id: 'archive' },
        { kind: 'remove', bucket: 'photos', id: 'weekly' },
      ],
      unchanged: 2,
    });
  });

  it('leaves other buckets and other templates alone without --prune-desired', () => {
    const file = [settingsItem('photos'), templateItem('all')];
    const stored = [
      settingsItem('logs', {}, oldOrigin),
      configItem('logs', 'daily', oldOrigin),
      templateItem('other', oldOrigin),
    ];
    expect(desiredItemChanges(file, stored, { pruneDesired: false })).toEqual({
      puts: file,
      deletes: [],
      changes: [
        { kind: 'add', bucket: '#templates', id: 'all' },
        { kind: 'add', bucket: 'photos', id: '#bucket' },
      ],
      unchanged: 0,
    });
  });

  it('prunes other buckets and other templates with --prune-desired', () => {
    const file = [settingsItem('photos'), templateItem('all')];
    const stored = [
      configItem('logs', 'daily', oldOrigin),
      templateItem('other', oldOrigin),
      settingsItem('logs', {}, oldOrigin),
      templateItem('all', oldOrigin),
    ];
    expect(desiredItemChanges(file, stored, { pruneDesired: true })).toEqual({
      puts: [settingsItem('photos')],
      deletes: [
        { bucket: '#templates', id: 'other' },
        { bucket: 'logs', id: '#bucket' },
        { bucket: 'logs', id: 'daily' },
      ],
      changes: [
        { kind: 'remove', bucket: '#templates', id: 'other' },
        { kind: 'remove', bucket: 'logs', id: '#bucket' },
        { kind: 'remove', bucket: 'logs', id: 'daily' },
        { kind: 'add', bucket: 'photos', id: '#bucket' },
      ],
      unchanged: 1,
    });
  });

  it('prunes the whole table when an empty file is applied with --prune-desired, and nothing without', () => {
    const stored = [configItem('photos', 'daily', oldOrigin), settingsItem('photos', {}, oldOrigin)];
    expect(desiredItemChanges([], stored, { pruneDesired: false }).deletes).toEqual([]);
    expect(desiredItemChanges([], stored, { pruneDesired: true }).deletes).toEqual([
      { bucket: 'photos', id: '#bucket' },
      { bucket: 'photos', id: 'daily' },
    ]);
  });

  it('skips stored rows that are not items (no string bucket or id)', () => {
    const stored = [null, 'photos', { bucket: 'photos' }, { bucket: 'photos', id: 7 }, { id: 'daily' }];
    expect(desiredItemChanges([settingsItem('photos')], stored, { pruneDesired: true })).toEqual({
      puts: [settingsItem('photos')],
      deletes: [],
      changes: [{ kind: 'add', bucket: 'photos', id: '#bucket' }],
      unchanged: 0,
    });
  });

  it('keeps the puts in file order while sorting the changes by bucket then id, by code unit', () => {
    const file = [configItem('b', 'x'), configItem('a', 'z'), configItem('a', 'Z'), configItem('B', 'y')];
    const result = desiredItemChanges(file, [], { pruneDesired: false });
    expect(result.puts.map(({ bucket, id }) => `${bucket}/${id}`)).toEqual(['b/x', 'a/z', 'a/Z', 'B/y']);
    expect(result.changes.map(({ bucket, id }) => `${bucket}/${id}`)).toEqual(['B/y', 'a/Z', 'a/z', 'b/x']);
  });
});

describe('itemsAfter()', () => {
  it('is the stored items less the deleted, with the puts in their place', () => {
    const stored = [
      settingsItem('photos', {}, oldOrigin),
      configItem('photos', 'daily', oldOrigin),
      configItem('photos', 'weekly', oldOrigin),
      configItem('logs', 'daily', oldOrigin),
      { bucket: '#runs', id: 'run-1', changes: 3 },
      'not an item',
    ];
    const changed = configItem('photos', 'daily', origin, 'reports');
    const changes = desiredItemChanges([settingsItem('photos'), changed], stored, { pruneDesired: false });
    expect(itemsAfter(stored, changes)).toEqual([
      settingsItem('photos', {}, oldOrigin),
      configItem('logs', 'daily', oldOrigin),
      { bucket: '#runs', id: 'run-1', changes: 3 },
      'not an item',
      changed,
    ]);
  });
});

describe('describeItem()', () => {
  it('names a configuration, a settings item and a template as the report shows them', () => {
    expect(describeItem({ bucket: 'photos', id: 'daily-csv' })).toBe('photos/daily-csv');
    expect(describeItem({ bucket: 'photos', id: '#bucket' })).toBe('photos (settings)');
    expect(describeItem({ bucket: '#templates', id: 'all-prod' })).toBe('template all-prod');
  });
});
