import { describe, expect, it } from 'vitest';
import { colorWanted } from '../../../lib/cli/io.js';

describe('colorWanted()', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true], // no-color.org: only a non-empty value counts
    [{ NO_COLOR: '' }, false, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: 'true' }, false, true],
    [{ FORCE_COLOR: '3' }, false, true],
    [{ FORCE_COLOR: '' }, false, false],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    [{ FORCE_COLOR: '1', NO_COLOR: 'yes' }, true, false],
  ])('%j, stdout a terminal: %s -> %s', (env, tty, wanted) => {
    expect(colorWanted(env, tty)).toBe(wanted);
  });
});
