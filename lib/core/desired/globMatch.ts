import { describeValue } from '../inventory/messages.js';
import { MAX_BUCKET_NAME_LENGTH } from './constants.js';
import { InvalidGlobError } from './errors.js';

/** Characters a general purpose bucket name may hold. */
const BUCKET_CHARACTER = /^[a-z0-9.-]$/;

/** Every character a general purpose bucket name may hold, in code-unit order. */
export const BUCKET_NAME_ALPHABET = '-.0123456789abcdefghijklmnopqrstuvwxyz';

type GlobToken =
  | { kind: 'literal'; character: string }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'class'; negated: boolean; members: string };

interface ParsedGlob {
  tokens: GlobToken[];
  problems: string[];
}

/**
 * Why a bucket-name glob is refused, one reason per problem; empty when it is fine. A glob is built from bucket
 * name characters (`a-z`, `0-9`, `.`, `-`) and `*` (any run of characters), `?` (one character), `[abc]`,
 * `[a-z]` and `[!a]` (one character in, or not in, the class). Anything else is refused with the reason, so that
 * a glob which could never match, or would match by accident, is caught when the file is checked.
 * @example globProblems('logs-[') // ['unbalanced "[" at character 6: no closing "]"']
 */
export function globProblems(glob: string): string[] {
  return parseGlob(glob).problems;
}

/** Compiles a glob into an anchored RegExp. Throws {@link InvalidGlobError} when `globProblems` is not empty. */
export function compileGlob(glob: string): RegExp {
  const { tokens, problems } = parseGlob(glob);
  if (problems.length > 0) throw new InvalidGlobError(glob, problems);
  return new RegExp(`^${tokens.map(tokenSource).join('')}$`);
}

/**
 * A valid glob as a sequence of steps, for code that reasons about the names a glob matches rather than
 * testing one (see `globIntersection`): `'*'` for any run of characters, else the set of bucket name
 * characters that one character may be. Throws {@link InvalidGlobError} when `globProblems` is not empty.
 * @example globSteps('a?') // [Set {'a'}, Set {'-', '.', '0', …, 'z'}]
 */
export function globSteps(glob: string): Array<'*' | ReadonlySet<string>> {
  const { tokens, problems } = parseGlob(glob);
  if (problems.length > 0) throw new InvalidGlobError(glob, problems);
  return tokens.map((token) => {
    if (token.kind === 'star') return '*';
    const one = new RegExp(`^${tokenSource(token)}$`);
    return new Set([...BUCKET_NAME_ALPHABET].filter((character) => one.test(character)));
  });
}

const compiled = new Map<string, RegExp>();

/**
 * Whether a bucket name matches a glob (the whole name, case-sensitive).
 * @example matchGlob('*-prod', 'photos-prod') // true
 */
export function matchGlob(glob: string, name: string): boolean {
  let pattern = compiled.get(glob);
  if (pattern === undefined) {
    pattern = compileGlob(glob);
    compiled.set(glob, pattern);
  }
  return pattern.test(name);
}

function parseGlob(glob: string): ParsedGlob {
  if (glob.length === 0)
    return { tokens: [], problems: ['expected a glob of at least one character, got ""'] };
  const tokens: GlobToken[] = [];
  const problems: string[] = [];
  let index = 0;
  while (index < glob.length) {
    const character = glob[index]!;
    const at = `at character ${index + 1}`;
    if (character === '*') {
      if (glob[index + 1] === '*') {
        problems.push(`"**" ${at}: use a single "*", which already matches any run of characters`);
        while (glob[index + 1] === '*') index++;
      }
      tokens.push({ kind: 'star' });
    } else if (character === '?') {
      tokens.push({ kind: 'any' });
    } else if (character === '[') {
      const parsed = parseClass(glob, index);
      problems.push(...parsed.problems);
      if (parsed.token !== undefined) tokens.push(parsed.token);
      index = parsed.end;
    } else if (character === ']') {
      problems.push(`unbalanced "]" ${at}: no "[" opens it`);
    } else if (BUCKET_CHARACTER.test(character)) {
      tokens.push({ kind: 'literal', character });
    } else {
      problems.push(
        `${describeValue(character)} ${at} cannot be in a bucket name${characterHint(character)}`,
      );
    }
    index++;
  }
  const shortest = tokens.filter((token) => token.kind !== 'star').length;
  if (shortest > MAX_BUCKET_NAME_LENGTH) {
    problems.push(
      `can never match: it needs at least ${shortest} characters and bucket names have at most ${MAX_BUCKET_NAME_LENGTH}`,
    );
  }
  return { tokens, problems };
}

/** Parses `[...]` starting at `start`; `end` is the index of the closing `]` (or the last character). */
function parseClass(glob: string, start: number): { token?: GlobToken; problems: string[]; end: number } {
  const at = `at character ${start + 1}`;
  const close = glob.indexOf(']', start + 1);
  const nested = glob.indexOf('[', start + 1);
  if (close === -1) return { problems: [`unbalanced "[" ${at}: no closing "]"`], end: glob.length - 1 };
  if (nested !== -1 && nested < close) {
    return { problems: [`"[" inside the class opened ${at}: classes cannot nest`], end: close };
  }
  const negated = glob[start + 1] === '!';
  const body = glob.slice(start + (negated ? 2 : 1), close);
  const written = glob.slice(start, close + 1);
  if (body.length === 0) {
    return {
      problems: [`empty character class "${written}" ${at}: list at least one character`],
      end: close,
    };
  }
  const problems: string[] = [];
  let members = '';
  for (let index = 0; index < body.length; index++) {
    const low = body[index]!;
    if (!BUCKET_CHARACTER.test(low)) {
      problems.push(
        `${describeValue(low)} in the class "${written}" ${at} cannot be in a bucket name${characterHint(low)}`,
      );
      continue;
    }
    const high = body[index + 2];
    if (body[index + 1] === '-' && high !== undefined) {
      if (!BUCKET_CHARACTER.test(high)) {
        problems.push(
          `${describeValue(high)} in the class "${written}" ${at} cannot be in a bucket name${characterHint(high)}`,
        );
      } else if (high < low) {
        problems.push(
          `reversed range "${low}-${high}" in the class "${written}" ${at}: write "${high}-${low}"`,
        );
      } else {
        members += `${escapeInClass(low)}-${escapeInClass(high)}`;
      }
      index += 2;
    } else {
      members += escapeInClass(low);
    }
  }
  return { token: { kind: 'class', negated, members }, problems, end: close };
}

function characterHint(character: string): string {
  if (/^[A-Z]$/.test(character)) return ' (bucket names are lowercase)';
  if (character === '_') return ' (use "-")';
  return ' (only a-z, 0-9, "." and "-", with the wildcards *, ? and [...])';
}

function escapeInClass(character: string): string {
  return character === '-' || character === '.' ? `\\${character}` : character;
}

function tokenSource(token: GlobToken): string {
  switch (token.kind) {
    case 'literal':
      return token.character === '.' ? '\\.' : token.character;
    case 'any':
      return '.';
    case 'star':
      return '.*';
    case 'class':
      return `[${token.negated ? '^' : ''}${token.members}]`;
  }
}
