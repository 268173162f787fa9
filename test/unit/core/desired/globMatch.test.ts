import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidGlobError } from '../../../../lib/core/desired/errors.js';
import { compileGlob, globProblems, matchGlob } from '../../../../lib/core/desired/globMatch.js';
import { arbBucketName } from '../../../helpers/inventoryArbitraries.js';

describe('matchGlob()', () => {
  it.each([
    ['*-prod', 'photos-prod', true],
    ['*-prod', 'photos-prod-eu', false],
    ['logs-*', 'logs-', true],
    ['logs-*', 'xlogs-web', false],
    ['*', 'anything.at.all', true],
    ['web-?', 'web-1', true],
    ['web-?', 'web-12', false],
    ['web-[abc]', 'web-b', true],
    ['web-[abc]', 'web-d', false],
    ['web-[a-c]', 'web-c', true],
    ['web-[!a-c]', 'web-c', false],
    ['web-[!a-c]', 'web-x', true],
    ['web-[-.]', 'web-.', true],
    ['web-[-.]', 'web-a', false],
    ['web.prod', 'web.prod', true],
    ['web.prod', 'webxprod', false],
    ['a*b*c', 'a-b-c', true],
    ['a*b*c', 'a-c', false],
  ])('%s against %s is %s', (glob, name, expected) => {
    expect(matchGlob(glob, name)).toBe(expected);
  });

  it('matches every bucket name with the name itself and with "*"', () => {
    fc.assert(
      fc.property(arbBucketName(), (name) => {
        expect(globProblems(name)).toEqual([]);
        expect(matchGlob(name, name)).toBe(true);
        expect(matchGlob('*', name)).toBe(true);
        expect(matchGlob(`${name.slice(0, 1)}*`, name)).toBe(true);
      }),
    );
  });

  it('throws InvalidGlobError for a glob it refuses', () => {
    expect(() => matchGlob('logs-[', 'logs-a')).toThrow(InvalidGlobError);
  });
});

describe('compileGlob()', () => {
  it('compiles an anchored pattern', () => {
    expect(compileGlob('logs-[!x]?*').source).toBe('^logs-[^x]..*$');
  });

  it('names every problem of the glob in the error', () => {
    const error = (() => {
      try {
        compileGlob('A**[');
      } catch (caught) {
        return caught;
      }
    })() as InvalidGlobError;
    expect(error).toBeInstanceOf(InvalidGlobError);
    expect(error.name).toBe('InvalidGlobError');
    expect(error.glob).toBe('A**[');
    expect(error.problems).toHaveLength(3);
    expect(error.message).toBe(`invalid bucket name glob "A**[": ${error.problems.join('; ')}`);
  });
});

describe('globProblems()', () => {
  it('reports every problem at once', () => {
    expect(globProblems('Logs_**[')).toEqual([
      '"L" at character 1 cannot be in a bucket name (bucket names are lowercase)',
      '"_" at character 5 cannot be in a bucket name (use "-")',
      '"**" at character 6: use a single "*", which already matches any run of characters',
      'unbalanced "[" at character 8: no closing "]"',
    ]);
  });

  it('accepts the longest glob that can match', () => {
    expect(globProblems('a'.repeat(63))).toEqual([]);
    expect(globProblems(`${'a'.repeat(63)}*`)).toEqual([]);
  });
});
