import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFileError } from '../../../../lib/core/desired/formatFileError.js';
import { loadDesiredFile } from '../../../../lib/core/desired/loadDesiredFile.js';
import type { FileError } from '../../../../lib/core/desired/types.js';
import {
  bucketWith,
  configuration,
  destination,
  lastLineOf,
  lineOf,
  templatesFile,
  yamlOf,
} from './desiredFixtures.js';

const CSV = configuration();

describe('loadDesiredFile()', () => {
  it('loads a YAML file', () => {
    const text = bucketWith([CSV], { mode: 'detect' });
    const result = loadDesiredFile(text, 'photos.yaml');
    expect(result).toMatchObject({
      ok: true,
      file: { version: 1, buckets: { 'photos-prod': { mode: 'detect', inventories: [CSV] } } },
    });
  });

  it('loads a JSON file, with a $schema reference and a byte order mark', () => {
    const data = {
      $schema: '../schema/desired-state.schema.json',
      version: 1,
      buckets: { 'photos-prod': { inventories: [CSV] } },
    };
    const result = loadDesiredFile(`\uFEFF${JSON.stringify(data, null, 2)}`, 'photos.JSON');
    expect(result.ok && result.file).toStrictEqual(data);
  });

  it('reads a .yml file and anything not .json as YAML', () => {
    expect(loadDesiredFile('version: 1 # comment\n', 'photos.yml').ok).toBe(true);
    expect(loadDesiredFile('version: 1\n', 'photos').ok).toBe(true);
    expect(loadDesiredFile('version: 1 # comment\n', 'photos.json').ok).toBe(false);
  });

  it('reads strict JSON the YAML parser finds unusual', () => {
    expect(loadDesiredFile('{"version"\n: 1}', 'photos.json')).toMatchObject({
      ok: true,
      file: { version: 1 },
    });
  });

  it('places a JSON syntax error after valid escapes exactly', () => {
    const text = '{\n  "version": 1,\n  "$schema": "caf\\u00e9 \\"x\\" \\\\ \\/ \\n",\n  "buckets": {},\n}';
    const result = loadDesiredFile(text, 'photos.json');
    expect(!result.ok && result.errors.map(formatFileError)).toEqual([
      'photos.json:5:1: invalid JSON: trailing comma before "}"',
    ]);
  });

  it('expands YAML anchors and aliases', () => {
    const text = [
      'version: 1',
      'buckets:',
      '  photos-prod:',
      '    inventories:',
      '      - &daily',
      ...yamlOf(CSV)
        .trimEnd()
        .split('\n')
        .map((line) => `        ${line}`),
      '  photos-dev:',
      '    inventories: [*daily]',
    ].join('\n');
    const result = loadDesiredFile(text, 'photos.yaml');
    expect(result.ok && result.file.buckets?.['photos-dev']?.inventories).toEqual([CSV]);
  });

  it('places errors under an alias at the alias', () => {
    const text = `version: 1\nx: &bad { mode: nope }\ndefaults: *bad\n`;
    const result = loadDesiredFile(text, 'photos.yaml');
    expect(!result.ok && result.errors.map(formatFileError)).toContain(
      'photos.yaml:3:1 defaults.mode: expected enforce | detect, got "nope"',
    );
  });

  it('reports every error at once, in file order, each with file, line, column, path and reason', () => {
    const text = yamlOf({
      version: 1,
      defaults: { mode: 'dry-run' },
      buckets: {
        Photos: {
          inventories: [destination({ Format: 'csv' }), configuration({ Schedule: { Frequency: 'Hourly' } })],
        },
      },
      templates: [{ name: 'all-prod', match: {}, inventories: [CSV] }],
    });
    const result = loadDesiredFile(text, 'photos.yaml');
    expect(result.ok).toBe(false);
    const errors = (result as { errors: FileError[] }).errors;
    expect(errors.map(formatFileError)).toEqual([
      'photos.yaml:3:3 defaults.mode: expected enforce | detect, got "dry-run"',
      'photos.yaml:5:3 buckets.Photos: expected a bucket name of lowercase letters, digits, "." and "-", got "Photos"',
      'photos.yaml:15:13 buckets.Photos.inventories[0].Destination.S3BucketDestination.Format: expected CSV | ORC | Parquet, got "csv"',
      'photos.yaml:21:9 buckets.Photos.inventories[1].Id: duplicate Id "daily-csv": also at buckets.Photos.inventories[0] (line 7); Ids must be unique in one list',
      'photos.yaml:25:11 buckets.Photos.inventories[1].Schedule.Frequency: expected Daily | Weekly, got "Hourly"',
      'photos.yaml:37:5 templates[0].match: expected tags, names or both: an empty match would select every bucket',
    ]);
    expect(text.split('\n')[20]).toBe('      - Id: daily-csv');
    expect(errors[0]).toEqual({
      file: 'photos.yaml',
      line: lineOf(text, 'mode:'),
      column: 3,
      path: 'defaults.mode',
      message: 'expected enforce | detect, got "dry-run"',
    });
  });

  it('gives a locate function that places any path, or its nearest written ancestor', () => {
    const text = bucketWith([CSV]);
    const result = loadDesiredFile(text, 'photos.yaml');
    if (!result.ok) throw new Error('expected a valid file');
    expect(result.locate('buckets.photos-prod.inventories[0].Schedule.Frequency')).toEqual({
      line: lineOf(text, 'Frequency:'),
      column: 11,
    });
    expect(result.locate('buckets.photos-prod.inventories[0].Filter.Prefix')).toEqual({ line: 5, column: 9 });
    expect(result.locate('')).toEqual({ line: 1, column: 1 });
    expect(result.locate('templates')).toEqual({ line: 1, column: 1 });
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom('f.yaml', 'f.json'), (text, name) => {
        const result = loadDesiredFile(text, name);
        if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('f.yaml', 'f.json'), (value, name) => {
        const text = name === 'f.json' ? JSON.stringify(value) : yamlOf(value);
        const result = loadDesiredFile(text ?? 'null', name);
        if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts templates whose tags decide whether they meet, with a warning placed at the second Id', () => {
    const text = templatesFile([
      ['prod', { tags: { env: 'prod' } }, ['daily-csv']],
      ['web', { names: ['web-*'] }, ['daily-csv']],
    ]);
    const result = loadDesiredFile(text, 'photos.yaml');
    if (!result.ok) throw new Error(result.errors.map(formatFileError).join('\n'));
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({
      file: 'photos.yaml',
      line: lastLineOf(text, 'Id: daily-csv'),
      column: 9,
      path: 'templates[1].inventories[0].Id',
      severity: 'warning',
    });
    expect(formatFileError(result.warnings[0]!)).toMatch(
      /^photos\.yaml:\d+:9 templates\[1\]\.inventories\[0\]\.Id: warning: templates "prod" \(photos\.yaml:3\) and "web" \(photos\.yaml:\d+\) both give the Id "daily-csv" to any bucket that matches both by name and carries env=prod, e\.g\. "web-0"/,
    );
    expect(loadDesiredFile(bucketWith([CSV]), 'photos.yaml')).toMatchObject({ ok: true, warnings: [] });
  });

  it('checks templates for overlaps only once the rest of the file is valid', () => {
    const text = templatesFile([
      ['web', { names: ['web-*'] }, ['daily-csv']],
      ['prod', { names: ['*-prod'] }, ['daily-csv']],
    ]).replace('version: 1', 'version: 2');
    const result = loadDesiredFile(text, 'photos.yaml');
    expect(!result.ok && result.errors.map((error) => error.path)).toEqual(['version']);
  });

  it('reports rather than throws when handed something that is not text', () => {
    const result = loadDesiredFile(undefined as unknown as string, 'photos.yaml');
    expect(result).toMatchObject({ ok: false, errors: [{ file: 'photos.yaml', path: '' }] });
    expect(!result.ok && result.errors[0]!.message).toMatch(/^could not check the file: /);
  });
});

describe('formatFileError()', () => {
  it('writes file:line:column path: reason', () => {
    expect(
      formatFileError({
        file: 'photos.yaml',
        line: 12,
        column: 9,
        path: 'buckets.photos-prod.inventories[0].Schedule.Frequency',
        message: 'expected Daily | Weekly, got "Hourly"',
      }),
    ).toBe(
      'photos.yaml:12:9 buckets.photos-prod.inventories[0].Schedule.Frequency: expected Daily | Weekly, got "Hourly"',
    );
  });

  it('leaves out what it does not have', () => {
    expect(
      formatFileError({ file: 'a.json', line: 3, column: 1, path: '', message: 'invalid JSON: x' }),
    ).toBe('a.json:3:1: invalid JSON: x');
    expect(formatFileError({ file: 'a.yaml', line: 3, path: 'version', message: 'm' })).toBe(
      'a.yaml:3 version: m',
    );
    expect(formatFileError({ file: 'a.yaml', path: '', message: 'the file holds no data' })).toBe(
      'a.yaml: the file holds no data',
    );
  });

  it('marks a warning as such', () => {
    expect(
      formatFileError({
        file: 'a.yaml',
        line: 3,
        column: 9,
        path: 'version',
        message: 'm',
        severity: 'warning',
      }),
    ).toBe('a.yaml:3:9 version: warning: m');
  });
});
