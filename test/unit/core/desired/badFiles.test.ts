import { describe, expect, it } from 'vitest';
import { formatFileError } from '../../../../lib/core/desired/formatFileError.js';
import { loadDesiredFile } from '../../../../lib/core/desired/loadDesiredFile.js';
import { badFiles } from './badFileCases.js';
import { lastLineOf, lineOf } from './desiredFixtures.js';

describe('loadDesiredFile() with bad files', () => {
  it('has at least 110 distinct cases', () => {
    expect(badFiles.length).toBeGreaterThanOrEqual(110);
    expect(new Set(badFiles.map((badFile) => badFile.name)).size).toBe(badFiles.length);
    const inputs = badFiles.map((badFile) => `${badFile.fileName ?? 'bad.yaml'}\n${badFile.text}`);
    expect(new Set(inputs).size).toBe(badFiles.length);
  });

  it.each(badFiles)(
    'refuses $name',
    ({ text, fileName = 'bad.yaml', path, reason, line, lastLine, count }) => {
      const result = loadDesiredFile(text, fileName);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const shown = result.errors.map(formatFileError).join('\n');
      const error = result.errors.find(
        (candidate) => candidate.path === path && candidate.message.includes(reason),
      );
      expect(error, `no error at ${path} with "${reason}"; got:\n${shown}`).toBeDefined();
      expect(error!.file).toBe(fileName);
      const expectedLine =
        lastLine !== undefined
          ? lastLineOf(text, lastLine)
          : typeof line === 'string'
            ? lineOf(text, line)
            : line;
      expect(error!.line, shown).toBe(expectedLine);
      if (expectedLine !== undefined) expect(error!.column).toBeGreaterThanOrEqual(1);
      if (count !== undefined) expect(result.errors, shown).toHaveLength(count);
    },
  );
});
