import type { CliIo } from '../../../lib/cli/io.js';

/** A CliIo that records what a command writes. */
export function fakeIo(overrides: Partial<Pick<CliIo, 'color' | 'stderrTty' | 'env'>> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => void out.push(text),
    err: (text) => void err.push(text),
    color: false,
    stderrTty: false,
    env: {},
    ...overrides,
  };
  return { io, out, err };
}
