import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../lib/cli/errors.js';
import { describeFile, plural, readDesiredFile } from '../../../lib/cli/readDesiredFile.js';
import type { DesiredStateFile } from '../../../lib/core/desired/fileSchema.js';
import { makeConfiguration } from '../../helpers/factories.js';

const dir = mkdtempSync(join(tmpdir(), 's3ir-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readDesiredFile()', () => {
  it('reads and checks a valid file', async () => {
    const path = join(dir, 'photos.yaml');
    writeFileSync(path, 'version: 1\nbuckets:\n  photos:\n    region: eu-west-1\n');
    expect(await readDesiredFile(path)).toMatchObject({
      ok: true,
      file: { version: 1, buckets: { photos: { region: 'eu-west-1' } } },
    });
  });

  it('returns the errors of an invalid file, placed in it', async () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'version: 2\n');
    const result = await readDesiredFile(path);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((error) => [error.file, error.path, error.line])).toEqual([
      [path, 'version', 1],
    ]);
  });

  it('refuses a missing file and a directory with a UserError saying why', async () => {
    const missing = join(dir, 'nope.yaml');
    await expect(readDesiredFile(missing)).rejects.toThrow(
      new UserError(`cannot read ${missing}: no such file`),
    );
    await expect(readDesiredFile(dir)).rejects.toThrow(new UserError(`cannot read ${dir}: is a directory`));
    await expect(readDesiredFile(dir)).rejects.toBeInstanceOf(UserError);
  });

  it('gives the reason as is for any other read error', async () => {
    const path = join(dir, 'photos.yaml', 'below-a-file.yaml');
    await expect(readDesiredFile(path)).rejects.toThrow(
      new UserError(`cannot read ${path}: Error: ENOTDIR: not a directory, open '${path}'`),
    );
  });
});

describe('describeFile()', () => {
  it('counts buckets, their inventory configurations and templates, singular and plural', () => {
    const file = {
      version: 1,
      buckets: {
        photos: { inventories: [makeConfiguration({ Id: 'a' }), makeConfiguration({ Id: 'b' })] },
        logs: {},
      },
      templates: [{ name: 't', match: { names: ['x-*'] }, inventories: [makeConfiguration()] }],
    } as DesiredStateFile;
    expect(describeFile(file)).toBe('2 buckets, 2 inventory configurations, 1 template');
    expect(
      describeFile({
        version: 1,
        buckets: { logs: { inventories: [makeConfiguration()] } },
      } as DesiredStateFile),
    ).toBe('1 bucket, 1 inventory configuration, 0 templates');
    expect(describeFile({ version: 1 } as DesiredStateFile)).toBe(
      '0 buckets, 0 inventory configurations, 0 templates',
    );
  });
});

describe('plural()', () => {
  it('adds an s except for one', () => {
    expect([plural(0, 'bucket'), plural(1, 'bucket'), plural(3, 'template')]).toEqual([
      '0 buckets',
      '1 bucket',
      '3 templates',
    ]);
    expect(plural(5, 'inventory configuration')).toBe('5 inventory configurations');
  });
});
