/** How to read a policy string that is matched against a request value. */
export interface PatternOptions {
  /** `*` and `?` are wildcards (Action, Resource, StringLike, Arn*); otherwise they are literal. */
  wildcards: boolean;
  ignoreCase: boolean;
  /**
   * Values of policy variables (`${aws:SourceAccount}`), keyed by lower-cased context key; `undefined` when the
   * policy's Version predates variables, so `${…}` is literal text.
   */
  variables?: ReadonlyMap<string, string>;
}

const ANY = Symbol('*');
const ONE = Symbol('?');
type Token = string | typeof ANY | typeof ONE;

const VARIABLE = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/;
const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

/**
 * Whether `value` matches the policy string; `'unknown'` when the string names a policy variable the request
 * does not carry and gives no default.
 */
export function matchesPattern(pattern: string, value: string, options: PatternOptions): boolean | 'unknown' {
  const tokens = tokenize(pattern, options);
  return tokens === undefined ? 'unknown' : globMatches(tokens, value, options.ignoreCase);
}

function tokenize(pattern: string, options: PatternOptions): Token[] | undefined {
  const tokens: Token[] = [];
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index]!;
    if (options.variables && char === '$' && pattern[index + 1] === '{') {
      const end = pattern.indexOf('}', index + 2);
      if (end !== -1) {
        const value = resolveVariable(pattern.slice(index + 2, end), options.variables);
        if (value === undefined) return undefined;
        tokens.push(...value);
        index = end + 1;
        continue;
      }
    }
    if (options.wildcards && char === '*') tokens.push(ANY);
    else if (options.wildcards && char === '?') tokens.push(ONE);
    else tokens.push(char);
    index += 1;
  }
  return tokens;
}

// `${*}`, `${?}` and `${$}` are IAM's escapes for literal characters; `${key, 'default'}` supplies a fallback.
function resolveVariable(body: string, variables: ReadonlyMap<string, string>): string | undefined {
  const escaped = ESCAPES[body];
  if (escaped !== undefined) return escaped;
  const parsed = VARIABLE.exec(body);
  if (!parsed) return undefined;
  return variables.get(parsed[1]!.toLowerCase()) ?? parsed[2];
}

// Iterative wildcard matching that backtracks only to the last `*`: O(pattern × value), unlike a RegExp
// built from the pattern, which someone's `*a*a*a…` could make take exponential time.
function globMatches(tokens: readonly Token[], value: string, ignoreCase: boolean): boolean {
  let t = 0;
  let v = 0;
  let starToken = -1;
  let starValue = 0;
  while (v < value.length) {
    const token = tokens[t];
    if (token === ANY) {
      starToken = t;
      starValue = v;
      t += 1;
    } else if (token !== undefined && (token === ONE || sameChar(token, value[v]!, ignoreCase))) {
      t += 1;
      v += 1;
    } else if (starToken !== -1) {
      t = starToken + 1;
      starValue += 1;
      v = starValue;
    } else {
      return false;
    }
  }
  while (tokens[t] === ANY) t += 1;
  return t === tokens.length;
}

function sameChar(expected: string, actual: string, ignoreCase: boolean): boolean {
  return expected === actual || (ignoreCase && expected.toLowerCase() === actual.toLowerCase());
}
