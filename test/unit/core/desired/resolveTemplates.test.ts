import { describe, expect, it } from 'vitest';
import { matchesTemplate, resolveDesiredState } from '../../../../lib/core/desired/resolveTemplates.js';
import { configuration, destination, lastLineOf, overlappingFile, validFile } from './desiredFixtures.js';

const CSV = destination({ Format: 'CSV' }, 'daily-csv');
const PARQUET = destination({ Format: 'Parquet' }, 'daily-csv');
const WEEKLY = configuration({ Schedule: { Frequency: 'Weekly' } }, 'weekly');

const prodTemplate = (members: Record<string, unknown> = {}) => ({
  name: 'all-prod',
  match: { tags: { env: 'prod' } },
  inventories: [PARQUET, WEEKLY],
  ...members,
});

const item = (bucket: string, config: Record<string, unknown>, mode?: string) => ({
  bucket,
  id: config.Id,
  configuration: config,
  ...(mode !== undefined && { mode }),
});

describe('resolveDesiredState()', () => {
  it("lets a bucket's own entry beat a template for the same Id", () => {
    const { file } = validFile({
      version: 1,
      buckets: { 'photos-prod': { inventories: [CSV] } },
      templates: [prodTemplate()],
    });
    const result = resolveDesiredState(file, [{ name: 'photos-prod', tags: { env: 'prod' } }]);
    expect(result).toStrictEqual({
      buckets: [
        {
          bucket: 'photos-prod',
          mode: 'enforce',
          prune: false,
          items: [item('photos-prod', CSV), item('photos-prod', WEEKLY)],
        },
      ],
      errors: [],
    });
  });

  it("lets a bucket's own mode beat a template's mode", () => {
    const { file } = validFile({
      version: 1,
      defaults: { mode: 'enforce' },
      buckets: { 'photos-prod': { mode: 'detect', inventories: [CSV] } },
      templates: [prodTemplate({ mode: 'enforce' })],
    });
    const [bucket] = resolveDesiredState(file, [{ name: 'photos-prod', tags: { env: 'prod' } }]).buckets;
    expect(bucket).toStrictEqual({
      bucket: 'photos-prod',
      mode: 'detect',
      prune: false,
      items: [item('photos-prod', CSV), item('photos-prod', WEEKLY)],
    });
  });

  it("lets a template's mode beat the defaults, for the template's configurations only", () => {
    const { file } = validFile({
      version: 1,
      defaults: { mode: 'detect', prune: true },
      buckets: { 'photos-prod': { inventories: [CSV] } },
      templates: [prodTemplate({ mode: 'enforce' })],
    });
    const [bucket] = resolveDesiredState(file, [{ name: 'photos-prod', tags: { env: 'prod' } }]).buckets;
    expect(bucket).toStrictEqual({
      bucket: 'photos-prod',
      mode: 'detect',
      prune: true,
      items: [item('photos-prod', CSV), item('photos-prod', WEEKLY, 'enforce')],
    });
  });

  it("lets a bucket's own prune beat the defaults", () => {
    const { file } = validFile({
      version: 1,
      defaults: { prune: true },
      buckets: { 'photos-prod': { prune: false, inventories: [CSV] }, 'photos-dev': { inventories: [CSV] } },
    });
    const buckets = resolveDesiredState(file, []).buckets;
    expect(buckets.map(({ bucket, prune }) => ({ bucket, prune }))).toEqual([
      { bucket: 'photos-dev', prune: true },
      { bucket: 'photos-prod', prune: false },
    ]);
  });

  it('gives a bucket only templates reach the defaults, and never prunes from a template', () => {
    const { file } = validFile({ version: 1, defaults: { mode: 'detect' }, templates: [prodTemplate()] });
    const result = resolveDesiredState(file, [{ name: 'web-prod', tags: { env: 'prod', team: 'web' } }]);
    expect(result).toStrictEqual({
      buckets: [
        {
          bucket: 'web-prod',
          mode: 'detect',
          prune: false,
          items: [item('web-prod', PARQUET), item('web-prod', WEEKLY)],
        },
      ],
      errors: [],
    });
  });

  it('enforces without pruning when nothing says otherwise, and keeps account and region', () => {
    const { file } = validFile({
      version: 1,
      buckets: { 'partner-exchange': { account: '444455556666', region: 'eu-west-1', inventories: [CSV] } },
    });
    expect(resolveDesiredState(file, []).buckets).toStrictEqual([
      {
        bucket: 'partner-exchange',
        mode: 'enforce',
        prune: false,
        items: [item('partner-exchange', CSV)],
        account: '444455556666',
        region: 'eu-west-1',
      },
    ]);
  });

  it('keeps a bucket entry without inventories (settings only), and gives it template configurations', () => {
    const { file } = validFile({
      version: 1,
      buckets: { 'photos-prod': { mode: 'detect' }, 'empty-prod': { prune: true } },
      templates: [prodTemplate()],
    });
    const result = resolveDesiredState(file, [{ name: 'photos-prod', tags: { env: 'prod' } }]);
    expect(result.buckets).toStrictEqual([
      { bucket: 'empty-prod', mode: 'enforce', prune: true, items: [] },
      {
        bucket: 'photos-prod',
        mode: 'detect',
        prune: false,
        items: [item('photos-prod', PARQUET), item('photos-prod', WEEKLY)],
      },
    ]);
  });

  it('matches templates only against the buckets passed in, sorted by name, items by Id', () => {
    const { file } = validFile({
      version: 1,
      buckets: { 'logs-archive': { inventories: [WEEKLY, CSV] } },
      templates: [
        { name: 'logs', match: { names: ['logs-*'] }, inventories: [configuration({}, 'logs-daily')] },
      ],
    });
    const result = resolveDesiredState(file, [
      { name: 'logs-web', tags: {} },
      { name: 'photos-prod', tags: { env: 'prod' } },
      { name: 'logs-api', tags: {} },
    ]);
    expect(result.buckets.map((bucket) => [bucket.bucket, bucket.items.map((i) => i.id)])).toEqual([
      ['logs-api', ['logs-daily']],
      // Named in the file but not listed: its own entry only, though its name matches.
      ['logs-archive', ['daily-csv', 'weekly']],
      ['logs-web', ['logs-daily']],
    ]);
  });

  it('requires all tags and at least one name glob', () => {
    const { file } = validFile({
      version: 1,
      templates: [
        {
          name: 'prod-web',
          match: { tags: { env: 'prod', team: 'web' }, names: ['web-*', '*-site'] },
          inventories: [CSV],
        },
      ],
    });
    const prodWeb = { env: 'prod', team: 'web', extra: 'x' };
    const result = resolveDesiredState(file, [
      { name: 'web-prod', tags: prodWeb },
      { name: 'shop-site', tags: prodWeb },
      { name: 'api-prod', tags: prodWeb },
      { name: 'web-dev', tags: { env: 'dev', team: 'web' } },
      { name: 'web-only-env', tags: { env: 'prod' } },
    ]);
    expect(result.buckets.map((bucket) => bucket.bucket)).toEqual(['shop-site', 'web-prod']);
  });

  it('resolves a bucket listed twice once, with the tags first given', () => {
    const { file } = validFile({ version: 1, templates: [prodTemplate()] });
    const result = resolveDesiredState(file, [
      { name: 'web-prod', tags: { env: 'prod' } },
      { name: 'web-prod', tags: { env: 'dev' } },
    ]);
    expect(result.buckets.map((bucket) => bucket.bucket)).toEqual(['web-prod']);
  });

  it('allows two templates the same Id when their matches are disjoint', () => {
    const { file } = validFile({
      version: 1,
      templates: [prodTemplate(), { name: 'all-dev', match: { tags: { env: 'dev' } }, inventories: [CSV] }],
    });
    const result = resolveDesiredState(file, [
      { name: 'web-prod', tags: { env: 'prod' } },
      { name: 'web-dev', tags: { env: 'dev' } },
    ]);
    expect(result.errors).toEqual([]);
    expect(result.buckets.map((bucket) => bucket.items.map((i) => i.configuration))).toEqual([
      [CSV],
      [PARQUET, WEEKLY],
    ]);
  });

  it("settles two templates' Id when the bucket's own entry declares it", () => {
    const { file } = validFile({
      version: 1,
      buckets: { 'web-prod': { inventories: [CSV] } },
      templates: [prodTemplate(), { name: 'web', match: { names: ['web-*'] }, inventories: [PARQUET] }],
    });
    const result = resolveDesiredState(file, [{ name: 'web-prod', tags: { env: 'prod' } }]);
    expect(result.errors).toEqual([]);
    expect(result.buckets[0]!.items).toEqual([item('web-prod', CSV), item('web-prod', WEEKLY)]);
  });
});

describe('resolveDesiredState() with conflicting templates', () => {
  interface Conflict {
    name: string;
    data: Record<string, unknown>;
    buckets: { name: string; tags: Record<string, string> }[];
    path: string;
    reason: string;
    templates: [string, string];
    /** Buckets still resolved. */
    resolved: string[];
    /** The loader refuses the file already (its templates overlap by name alone). */
    refused?: boolean;
  }

  const byTags = { name: 'all-prod', match: { tags: { env: 'prod' } }, inventories: [CSV] };
  const byName = { name: 'web', match: { names: ['web-*'] }, inventories: [WEEKLY, PARQUET] };
  const conflicts: Conflict[] = [
    {
      name: 'a template by tags and one by name',
      data: { version: 1, templates: [byTags, byName] },
      buckets: [
        { name: 'web-prod', tags: { env: 'prod' } },
        { name: 'api-prod', tags: { env: 'prod' } },
      ],
      path: 'templates[1].inventories[1]',
      reason:
        'templates "all-prod" (templates[0].inventories[0]) and "web" both give the Id "daily-csv" to bucket "web-prod"',
      templates: ['all-prod', 'web'],
      resolved: ['api-prod'],
    },
    {
      name: 'two templates by tags, on a bucket the file names',
      data: {
        version: 1,
        buckets: { 'web-prod': { inventories: [WEEKLY] } },
        templates: [byTags, { name: 'team-web', match: { tags: { team: 'web' } }, inventories: [PARQUET] }],
      },
      buckets: [{ name: 'web-prod', tags: { env: 'prod', team: 'web' } }],
      path: 'templates[1].inventories[0]',
      reason: 'to bucket "web-prod": make their matches disjoint, rename one Id',
      templates: ['all-prod', 'team-web'],
      resolved: [],
    },
    {
      name: 'two templates by name globs',
      data: {
        version: 1,
        templates: [
          { name: 'logs', match: { names: ['logs-*'] }, inventories: [CSV] },
          { name: 'web-logs', match: { names: ['*-web'] }, inventories: [PARQUET] },
        ],
      },
      buckets: [{ name: 'logs-web', tags: {} }],
      path: 'templates[1].inventories[0]',
      reason: 'templates "logs" (templates[0].inventories[0]) and "web-logs"',
      templates: ['logs', 'web-logs'],
      resolved: [],
      // The loader refuses this file (templateOverlaps): the table may still hold such templates.
      refused: true,
    },
  ];

  it.each(conflicts)('names both templates and the bucket: $name', (conflict) => {
    const { file, locate, text } = (conflict.refused ? overlappingFile : validFile)(conflict.data);
    const result = resolveDesiredState(file, conflict.buckets);
    const error = result.errors.find((candidate) => candidate.path === conflict.path);
    expect(error, JSON.stringify(result.errors, null, 2)).toBeDefined();
    expect(error!.message).toContain(conflict.reason);
    expect(error!.templates).toEqual(conflict.templates);
    expect(error!.id).toBe('daily-csv');
    // The path places the error in the file: the second template's inventory, the last with this Id.
    expect(locate(error!.path)?.line).toBe(lastLineOf(text, '- Id: daily-csv'));
    expect(result.buckets.map((bucket) => bucket.bucket)).toEqual(conflict.resolved);
  });

  it('reports each repeat when three templates give one Id', () => {
    const { file } = overlappingFile({
      version: 1,
      templates: [
        byTags,
        { name: 'web', match: { names: ['web-*'] }, inventories: [PARQUET] },
        { name: 'site', match: { names: ['*-prod'] }, inventories: [CSV] },
      ],
    });
    const result = resolveDesiredState(file, [{ name: 'web-prod', tags: { env: 'prod' } }]);
    expect(result.errors.map((error) => [error.path, error.templates, error.bucket])).toEqual([
      ['templates[1].inventories[0]', ['all-prod', 'web'], 'web-prod'],
      ['templates[2].inventories[0]', ['all-prod', 'site'], 'web-prod'],
    ]);
    expect(result.buckets).toEqual([]);
  });
});

describe('matchesTemplate()', () => {
  it('matches on tags alone, names alone, or both', () => {
    const bucket = { name: 'logs-web', tags: { env: 'prod' } };
    expect(matchesTemplate({ tags: { env: 'prod' } }, bucket)).toBe(true);
    expect(matchesTemplate({ names: ['logs-*'] }, bucket)).toBe(true);
    expect(matchesTemplate({ tags: { env: 'prod' }, names: ['api-*'] }, bucket)).toBe(false);
    expect(matchesTemplate({ tags: { env: 'Prod' } }, bucket)).toBe(false);
  });

  it('matches match.accounts by account id or an organization or OU containing it, and match.regions (#18)', () => {
    const bucket = {
      name: 'logs-web',
      tags: { env: 'prod' },
      account: '222222222222',
      parents: ['o-a1b2c3d4e5', 'ou-ab12-cdef3456'],
      region: 'eu-west-1',
    };
    expect(matchesTemplate({ tags: { env: 'prod' }, accounts: ['ou-ab12-cdef3456'] }, bucket)).toBe(true);
    expect(matchesTemplate({ names: ['logs-*'], accounts: ['222222222222'] }, bucket)).toBe(true);
    expect(
      matchesTemplate({ names: ['logs-*'], accounts: ['o-a1b2c3d4e5'], regions: ['eu-west-1'] }, bucket),
    ).toBe(true);
    expect(matchesTemplate({ names: ['logs-*'], accounts: ['ou-ab12-99998888'] }, bucket)).toBe(false);
    expect(matchesTemplate({ names: ['logs-*'], regions: ['us-east-1'] }, bucket)).toBe(false);
    // ANDed with the tags: the right account does not make up for a wrong tag.
    expect(matchesTemplate({ tags: { env: 'dev' }, accounts: ['222222222222'] }, bucket)).toBe(false);
    // Where the account or the region is not known, a template that asks for one does not match.
    const unknown = { name: 'logs-web', tags: {} };
    expect(matchesTemplate({ names: ['logs-*'], accounts: ['o-a1b2c3d4e5'] }, unknown)).toBe(false);
    expect(matchesTemplate({ names: ['logs-*'], regions: ['eu-west-1'] }, unknown)).toBe(false);
    // A template without accounts keeps to the home account's buckets.
    expect(matchesTemplate({ names: ['logs-*'] }, { ...bucket, home: false })).toBe(false);
    expect(matchesTemplate({ names: ['logs-*'] }, { ...bucket, home: true })).toBe(true);
  });
});
