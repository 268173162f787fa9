import { describe, expect, it } from 'vitest';
import { checkTableItems } from '../../../../lib/core/desired/checkTableItems.js';
import { BUCKET_SETTINGS_ID, TEMPLATES_PARTITION } from '../../../../lib/core/desired/desiredTableLayout.js';
import { fileToItems } from '../../../../lib/core/desired/tableItems.js';
import { configuration, destination, validFile } from './desiredFixtures.js';

const CSV = configuration({}, 'daily-csv');
const TEMPLATE = { name: 'all-prod', match: { tags: { env: 'prod' } }, inventories: [CSV] };

interface BadItem {
  name: string;
  item: unknown;
  path: string;
  reason: string;
}

const badItems: BadItem[] = [
  {
    name: 'not an object',
    item: 'photos-prod',
    path: '',
    reason: 'expected a table item object, got "photos-prod"',
  },
  {
    name: 'no bucket',
    item: { id: 'daily-csv', configuration: CSV },
    path: 'bucket',
    reason: 'required: expected a bucket name',
  },
  {
    name: 'a numeric id',
    item: { bucket: 'photos-prod', id: 7 },
    path: 'id',
    reason: 'expected an id, got 7',
  },
  {
    name: 'an id that differs from configuration.Id',
    item: { bucket: 'photos-prod', id: 'daily-csv', configuration: configuration({}, 'weekly') },
    path: 'configuration.Id',
    reason: 'expected "daily-csv" (the item\'s id), got "weekly"',
  },
  {
    name: 'an id that differs only in case from configuration.Id',
    item: { bucket: 'photos-prod', id: 'Daily-CSV', configuration: CSV },
    path: 'configuration.Id',
    reason: 'expected "Daily-CSV" (the item\'s id), got "daily-csv"',
  },
  {
    name: 'a configuration without an Id',
    item: { bucket: 'photos-prod', id: 'daily-csv', configuration: configuration({ Id: undefined }) },
    path: 'configuration.Id',
    reason: 'required: expected an Id',
  },
  {
    name: 'no configuration',
    item: { bucket: 'photos-prod', id: 'daily-csv' },
    path: 'configuration',
    reason: 'required: expected an inventory configuration object',
  },
  {
    name: 'a bad Format',
    item: { bucket: 'photos-prod', id: 'daily-csv', configuration: destination({ Format: 'csv' }) },
    path: 'configuration.Destination.S3BucketDestination.Format',
    reason: 'expected CSV | ORC | Parquet, got "csv"',
  },
  {
    name: 'a bad mode',
    item: { bucket: 'photos-prod', id: 'daily-csv', configuration: CSV, mode: 'Enforce' },
    path: 'mode',
    reason: 'expected enforce | detect, got "Enforce"',
  },
  {
    name: 'a bad bucket name',
    item: { bucket: 'Photos', id: 'daily-csv', configuration: CSV },
    path: 'bucket',
    reason: 'expected a bucket name of lowercase letters',
  },
  {
    name: 'an unknown reserved partition',
    item: { bucket: '#status', id: 'photos-prod' },
    path: 'bucket',
    reason: 'unknown reserved partition "#status"',
  },
  {
    name: 'an unknown reserved id',
    item: { bucket: 'photos-prod', id: '#status' },
    path: 'id',
    reason: 'unknown reserved id "#status"',
  },
  {
    name: 'a settings item with a bad mode',
    item: { bucket: 'photos-prod', id: BUCKET_SETTINGS_ID, settings: { mode: 'fix' } },
    path: 'settings.mode',
    reason: 'expected enforce | detect, got "fix"',
  },
  {
    name: 'a settings item with an unknown member',
    item: { bucket: 'photos-prod', id: BUCKET_SETTINGS_ID, settings: { Prune: true, owner: 'x' } },
    path: 'settings.Prune',
    reason: 'did you mean "prune"?',
  },
  {
    name: 'a settings item with a member a bucket entry does not have',
    item: { bucket: 'photos-prod', id: BUCKET_SETTINGS_ID, settings: { owner: 'x' } },
    path: 'settings.owner',
    reason: 'unknown field; expected one of account, region, mode, prune',
  },
  {
    name: 'a settings item with inventories',
    item: { bucket: 'photos-prod', id: BUCKET_SETTINGS_ID, settings: { inventories: [CSV] } },
    path: 'settings.inventories',
    reason: 'each configuration is an item of its own',
  },
  {
    name: 'a settings item that is not an object',
    item: { bucket: 'photos-prod', id: BUCKET_SETTINGS_ID, settings: 'detect' },
    path: 'settings',
    reason: 'got "detect"',
  },
  {
    name: 'a settings item with bad defaults',
    item: { bucket: 'photos-prod', id: BUCKET_SETTINGS_ID, settings: {}, defaults: { prune: 'no' } },
    path: 'defaults.prune',
    reason: 'expected true or false, got "no"',
  },
  {
    name: 'a template stored under another name',
    item: { bucket: TEMPLATES_PARTITION, id: 'prod', template: TEMPLATE },
    path: 'template.name',
    reason: 'expected "prod" (the item\'s id), got "all-prod"',
  },
  {
    name: 'an invalid template',
    item: { bucket: TEMPLATES_PARTITION, id: 'all-prod', template: { ...TEMPLATE, match: {} } },
    path: 'template.match',
    reason: 'expected tags, names or both',
  },
  {
    name: 'a template with a bad glob',
    item: {
      bucket: TEMPLATES_PARTITION,
      id: 'all-prod',
      template: { ...TEMPLATE, match: { names: ['a**'] } },
    },
    path: 'template.match.names[0]',
    reason: '"**" at character 2',
  },
  {
    name: 'a template with an Id twice',
    item: { bucket: TEMPLATES_PARTITION, id: 'all-prod', template: { ...TEMPLATE, inventories: [CSV, CSV] } },
    path: 'template.inventories[1].Id',
    reason: 'duplicate Id "daily-csv"',
  },
  {
    name: 'a reserved id among templates',
    item: { bucket: TEMPLATES_PARTITION, id: '#defaults', template: TEMPLATE },
    path: 'id',
    reason: 'unknown reserved id "#defaults"',
  },
];

describe('checkTableItems()', () => {
  it('accepts the items of a valid file', () => {
    const { file } = validFile({
      version: 1,
      defaults: { mode: 'detect' },
      buckets: { 'photos-prod': { account: '111122223333', prune: true, inventories: [CSV] } },
      templates: [TEMPLATE],
    });
    const items = fileToItems(file, {
      fileName: 'f.yaml',
      appliedBy: 'me',
      appliedAt: '2025-01-01T00:00:00Z',
    });
    expect(checkTableItems(items)).toEqual([]);
  });

  it.each(badItems)('names the problem with $name', ({ item, path, reason }) => {
    const issues = checkTableItems([
      { bucket: 'photos-prod', id: 'weekly', configuration: configuration({}, 'weekly') },
      item,
    ]);
    const issue = issues.find((candidate) => candidate.path === path && candidate.message.includes(reason));
    expect(issue, JSON.stringify(issues, null, 2)).toBeDefined();
    expect(issue!.index).toBe(1);
  });

  it('names the bucket and id of the item', () => {
    const [issue] = checkTableItems([
      { bucket: 'photos-prod', id: 'daily-csv', configuration: configuration({}, 'x') },
    ]);
    expect(issue).toEqual({
      index: 0,
      bucket: 'photos-prod',
      id: 'daily-csv',
      path: 'configuration.Id',
      message: 'expected "daily-csv" (the item\'s id), got "x"',
    });
  });
});
