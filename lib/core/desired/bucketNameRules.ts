import { MAX_BUCKET_NAME_LENGTH } from './constants.js';

/** The shortest general purpose bucket name. */
export const MIN_BUCKET_NAME_LENGTH = 3;

// AWS reserves these (lib/inventory's bucketNameProblems refuses them too; a unit test checks that the
// automaton below and bucketNameProblems agree on every rule).
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];
const ADDRESS_GROUPS = 4;
const ADDRESS_DIGITS = 3;

/** Where a name read so far stands against the naming rules, as one state of an automaton. */
export interface NameRulesState {
  /** The kind of the last character: a name starts and ends with a letter or digit, and has no "..". */
  last: 'none' | 'alnum' | 'dot' | 'dash';
  /** Still shaped like the start of an IPv4 address: [dot-separated group, digits in it]. */
  address?: readonly [number, number];
  /** The name so far, while it is still the start of a reserved prefix. */
  head?: string;
  /** The longest end of the name so far that begins a reserved suffix. */
  tail: string;
}

/**
 * lib/inventory's bucket naming rules (`bucketNameProblems`) as a deterministic automaton read one
 * character at a time, so that a search over the names a glob matches (`globIntersection`) can keep to
 * valid names: 3 to 63 characters of `a-z0-9.-`, a letter or digit first and last, no "..", not an IPv4
 * address, no reserved prefix or suffix. Length is left to the caller, who counts characters anyway.
 */
export const bucketNameRules = {
  start: { last: 'none', address: [0, 0], head: '', tail: '' } as NameRulesState,

  /** The state after one more character; `undefined` once no continuation can be a valid name. */
  step(state: NameRulesState, character: string): NameRulesState | undefined {
    if (!/^[a-z0-9.-]$/.test(character)) return undefined;
    const kind = /^[a-z0-9]$/.test(character) ? 'alnum' : character === '.' ? 'dot' : 'dash';
    if (state.last === 'none' && kind !== 'alnum') return undefined;
    if (state.last === 'dot' && kind === 'dot') return undefined;
    const head = state.head === undefined ? undefined : `${state.head}${character}`;
    const startsReserved = head !== undefined && RESERVED_PREFIXES.some((prefix) => prefix.startsWith(head));
    if (head !== undefined && RESERVED_PREFIXES.includes(head)) return undefined;
    const next: NameRulesState = { last: kind, tail: reservedTail(`${state.tail}${character}`) };
    const address = nextAddress(state.address, character);
    if (address !== undefined) next.address = address;
    if (startsReserved) next.head = head;
    return next;
  },

  /** Whether a name that ends in this state is valid (its length checked by the caller). */
  accepts(state: NameRulesState): boolean {
    const [group, digits] = state.address ?? [0, 0];
    const isAddress = state.address !== undefined && group === ADDRESS_GROUPS - 1 && digits > 0;
    return (
      state.last === 'alnum' && !isAddress && !RESERVED_SUFFIXES.some((suffix) => state.tail.endsWith(suffix))
    );
  },

  /** A string that identifies the state (equal states, equal keys). */
  key(state: NameRulesState): string {
    return `${state.last}|${state.address?.join('.') ?? '~'}|${state.head ?? '~'}|${state.tail}`;
  },

  maxLength: MAX_BUCKET_NAME_LENGTH,
  minLength: MIN_BUCKET_NAME_LENGTH,
};

/** `\d{1,3}(\.\d{1,3}){3}` read one character at a time; `undefined` once the name cannot be one. */
function nextAddress(
  address: readonly [number, number] | undefined,
  character: string,
): readonly [number, number] | undefined {
  if (address === undefined) return undefined;
  const [group, digits] = address;
  if (/^[0-9]$/.test(character)) return digits < ADDRESS_DIGITS ? [group, digits + 1] : undefined;
  if (character === '.' && digits > 0 && group < ADDRESS_GROUPS - 1) return [group + 1, 0];
  return undefined;
}

/**
 * The longest end of `text` that begins some reserved suffix. The name ends with a reserved suffix exactly
 * when this end does (as in Aho-Corasick: any such suffix is an end of the name that begins a suffix).
 */
function reservedTail(text: string): string {
  let tail = text;
  while (tail !== '' && !RESERVED_SUFFIXES.some((suffix) => suffix.startsWith(tail))) tail = tail.slice(1);
  return tail;
}
