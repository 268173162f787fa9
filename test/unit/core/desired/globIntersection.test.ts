import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonBucketName } from '../../../../lib/core/desired/globIntersection.js';
import { matchGlob } from '../../../../lib/core/desired/globMatch.js';
import { bucketNameProblems } from '../../../../lib/core/inventory/bucketArn.js';

/** Shortest first, then code-unit order: the order the search promises its witness in. */
const shortlexAtMost = (a: string, b: string) => a.length < b.length || (a.length === b.length && a <= b);

describe('commonBucketName()', () => {
  it.each([
    [['*-prod'], ['photos-*'], 'photos-prod'],
    [['logs-*'], ['*-web'], 'logs-web'],
    [['*'], ['*'], '0-0'],
    [['web-[0-9]'], ['web-?'], 'web-0'],
    [['web-[!0-9]'], ['web-?'], 'web-a'],
    [['a*'], ['*b', 'c*'], 'a-b'],
    [['photos'], ['photo?'], 'photos'],
    [['[0-9]*[0-9]'], ['*.*.*.*'], '0.-.-.0'],
    [['*a*b*c*'], ['*c*b*a*'], 'abcba'],
  ])('finds the first name %j and %j both match: %s', (left, right, name) => {
    expect(commonBucketName(left, right)).toEqual({ kind: 'found', name });
  });

  it.each([
    [['logs-*'], ['web-*']],
    [['*-prod'], ['*-dev']],
    [['web-?'], ['web-??']],
    [['web-[a-c]'], ['web-[d-f]']],
    [['web-[!a]'], ['web-a']],
    // Common names exist, but none is a valid bucket name.
    [['xn--*'], ['*']],
    [['*-s3alias'], ['*']],
    [['*.'], ['*']],
    [['a.*'], ['*.']],
    [['a*'], ['ab']],
  ])('proves %j and %j share no valid bucket name', (left, right) => {
    expect(commonBucketName(left, right)).toEqual({ kind: 'none' });
  });

  it('skips excluded names and finds the next', () => {
    expect(commonBucketName(['photos'], ['photo?'], { exclude: ['photos'] })).toEqual({ kind: 'none' });
    expect(commonBucketName(['web-?'], ['web-*'], { exclude: ['web-0', 'web-1'] })).toEqual({
      kind: 'found',
      name: 'web-2',
    });
  });

  it('stops at its state budget and says it could not decide', () => {
    expect(commonBucketName(['*a????????'], ['*b????????'], { maxStates: 500 })).toEqual({
      kind: 'undecided',
    });
  });

  it('finds a valid name matched by both lists, no later than any other common name', () => {
    fc.assert(
      fc.property(arbName(), arbEdits(), arbEdits(), (name, leftEdits, rightEdits) => {
        const left = globFrom(name, leftEdits);
        const right = globFrom(name, rightEdits);
        const found = commonBucketName([left], [right]);
        expect(found.kind, `${left} / ${right}`).toBe('found');
        if (found.kind !== 'found') return;
        expect(matchGlob(left, found.name)).toBe(true);
        expect(matchGlob(right, found.name)).toBe(true);
        expect(bucketNameProblems(found.name)).toEqual([]);
        expect(shortlexAtMost(found.name, name), `${found.name} after ${name}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('answers none only when no name of a sample matches both', () => {
    fc.assert(
      fc.property(arbName(), arbName(), arbEdits(), arbEdits(), (a, b, leftEdits, rightEdits) => {
        const left = globFrom(a, leftEdits);
        const right = globFrom(b, rightEdits);
        const found = commonBucketName([left], [right]);
        for (const candidate of [a, b]) {
          if (matchGlob(left, candidate) && matchGlob(right, candidate)) expect(found.kind).toBe('found');
        }
        if (found.kind === 'found') {
          expect(matchGlob(left, found.name) && matchGlob(right, found.name)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** Valid bucket names over a small alphabet, so that two random globs often meet. */
function arbName(): fc.Arbitrary<string> {
  return fc
    .stringMatching(/^[ab1][ab1.-]{1,10}[ab1]$/)
    .filter((name) => bucketNameProblems(name).length === 0);
}

type Edit = { at: number; kind: 'star' | 'any' | 'class' | 'negated' | 'drop' };

function arbEdits(): fc.Arbitrary<Edit[]> {
  return fc.array(
    fc.record({
      at: fc.nat(12),
      kind: fc.constantFrom(
        'star' as const,
        'any' as const,
        'class' as const,
        'negated' as const,
        'drop' as const,
      ),
    }),
    { maxLength: 4 },
  );
}

/**
 * A glob that still matches `name`: some characters become `?`, a class holding them, a negated class of
 * another character, or a `*` in place of a run ('drop' turns a character into `*`).
 */
function globFrom(name: string, edits: readonly Edit[]): string {
  const parts: string[] = [...name];
  for (const { at, kind } of edits) {
    const index = at % parts.length;
    const character = name[index]!;
    if (kind === 'star' || kind === 'drop') parts[index] = '*';
    else if (kind === 'any') parts[index] = '?';
    else if (kind === 'class') parts[index] = `[${character}z]`;
    else parts[index] = `[!${character === 'q' ? 'r' : 'q'}]`;
  }
  return parts.join('').replace(/\*+/g, '*');
}
