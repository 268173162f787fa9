import { describe, expect, it } from 'vitest';
import { checkFileSchema } from '../../../../lib/core/desired/fileIssues.js';
import type { DesiredStateFile } from '../../../../lib/core/desired/fileSchema.js';
import { templateOverlapIssues, templateOverlaps } from '../../../../lib/core/desired/templateOverlaps.js';
import { configuration } from './desiredFixtures.js';

const DAILY = configuration({}, 'daily-csv');
const WEEKLY = configuration({}, 'weekly');

/** A schema-valid file with these templates (and buckets), without the loader's overlap check. */
function fileWith(templates: unknown[], buckets: Record<string, unknown> = {}): DesiredStateFile {
  const { file, issues } = checkFileSchema({ version: 1, templates, buckets });
  if (!file) throw new Error(JSON.stringify(issues));
  return file;
}

const template = (name: string, match: Record<string, unknown>, inventories = [DAILY]) => ({
  name,
  match,
  inventories,
});

describe('templateOverlaps()', () => {
  it('finds two name-only templates whose globs meet, with the first common bucket name', () => {
    const file = fileWith([
      template('web', { names: ['web-*'] }),
      template('other', { names: ['logs-*-dev'] }, [WEEKLY]),
      template('prod', { names: ['*-prod'] }, [WEEKLY, DAILY]),
    ]);
    expect(templateOverlaps(file)).toEqual([
      {
        id: 'daily-csv',
        first: { template: 0, inventory: 0 },
        second: { template: 2, inventory: 1 },
        tags: {},
        bucket: 'web-prod',
        listed: false,
      },
    ]);
  });

  it('finds nothing when the globs cannot meet or the Ids differ', () => {
    expect(
      templateOverlaps(
        fileWith([template('web', { names: ['web-*'] }), template('logs', { names: ['logs-*'] })]),
      ),
    ).toEqual([]);
    expect(
      templateOverlaps(
        fileWith([template('a', { names: ['*'] }), template('b', { names: ['*'] }, [WEEKLY])]),
      ),
    ).toEqual([]);
  });

  it('finds nothing when their regions or their account ids are disjoint, but not across an OU (#18)', () => {
    const disjoint = fileWith([
      template('eu', { names: ['web-*'], regions: ['eu-west-1'] }),
      template('us', { names: ['web-*'], regions: ['us-east-1', 'us-west-2'] }),
      template('a', { names: ['api-*'], accounts: ['111111111111'] }),
      template('b', { names: ['api-*'], accounts: ['222222222222'] }),
    ]);
    expect(templateOverlaps(disjoint)).toEqual([]);
    const viaOu = fileWith([
      template('a', { names: ['api-*'], accounts: ['111111111111'] }),
      template('ou', { names: ['api-*'], accounts: ['ou-ab12-cdef3456'] }),
    ]);
    expect(templateOverlaps(viaOu).map((overlap) => overlap.id)).toEqual(['daily-csv']);
  });

  it('finds nothing when the templates require one tag key with different values', () => {
    const file = fileWith([
      template('prod', { tags: { env: 'prod' } }),
      template('dev', { tags: { env: 'dev', team: 'web' }, names: ['*'] }),
    ]);
    expect(templateOverlaps(file)).toEqual([]);
  });

  it('gives the tags a bucket must carry for both when tags decide', () => {
    const file = fileWith([
      template('prod', { tags: { env: 'prod' } }),
      template('web', { tags: { team: 'web', env: 'prod' }, names: ['web-*'] }),
    ]);
    expect(templateOverlaps(file)).toMatchObject([
      { id: 'daily-csv', tags: { env: 'prod', team: 'web' }, bucket: 'web-0', listed: false },
    ]);
  });

  it('prefers a bucket the file lists, and never one whose own entry declares the Id', () => {
    const templates = [template('web', { names: ['web-*'] }), template('prod', { names: ['*-prod'] })];
    const listed = fileWith(templates, { 'web-shop-prod': {}, 'web-a-prod': { inventories: [DAILY] } });
    expect(templateOverlaps(listed)).toMatchObject([{ bucket: 'web-shop-prod', listed: true }]);
    // Only one name can meet both, and its own entry declares the Id: no bucket is ambiguous.
    const exact = fileWith([template('a', { names: ['web-prod'] }), template('b', { names: ['web-pro?'] })], {
      'web-prod': { inventories: [DAILY] },
    });
    expect(templateOverlaps(exact)).toEqual([]);
  });

  it('reports every pair when three templates give one Id, in file order', () => {
    const file = fileWith([
      template('a', { names: ['web-*'] }),
      template('b', { names: ['*-prod'] }),
      template('c', { names: ['web-prod'] }),
    ]);
    expect(templateOverlaps(file).map(({ first, second }) => [first.template, second.template])).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
  });
});

describe('templateOverlapIssues()', () => {
  const placeOf = (path: string) => `inv.yaml:${path.length}`;

  it('words a certain overlap as an error at the second Id, naming both templates, the Id and a bucket', () => {
    const file = fileWith([template('web', { names: ['web-*'] }), template('prod', { names: ['*-prod'] })]);
    expect(templateOverlapIssues(file, placeOf)).toEqual({
      errors: [
        {
          path: 'templates[1].inventories[0].Id',
          message:
            'templates "web" (inv.yaml:12) and "prod" (inv.yaml:12) both give the Id "daily-csv" to every ' +
            'bucket both match by name, e.g. "web-prod": make their matches disjoint, rename one Id, or ' +
            "declare the Id in the bucket's own entry",
        },
      ],
      warnings: [],
    });
  });

  it('names a listed bucket as such', () => {
    const file = fileWith([template('web', { names: ['web-*'] }), template('prod', { names: ['*-prod'] })], {
      'web-shop-prod': {},
    });
    expect(templateOverlapIssues(file, placeOf).errors[0]?.message).toContain(
      'to bucket "web-shop-prod" (listed in buckets:), which both match by name',
    );
  });

  it('warns, rather than errs, when the globs are too complex to decide', { timeout: 60_000 }, () => {
    const file = fileWith([
      template('a', { names: ['*a??????????????'] }),
      template('b', { names: ['*b??????????????'] }),
    ]);
    expect(templateOverlaps(file)).toMatchObject([{ id: 'daily-csv', undecided: true }]);
    const { errors, warnings } = templateOverlapIssues(file, placeOf);
    expect(errors).toEqual([]);
    expect(warnings.map((warning) => warning.message)).toEqual([
      'templates "a" (inv.yaml:12) and "b" (inv.yaml:12) both give the Id "daily-csv" to any bucket both select, ' +
        'if one exists: their name globs are too complex to decide; make their matches disjoint, rename one Id, ' +
        "or declare the Id in the bucket's own entry",
    ]);
  });

  it('words a tag-decided overlap as a warning naming the tags', () => {
    const file = fileWith([
      template('prod', { tags: { env: 'prod' } }),
      template('web', { names: ['web-*'] }),
    ]);
    const { errors, warnings } = templateOverlapIssues(file, placeOf);
    expect(errors).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.path).toBe('templates[1].inventories[0].Id');
    expect(warnings[0]!.message).toContain(
      'both give the Id "daily-csv" to any bucket that matches both by name and carries env=prod, e.g. "web-0": ' +
        "the buckets' tags decide",
    );
  });
});
