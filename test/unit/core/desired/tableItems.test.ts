import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { templateSource } from '../../../../lib/core/desired/constants.js';
import { BUCKET_SETTINGS_ID, TEMPLATES_PARTITION } from '../../../../lib/core/desired/desiredTableLayout.js';
import type { DesiredStateFile } from '../../../../lib/core/desired/fileSchema.js';
import { globProblems } from '../../../../lib/core/desired/globMatch.js';
import { loadDesiredFile } from '../../../../lib/core/desired/loadDesiredFile.js';
import { resolveDesiredState } from '../../../../lib/core/desired/resolveTemplates.js';
import {
  fileToItems,
  itemsToDesiredBuckets,
  itemsToTemplates,
  resolveStoredState,
} from '../../../../lib/core/desired/tableItems.js';
import { arbBucketName, arbConfiguration, arbId } from '../../../helpers/inventoryArbitraries.js';
import { configuration, destination, validFile, yamlOf } from './desiredFixtures.js';

const ORIGIN = {
  fileName: 'photos.yaml',
  appliedBy: 'arn:aws:iam::111122223333:user/ops',
  appliedAt: '2025-01-02T03:04:05.000Z',
};
const STAMP = { source: 'file:photos.yaml', appliedBy: ORIGIN.appliedBy, appliedAt: ORIGIN.appliedAt };
const CSV = destination({ Format: 'CSV' }, 'daily-csv');
const WEEKLY = configuration({ Schedule: { Frequency: 'Weekly' } }, 'weekly');

const SAMPLE = {
  version: 1,
  defaults: { mode: 'detect' },
  buckets: {
    'photos-prod': { account: '111122223333', region: 'us-east-1', prune: true, inventories: [WEEKLY, CSV] },
    'ledger-archive': { mode: 'enforce' },
  },
  templates: [{ name: 'all-prod', match: { tags: { env: 'prod' } }, mode: 'enforce', inventories: [CSV] }],
};

describe('fileToItems()', () => {
  it('writes a settings item per bucket, an item per configuration and one per template, sorted', () => {
    const { file } = validFile(SAMPLE);
    expect(fileToItems(file, ORIGIN)).toStrictEqual([
      {
        bucket: TEMPLATES_PARTITION,
        id: 'all-prod',
        template: SAMPLE.templates[0],
        defaults: { mode: 'detect' },
        ...STAMP,
      },
      {
        bucket: 'ledger-archive',
        id: BUCKET_SETTINGS_ID,
        settings: { mode: 'enforce' },
        defaults: { mode: 'detect' },
        ...STAMP,
      },
      {
        bucket: 'photos-prod',
        id: BUCKET_SETTINGS_ID,
        settings: { account: '111122223333', region: 'us-east-1', prune: true },
        defaults: { mode: 'detect' },
        ...STAMP,
      },
      { bucket: 'photos-prod', id: 'daily-csv', configuration: CSV, ...STAMP },
      { bucket: 'photos-prod', id: 'weekly', configuration: WEEKLY, ...STAMP },
    ]);
  });

  it('keeps the Contract: configuration is the S3 shape and its Id is the item id', () => {
    const { file } = validFile(SAMPLE);
    for (const item of fileToItems(file, ORIGIN)) {
      if ('configuration' in item) expect(item.configuration.Id).toBe(item.id);
    }
  });

  it('names sources as file:<name> (and template:<name> for configurations a template gives)', () => {
    expect(STAMP.source).toBe('file:photos.yaml');
    expect(templateSource('all-prod')).toBe('template:all-prod');
  });

  it('stores no defaults when the file has none', () => {
    const { file } = validFile({ version: 1, buckets: { 'photos-prod': { inventories: [CSV] } } });
    expect(fileToItems(file, ORIGIN)[0]).toStrictEqual({
      bucket: 'photos-prod',
      id: BUCKET_SETTINGS_ID,
      settings: {},
      ...STAMP,
    });
  });
});

describe('itemsToDesiredBuckets()', () => {
  it('gives back the buckets the file resolves to (templates aside)', () => {
    const { file } = validFile(SAMPLE);
    expect(itemsToDesiredBuckets(fileToItems(file, ORIGIN))).toStrictEqual(
      resolveDesiredState(file, []).buckets,
    );
  });

  it('enforces without pruning a bucket that has no settings item, and ignores unknown # ids and partitions', () => {
    const items = [
      { bucket: 'photos-prod', id: 'daily-csv', configuration: CSV },
      { bucket: 'photos-prod', id: '#status', lastSweep: 'x' },
      { bucket: '#audit', id: 'x' },
      { bucket: 'photos-prod' },
      null,
      'photos-prod',
    ];
    expect(itemsToDesiredBuckets(items)).toStrictEqual([
      {
        bucket: 'photos-prod',
        mode: 'enforce',
        prune: false,
        items: [{ bucket: 'photos-prod', id: 'daily-csv', configuration: CSV }],
      },
    ]);
  });

  it("reads unreadable settings cautiously: detect, and no pruning; an item's mode as stored, for the planner to refuse", () => {
    const items = [
      {
        bucket: 'photos-prod',
        id: BUCKET_SETTINGS_ID,
        settings: { mode: 'Enforce', prune: 'yes', region: 7 },
      },
      { bucket: 'photos-prod', id: 'daily-csv', configuration: CSV, mode: 'fix' },
      { bucket: 'logs-prod', id: BUCKET_SETTINGS_ID, settings: 'enforce', defaults: { prune: true } },
    ];
    expect(itemsToDesiredBuckets(items)).toStrictEqual([
      { bucket: 'logs-prod', mode: 'enforce', prune: true, items: [] },
      {
        bucket: 'photos-prod',
        mode: 'detect',
        prune: false,
        items: [{ bucket: 'photos-prod', id: 'daily-csv', configuration: CSV, mode: 'fix' }],
      },
    ]);
  });

  it('passes a configuration on unvalidated, for the planner to refuse', () => {
    const items = [{ bucket: 'photos-prod', id: 'daily-csv', configuration: { Id: 'other' } }];
    expect(itemsToDesiredBuckets(items)[0]!.items).toEqual([
      { bucket: 'photos-prod', id: 'daily-csv', configuration: { Id: 'other' } },
    ]);
  });
});

describe('itemsToTemplates()', () => {
  it('gives back the templates with their defaults, sorted by name, leaving out invalid ones', () => {
    const { file } = validFile({
      ...SAMPLE,
      templates: [{ name: 'web', match: { names: ['web-*'] }, inventories: [WEEKLY] }, ...SAMPLE.templates],
    });
    const items = [
      ...fileToItems(file, ORIGIN),
      { bucket: TEMPLATES_PARTITION, id: 'broken', template: { name: 'broken', match: {} } },
      { bucket: TEMPLATES_PARTITION, id: 'renamed', template: file.templates![0] },
      { bucket: TEMPLATES_PARTITION, id: '#defaults', template: file.templates![0] },
    ];
    expect(itemsToTemplates(items)).toStrictEqual([
      { template: file.templates![1], defaults: { mode: 'detect' }, origin: '#templates.all-prod' },
      { template: file.templates![0], defaults: { mode: 'detect' }, origin: '#templates.web' },
    ]);
  });
});

describe('resolveStoredState()', () => {
  it('resolves the stored file as the file itself resolves', () => {
    const { file } = validFile(SAMPLE);
    const buckets = [
      { name: 'photos-prod', tags: { env: 'prod' } },
      { name: 'web-prod', tags: { env: 'prod' } },
    ];
    expect(resolveStoredState(fileToItems(file, ORIGIN), buckets)).toStrictEqual(
      resolveDesiredState(file, buckets),
    );
  });

  it('takes the cautious defaults when templates of two files reach one bucket', () => {
    const a = validFile({
      version: 1,
      defaults: { mode: 'detect', prune: true },
      templates: [{ name: 'a', match: { tags: { env: 'prod' } }, inventories: [CSV] }],
    }).file;
    const b = validFile({
      version: 1,
      defaults: { mode: 'enforce' },
      templates: [{ name: 'b', match: { names: ['web-*'] }, inventories: [WEEKLY] }],
    }).file;
    const items = [...fileToItems(a, { ...ORIGIN, fileName: 'a.yaml' }), ...fileToItems(b, ORIGIN)];
    const result = resolveStoredState(items, [{ name: 'web-prod', tags: { env: 'prod' } }]);
    expect(result.buckets.map(({ mode, prune }) => ({ mode, prune }))).toEqual([
      { mode: 'detect', prune: false },
    ]);
    const onlyA = resolveStoredState(fileToItems(a, ORIGIN), [{ name: 'web-prod', tags: { env: 'prod' } }]);
    expect(onlyA.buckets.map(({ mode, prune }) => ({ mode, prune }))).toEqual([
      { mode: 'detect', prune: true },
    ]);
  });
});

const arbMode = fc.constantFrom('enforce' as const, 'detect' as const);
const arbGlob = fc.stringMatching(/^[a-z0-9.*?-]{1,12}$/).filter((glob) => globProblems(glob).length === 0);
const arbTagText = fc.string({ minLength: 1, maxLength: 20 }).filter((key) => key !== '__proto__');
const arbInventories = (minLength: number) =>
  fc.uniqueArray(arbConfiguration(), { selector: (c) => c.Id, minLength, maxLength: 3 });

const arbFile: fc.Arbitrary<DesiredStateFile> = fc
  .record(
    {
      version: fc.constant(1 as const),
      defaults: fc.record({ mode: arbMode, prune: fc.boolean() }, { requiredKeys: [] }),
      buckets: fc.dictionary(
        arbBucketName(),
        fc.record(
          {
            account: fc.stringMatching(/^\d{12}$/),
            region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2'),
            mode: arbMode,
            prune: fc.boolean(),
            inventories: arbInventories(0),
          },
          { requiredKeys: [] },
        ),
        { maxKeys: 4 },
      ),
      templates: fc.uniqueArray(
        fc.record(
          {
            name: arbId(),
            match: fc.oneof(
              fc.record({
                tags: fc.dictionary(arbTagText, fc.string({ maxLength: 20 }), { minKeys: 1, maxKeys: 3 }),
              }),
              fc.record({ names: fc.array(arbGlob, { minLength: 1, maxLength: 3 }) }),
            ),
            mode: arbMode,
            inventories: arbInventories(1),
          },
          { requiredKeys: ['name', 'match', 'inventories'] },
        ),
        { selector: (template) => template.name, maxLength: 3 },
      ),
    },
    { requiredKeys: ['version'] },
    // Plain objects, as parsed files hold (fc.dictionary makes null-prototype ones).
  )
  .map((file) => JSON.parse(JSON.stringify(file)) as DesiredStateFile);

describe('a valid file (property)', () => {
  it('loads back unchanged from YAML and JSON, and round-trips through table items', () => {
    fc.assert(
      fc.property(arbFile, (generated) => {
        for (const [text, name] of [
          [yamlOf(generated), 'generated.yaml'],
          [JSON.stringify(generated, null, 2), 'generated.json'],
        ] as const) {
          const loaded = loadDesiredFile(text, name);
          expect(loaded.ok, loaded.ok ? '' : JSON.stringify(loaded.errors)).toBe(true);
          if (loaded.ok) expect(loaded.file).toStrictEqual(generated);
        }
        const items = fileToItems(generated, ORIGIN);
        expect(itemsToDesiredBuckets(items)).toStrictEqual(resolveDesiredState(generated, []).buckets);
        const byName = [...(generated.templates ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
        expect(itemsToTemplates(items).map((stored) => stored.template)).toStrictEqual(byName);
      }),
      { numRuns: 150 },
    );
  });
});
