import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { badFiles } from '../core/desired/badFileCases.js';
import { fakeIo } from './fakeIo.js';

// Reaching AWS at all would mean writing: the command must stop before it builds any client.
const reachedAws = vi.hoisted(() => vi.fn());
vi.mock('../../../lib/cli/cliContext.js', () => ({
  withCliContext: (...args: unknown[]) => {
    reachedAws(...args);
    throw new Error('apply reached AWS with an invalid file');
  },
}));

const { apply } = await import('../../../lib/cli/commands/apply.js');

describe('s3ir apply with bad files', () => {
  const folder = mkdtempSync(join(tmpdir(), 's3ir-bad-'));

  it.each(badFiles.map((badFile, index) => ({ ...badFile, index })))(
    'refuses $name, names where and why, and writes nothing',
    async ({ text, fileName = 'bad.yaml', path, reason, index }) => {
      const file = join(folder, `${index}-${fileName}`);
      writeFileSync(file, text);
      const { io, out, err } = fakeIo();

      const status = await apply(['-f', file], io);

      const stderr = err.join('');
      expect(status).toBe(1);
      expect(out).toEqual([]);
      expect(stderr).toContain(`${path}: `);
      expect(stderr).toContain(reason);
      expect(stderr.startsWith(file)).toBe(true);
      expect(stderr).toMatch(/error\(s\); nothing was written\n$/);
      expect(reachedAws).not.toHaveBeenCalled();
    },
  );
});
