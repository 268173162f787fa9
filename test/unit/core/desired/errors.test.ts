import { describe, expect, it } from 'vitest';
import { DesiredStateError, InvalidDesiredFileError } from '../../../../lib/core/desired/errors.js';
import { loadDesiredFile } from '../../../../lib/core/desired/loadDesiredFile.js';

describe('InvalidDesiredFileError', () => {
  it('carries every error and lists them formatted', () => {
    const result = loadDesiredFile('version: 2\nowner: me\n', 'photos.yaml');
    if (result.ok) throw new Error('expected errors');
    const cause = new Error('validate');
    const error = new InvalidDesiredFileError(result.errors, { cause });
    expect(error).toBeInstanceOf(DesiredStateError);
    expect(error.name).toBe('InvalidDesiredFileError');
    expect(error.errors).toBe(result.errors);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(
      [
        'invalid desired-state file (2 errors):',
        '  photos.yaml:1:1 version: expected 1 (the format version), got 2',
        '  photos.yaml:2:1 owner: unknown field; expected one of $schema, version, defaults, buckets, templates',
      ].join('\n'),
    );
  });

  it('says "1 error" for one', () => {
    const error = new InvalidDesiredFileError([
      { file: 'a.yaml', path: '', message: 'the file holds no data' },
    ]);
    expect(error.message).toBe('invalid desired-state file (1 error):\n  a.yaml: the file holds no data');
  });
});

describe('DesiredStateError', () => {
  it('names itself', () => {
    expect(new DesiredStateError('x').name).toBe('DesiredStateError');
  });
});
