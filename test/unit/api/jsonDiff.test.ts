import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, documentLines, sideBySide } from '../../../viewer/jsonDiff.js';
import { makeConfiguration } from '../../helpers/factories.js';

describe('documentLines()', () => {
  it('sorts lists of strings (sets: OptionalFields, a policy’s Action), keeps the order of other lists', () => {
    expect(
      documentLines({ OptionalFields: ['Size', 'ETag'], Statement: [{ Sid: 'b' }, { Sid: 'a' }] }),
    ).toEqual([
      '{',
      '  "OptionalFields": [',
      '    "ETag",',
      '    "Size"',
      '  ],',
      '  "Statement": [',
      '    {',
      '      "Sid": "b"',
      '    },',
      '    {',
      '      "Sid": "a"',
      '    }',
      '  ]',
      '}',
    ]);
  });

  it('prints keys sorted at every depth with 2-space indent, array order kept', () => {
    expect(documentLines({ b: 1, a: { d: [2, 1], c: null } })).toEqual([
      '{',
      '  "a": {',
      '    "c": null,',
      '    "d": [',
      '      2,',
      '      1',
      '    ]',
      '  },',
      '  "b": 1',
      '}',
    ]);
  });

  it('shows a policy string as the JSON it holds, other strings as strings, absent as nothing', () => {
    expect(documentLines('{"Version":"2012-10-17"}')).toEqual(['{', '  "Version": "2012-10-17"', '}']);
    expect(documentLines('{not json')).toEqual(['"{not json"']);
    expect(documentLines('plain')).toEqual(['"plain"']);
    expect(documentLines(undefined)).toEqual([]);
  });
});

describe('diffLines()', () => {
  it('keeps the longest common subsequence and marks the rest', () => {
    expect(diffLines(['a', 'b', 'c', 'd'], ['a', 'c', 'x', 'd'])).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'd' },
    ]);
  });

  it('rebuilds both sides exactly, and keeps as many lines as the longest common subsequence', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 12 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const ops = diffLines(a, b);
        expect(ops.filter((op) => op.kind !== 'added').map((op) => op.text)).toEqual(a);
        expect(ops.filter((op) => op.kind !== 'removed').map((op) => op.text)).toEqual(b);
        if (a.join() === b.join()) expect(ops.every((op) => op.kind === 'same')).toBe(true);
      }),
    );
  });

  it('shows a middle too large to compare as wholly replaced, keeping the common ends', () => {
    const a = ['start', ...Array.from({ length: 1001 }, (_, i) => `a${i}`), 'end'];
    const b = ['start', ...Array.from({ length: 1001 }, (_, i) => `b${i}`), 'end'];
    const ops = diffLines(a, b);
    expect(ops[0]).toEqual({ kind: 'same', text: 'start' });
    expect(ops.at(-1)).toEqual({ kind: 'same', text: 'end' });
    expect(ops.filter((op) => op.kind === 'removed')).toHaveLength(1001);
    expect(ops.filter((op) => op.kind === 'added')).toHaveLength(1001);
  });
});

describe('sideBySide()', () => {
  it('pairs a changed field on one row, highlighted on both sides, the rest unchanged', () => {
    const before = makeConfiguration({ Schedule: { Frequency: 'Daily' } });
    const after = makeConfiguration({ Schedule: { Frequency: 'Weekly' } });
    const { rows, removed, added } = sideBySide(before, after);
    expect([removed, added]).toEqual([1, 1]);
    const highlighted = rows.filter((row) => row.before?.changed || row.after?.changed);
    const number = documentLines(before).indexOf('    "Frequency": "Daily"') + 1;
    expect(number).toBeGreaterThan(1);
    expect(highlighted).toEqual([
      {
        before: { number, text: '    "Frequency": "Daily"', changed: true },
        after: { number, text: '    "Frequency": "Weekly"', changed: true },
      },
    ]);
    expect(rows).toHaveLength(documentLines(before).length);
    expect(rows.every((row) => row.before?.number === row.after?.number)).toBe(true);
  });

  it('does not call a reordered object a change', () => {
    expect(sideBySide({ a: 1, b: 2 }, { b: 2, a: 1 })).toMatchObject({ removed: 0, added: 0 });
  });

  it('leaves a gap on the side that has fewer lines in a run of changes', () => {
    const { rows } = sideBySide({ Effect: 'Deny' }, { Effect: 'Allow', Sid: 'x' });
    expect(rows).toEqual([
      { before: { number: 1, text: '{', changed: false }, after: { number: 1, text: '{', changed: false } },
      {
        before: { number: 2, text: '  "Effect": "Deny"', changed: true },
        after: { number: 2, text: '  "Effect": "Allow",', changed: true },
      },
      { after: { number: 3, text: '  "Sid": "x"', changed: true } },
      { before: { number: 3, text: '}', changed: false }, after: { number: 4, text: '}', changed: false } },
    ]);
  });

  it('shows a created document as all added, with nothing before', () => {
    const { rows, removed, added } = sideBySide(undefined, { Id: 'daily' });
    expect([removed, added]).toEqual([0, 3]);
    expect(rows.map((row) => [row.before, row.after?.text])).toEqual([
      [undefined, '{'],
      [undefined, '  "Id": "daily"'],
      [undefined, '}'],
    ]);
  });
});
