import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketNameRules, type NameRulesState } from '../../../../lib/core/desired/bucketNameRules.js';
import { bucketNameProblems } from '../../../../lib/core/inventory/bucketArn.js';

/** Whether the automaton, read to the end and with the length rule, takes the name as valid. */
function automatonAccepts(name: string): boolean {
  let state: NameRulesState | undefined = bucketNameRules.start;
  for (const character of name) {
    state = bucketNameRules.step(state, character);
    if (state === undefined) return false;
  }
  return (
    name.length >= bucketNameRules.minLength &&
    name.length <= bucketNameRules.maxLength &&
    bucketNameRules.accepts(state)
  );
}

// Pieces that meet every rule's edge: reserved prefixes and suffixes, address-like digit groups, dots.
const PIECES = [
  'xn--',
  'sthree-',
  'amzn-s3-demo-',
  '-s3alias',
  '--ol-s3',
  '.mrap',
  '--x-s3',
  '--table-s3',
  'xn-',
  's3alias',
  '.',
  '..',
  '-',
  '1',
  '12',
  '123',
  '1234',
  'a',
  'z9',
  'A',
  '_',
];

describe('bucketNameRules', () => {
  it.each([
    ['photos-prod', true],
    ['ab', false],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['-photos', false],
    ['photos.', false],
    ['pho..tos', false],
    ['pho.-tos', true],
    ['192.168.5.4', false],
    ['192.168.5.4a', true],
    ['1.2.3', true],
    ['1.2.3.4.5', true],
    ['1234.1.1.1', true],
    ['xn--photos', false],
    ['xn-photos', true],
    ['sthree-x', false],
    ['amzn-s3-demo-bucket', false],
    ['photos-s3alias', false],
    ['photos--ol-s3', false],
    ['photos.mrap', false],
    ['photos--x-s3', false],
    ['photos--table-s3', false],
    ['photos-s3aliasx', true],
    ['Photos', false],
    ['pho_tos', false],
  ])('takes %s as %s, as bucketNameProblems does', (name, valid) => {
    expect(automatonAccepts(name)).toBe(valid);
    expect(bucketNameProblems(name).length === 0).toBe(valid);
  });

  it('agrees with bucketNameProblems on every name built from the rules’ edge pieces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.stringMatching(/^[a-z0-9.-]{1,6}$/)), {
          minLength: 1,
          maxLength: 12,
        }),
        (pieces) => {
          const name = pieces.join('');
          expect(automatonAccepts(name), name).toBe(bucketNameProblems(name).length === 0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives equal keys to equal states only', () => {
    const stateAfter = (text: string) =>
      [...text].reduce<NameRulesState | undefined>(
        (state, character) => state && bucketNameRules.step(state, character),
        bucketNameRules.start,
      )!;
    expect(bucketNameRules.key(stateAfter('photos-a'))).toBe(bucketNameRules.key(stateAfter('logs-a')));
    expect(bucketNameRules.key(stateAfter('photos-s'))).not.toBe(bucketNameRules.key(stateAfter('photos-a')));
    expect(bucketNameRules.key(stateAfter('1.2'))).not.toBe(bucketNameRules.key(stateAfter('1-2')));
  });
});
