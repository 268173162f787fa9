import { compareCodeUnits } from '../lib/core/json/compareCodeUnits.js';

/** One line of one side: its 1-based number in that document and whether the diff changed it. */
export interface DiffLine {
  number: number;
  text: string;
  changed: boolean;
}

/** One row of a side-by-side diff: a line of each side, or a gap where the other side has extra lines. */
export interface DiffRow {
  before?: DiffLine;
  after?: DiffLine;
}

export interface SideBySide {
  rows: DiffRow[];
  /** Lines of before that after does not have, and lines after adds. */
  removed: number;
  added: number;
}

type Op = { kind: 'same' | 'removed' | 'added'; text: string };

/** Above this many LCS cells the middle is shown as wholly replaced: a browser must not stall on a diff. */
const MAX_CELLS = 1_000_000;

/**
 * A document as lines of JSON with sorted keys, 2-space indent: member order means nothing (policies are
 * compared as parsed JSON), so it must not show as a change. Nor does the order of a list of strings: in
 * every document recorded (OptionalFields, a policy's Action, Resource and condition values) it is a set,
 * and S3 hands OptionalFields back in its own order. A string holding a JSON object or array (a policy as
 * GetBucketPolicy returns it) is shown parsed. Absent is no lines.
 */
export function documentLines(value: unknown): string[] {
  if (value === undefined) return [];
  return JSON.stringify(sortKeys(asDocument(value)), null, 2).split('\n');
}

function asDocument(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    const sets = value.every((member) => typeof member === 'string');
    return sets ? [...(value as string[])].sort(compareCodeUnits) : value.map(sortKeys);
  }
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => compareCodeUnits(a, b));
  return Object.fromEntries(entries.map(([key, member]) => [key, sortKeys(member)]));
}

/** The shortest edit from `a` to `b` as kept, removed and added lines (longest common subsequence). */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (lines: readonly string[]) => lines.map((text): Op => ({ kind: 'same', text }));
  return [
    ...same(a.slice(0, start)),
    ...middle(a.slice(start, endA), b.slice(start, endB)),
    ...same(a.slice(endA)),
  ];
}

function middle(a: readonly string[], b: readonly string[]): Op[] {
  const removed = (text: string): Op => ({ kind: 'removed', text });
  const added = (text: string): Op => ({ kind: 'added', text });
  if (a.length * b.length > MAX_CELLS) return [...a.map(removed), ...b.map(added)];
  // lengths[i][j]: LCS length of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] =
        a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      ops.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) ops.push(removed(a[i++]!));
    else ops.push(added(b[j++]!));
  }
  return [...ops, ...a.slice(i).map(removed), ...b.slice(j).map(added)];
}

/**
 * `before` and `after` side by side: unchanged lines on one row, and each run of changes as removed lines
 * on the left paired row by row with the added lines on the right.
 * @example sideBySide({ a: 1 }, { a: 2 }).rows[1] // { before: { text: '  "a": 1', changed: true, … }, after: … }
 */
export function sideBySide(before: unknown, after: unknown): SideBySide {
  const ops = diffLines(documentLines(before), documentLines(after));
  const rows: DiffRow[] = [];
  let left = 0;
  let right = 0;
  let removed: DiffLine[] = [];
  let added: DiffLine[] = [];
  const flush = () => {
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const row: DiffRow = {};
      if (removed[k]) row.before = removed[k];
      if (added[k]) row.after = added[k];
      rows.push(row);
    }
    removed = [];
    added = [];
  };
  for (const op of ops) {
    if (op.kind === 'same') {
      flush();
      rows.push({
        before: { number: ++left, text: op.text, changed: false },
        after: { number: ++right, text: op.text, changed: false },
      });
    } else if (op.kind === 'removed') {
      removed.push({ number: ++left, text: op.text, changed: true });
    } else {
      added.push({ number: ++right, text: op.text, changed: true });
    }
  }
  flush();
  const count = (kind: Op['kind']) => ops.filter((op) => op.kind === kind).length;
  return { rows, removed: count('removed'), added: count('added') };
}
