/**
 * Three-valued result of matching a policy element against the request.
 * `'unknown'` marks something we cannot interpret (an unknown operator, a malformed element, an unresolvable
 * policy variable); the statement's effect decides what it means, conservatively: an Allow needs a definite
 * `true` to count, a Deny counts unless it is definitely `false`.
 */
export type Match = boolean | 'unknown';

/** OR in Kleene logic: any true wins, else any unknown, else false (an empty list is false). */
export function anyOf(results: Iterable<Match>): Match {
  let unknown = false;
  for (const result of results) {
    if (result === true) return true;
    if (result === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : false;
}

/** AND in Kleene logic: any false wins, else any unknown, else true (an empty list is true). */
export function allOf(results: Iterable<Match>): Match {
  let unknown = false;
  for (const result of results) {
    if (result === false) return false;
    if (result === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : true;
}

/** NOT in Kleene logic: unknown stays unknown. */
export function negate(result: Match): Match {
  return result === 'unknown' ? 'unknown' : !result;
}
