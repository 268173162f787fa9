import { describe, expect, it } from 'vitest';
import { desiredItemChanges, itemsAfter } from '../../../lib/cli/desiredItemChanges.js';
import { applyConflicts, conflictError, selectedBuckets } from '../../../lib/cli/templateConflicts.js';
import { loadDesiredFile } from '../../../lib/core/desired/loadDesiredFile.js';
import { fileToItems, itemsToTemplates } from '../../../lib/core/desired/tableItems.js';
import type { BucketTagSource } from '../../../lib/usecases/sweep/sweep.js';
import { lineOf, templatesFile } from '../core/desired/desiredFixtures.js';

/** The account's buckets and their tags, as the tag index and ListBuckets would answer; counts the asks. */
function accountOf(buckets: Record<string, Record<string, string>>) {
  const asked: string[] = [];
  const source: BucketTagSource = {
    accountBuckets: async () => {
      asked.push('ListBuckets');
      return Object.keys(buckets);
    },
    bucketsTagged: async (tags) => {
      asked.push(`GetResources ${JSON.stringify(tags)}`);
      return Object.keys(buckets).filter((name) =>
        Object.entries(tags).every(([key, value]) => buckets[name]![key] === value),
      );
    },
  };
  return { source, asked };
}

const ACCOUNT = {
  'web-prod': { env: 'prod' },
  'web-dev': { env: 'dev' },
  'api-prod': { env: 'prod', team: 'api' },
  'logs-web': {},
};

function loaded(text: string, fileName = 'team.yaml') {
  const result = loadDesiredFile(text, fileName);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}

function itemsOf(text: string, fileName = 'team.yaml') {
  return fileToItems(loaded(text, fileName).file, {
    fileName,
    appliedBy: 'me',
    appliedAt: '2026-01-01T00:00:00Z',
  });
}

const PROD = templatesFile([['prod', { tags: { env: 'prod' } }, ['daily-csv']]]);
const WEB = templatesFile([['web', { names: ['web-*'] }, ['daily-csv']]]);

describe('selectedBuckets()', () => {
  it('gives each selected bucket the tags it was found by, asking once per tag set', async () => {
    const { source, asked } = accountOf(ACCOUNT);
    const templates = itemsToTemplates([
      ...itemsOf(PROD),
      ...itemsOf(templatesFile([['prod-again', { tags: { env: 'prod' }, names: ['api-*'] }, ['weekly']]])),
      ...itemsOf(WEB),
    ]);
    const known = await selectedBuckets(templates, source);
    expect(Object.fromEntries(known.map(({ name, tags }) => [name, tags]))).toEqual({
      'web-prod': { env: 'prod' },
      'api-prod': { env: 'prod' },
      'web-dev': {},
    });
    expect(asked.sort()).toEqual(['GetResources {"env":"prod"}', 'ListBuckets']);
  });
});

describe('applyConflicts()', () => {
  it('refuses a conflict between a template of the file and one the table keeps', async () => {
    const { source } = accountOf(ACCOUNT);
    const stored = itemsOf(PROD, 'platform.yaml');
    const fileItems = itemsOf(WEB);
    const after = itemsAfter(stored, desiredItemChanges(fileItems, stored, { pruneDesired: false }));
    const conflicts = await applyConflicts(stored, after, new Set(['web']), source);
    expect(conflicts.standing).toEqual([]);
    expect(conflicts.refused.map(({ bucket, id, templates }) => ({ bucket, id, templates }))).toEqual([
      { bucket: 'web-prod', id: 'daily-csv', templates: ['prod', 'web'] },
    ]);
  });

  it('finds none when the table would no longer hold the other template (--prune-desired)', async () => {
    const { source } = accountOf(ACCOUNT);
    const stored = itemsOf(PROD, 'platform.yaml');
    const after = itemsAfter(stored, desiredItemChanges(itemsOf(WEB), stored, { pruneDesired: true }));
    expect(await applyConflicts(stored, after, new Set(['web']), source)).toEqual({
      refused: [],
      standing: [],
    });
  });

  it("finds none when the bucket's own entry declares the Id", async () => {
    const { source } = accountOf(ACCOUNT);
    const stored = itemsOf(PROD, 'platform.yaml');
    const file = itemsOf(
      templatesFile([['web', { names: ['web-*'] }, ['daily-csv']]], {
        'web-prod': { inventories: [loaded(PROD).file.templates![0]!.inventories[0]] },
      }),
    );
    const after = itemsAfter(stored, desiredItemChanges(file, stored, { pruneDesired: false }));
    expect((await applyConflicts(stored, after, new Set(['web']), source)).refused).toEqual([]);
  });

  it('reports a conflict the table already holds between other templates, without refusing', async () => {
    const { source } = accountOf(ACCOUNT);
    const stored = [...itemsOf(PROD, 'platform.yaml'), ...itemsOf(WEB, 'web.yaml')];
    const file = itemsOf(templatesFile([['logs', { names: ['logs-*'] }, ['weekly']]]));
    const after = itemsAfter(stored, desiredItemChanges(file, stored, { pruneDesired: false }));
    const conflicts = await applyConflicts(stored, after, new Set(['logs']), source);
    expect(conflicts.refused).toEqual([]);
    expect(conflicts.standing.map((conflict) => conflict.bucket)).toEqual(['web-prod']);
  });

  it("refuses a conflict the file uncovers by dropping a bucket's own entry", async () => {
    const { source } = accountOf(ACCOUNT);
    const own = itemsOf(
      templatesFile([], { 'web-prod': { inventories: [loaded(PROD).file.templates![0]!.inventories[0]] } }),
      'web-prod.yaml',
    );
    const stored = [...itemsOf(PROD, 'platform.yaml'), ...itemsOf(WEB, 'web.yaml'), ...own];
    const file = itemsOf(templatesFile([], { 'web-prod': { mode: 'detect' } }), 'web-prod.yaml');
    const after = itemsAfter(stored, desiredItemChanges(file, stored, { pruneDesired: false }));
    const conflicts = await applyConflicts(stored, after, new Set(), source);
    expect(conflicts.refused.map((conflict) => conflict.templates)).toEqual([['prod', 'web']]);
  });

  it('asks nothing when the table would hold no template', async () => {
    const { source, asked } = accountOf(ACCOUNT);
    const stored = itemsOf(PROD, 'platform.yaml');
    const file = itemsOf(templatesFile([], { 'web-prod': {} }));
    const after = itemsAfter(stored, desiredItemChanges(file, stored, { pruneDesired: true }));
    expect(await applyConflicts(stored, after, new Set(), source)).toEqual({ refused: [], standing: [] });
    expect(asked).toEqual([]);
  });
});

describe('conflictError()', () => {
  const conflict = {
    bucket: 'web-prod',
    id: 'daily-csv',
    templates: ['prod', 'web'] as [string, string],
    path: '#templates.web.inventories[0]',
    message: '',
  };

  it("names the file's template by file:line and the table's by the file it came from", () => {
    const { file, locate } = loaded(WEB);
    const stored = itemsOf(PROD, 'platform.yaml');
    expect(conflictError(conflict, { fileName: 'team.yaml', file, locate, stored })).toEqual({
      file: 'team.yaml',
      line: lineOf(WEB, '- Id: daily-csv'),
      column: 9,
      path: 'templates[0].inventories[0].Id',
      message:
        'templates "prod" (in the table, from platform.yaml) and "web" (team.yaml:3) both give the Id ' +
        '"daily-csv" to bucket "web-prod", which both select: make their matches disjoint, rename one Id, or ' +
        "declare the Id in the bucket's own entry",
    });
  });

  it('has no place in the file for a standing conflict, and says why it is only a warning', () => {
    const { file, locate } = loaded(templatesFile([['logs', { names: ['logs-*'] }, ['weekly']]]));
    const error = conflictError(conflict, { fileName: 'team.yaml', file, locate, stored: [] }, 'warning');
    expect(error).toMatchObject({ file: 'team.yaml', path: '', severity: 'warning' });
    expect(error.line).toBeUndefined();
    expect(error.message).toMatch(/^templates "prod" \(in the table\) and "web" \(in the table\) both give/);
    expect(error.message).toMatch(/\(already in the table: this file neither declares nor changes them\)$/);
  });
});
