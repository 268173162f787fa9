import { describe, expect, it } from 'vitest';
import { progressBar } from '../../../lib/cli/progressBar.js';
import { fakeIo } from './fakeIo.js';

const CLEAR = '\r\u001b[2K';

describe('progressBar()', () => {
  it('draws a 30-wide bar on a terminal and clears it when done', () => {
    const { io, out, err } = fakeIo({ stderrTty: true });
    const bar = progressBar(io);
    bar.update(0, 10);
    bar.update(3, 10);
    bar.update(10, 10);
    bar.done();
    expect(err).toEqual([
      `\r[${'.'.repeat(30)}] 0/10 buckets`,
      `\r[${'#'.repeat(9)}${'.'.repeat(21)}] 3/10 buckets`,
      `\r[${'#'.repeat(30)}] 10/10 buckets`,
      CLEAR,
    ]);
    expect(out).toEqual([]);
  });

  it('rounds the filled part and names its own noun', () => {
    const { io, err } = fakeIo({ stderrTty: true });
    const bar = progressBar(io, 'events');
    bar.update(1, 3);
    bar.update(2, 3);
    expect(err).toEqual([
      `\r[${'#'.repeat(10)}${'.'.repeat(20)}] 1/3 events`,
      `\r[${'#'.repeat(20)}${'.'.repeat(10)}] 2/3 events`,
    ]);
  });

  it('draws nothing when stderr is not a terminal, and done() then clears nothing', () => {
    const { io, out, err } = fakeIo({ stderrTty: false });
    const bar = progressBar(io);
    bar.update(1, 2);
    bar.done();
    expect(err).toEqual([]);
    expect(out).toEqual([]);
  });

  it('draws nothing for zero buckets, and clears only once after drawing', () => {
    const { io, err } = fakeIo({ stderrTty: true });
    const bar = progressBar(io);
    bar.update(0, 0);
    bar.done();
    expect(err).toEqual([]);
    bar.update(1, 1);
    bar.done();
    bar.done();
    expect(err).toEqual([`\r[${'#'.repeat(30)}] 1/1 buckets`, CLEAR]);
  });
});
