import { isRecord } from '../../json/isRecord.js';
import { toArray } from '../policyValues.js';
import { anyOf, type Match, negate } from './match.js';
import { matchesPattern } from './patterns.js';

/**
 * Evaluates an element that IAM lets a statement give in a positive or a negated form (Action/NotAction, …).
 * Exactly one of the two must be present; a statement with neither or both is malformed, hence `'unknown'`.
 */
export function elementMatches(
  statement: Record<string, unknown>,
  positive: string,
  negated: string,
  matches: (value: unknown) => Match,
): Match {
  const hasPositive = statement[positive] !== undefined;
  const hasNegated = statement[negated] !== undefined;
  if (hasPositive === hasNegated) return 'unknown';
  return hasPositive ? matches(statement[positive]) : negate(matches(statement[negated]));
}

/** Whether a Principal value names the given service: `"*"`, `{"AWS": "*"}` or `{"Service": …}`. */
export function principalMatches(principal: unknown, service: string): Match {
  if (principal === '*') return true;
  if (!isRecord(principal)) return 'unknown';
  return anyOf(
    Object.entries(principal).flatMap(([type, values]) =>
      toArray(values).map((value): Match => {
        if (typeof value !== 'string') return 'unknown';
        if (type === 'AWS') return value === '*';
        // IAM lower-cases service principal names.
        if (type === 'Service') return value.toLowerCase() === service;
        return false;
      }),
    ),
  );
}

/** Whether an Action value covers the action: case-insensitive, with `*` and `?`. */
export function actionMatches(actions: unknown, action: string): Match {
  return anyOf(
    toArray(actions).map((pattern) =>
      typeof pattern === 'string'
        ? matchesPattern(pattern, action, { wildcards: true, ignoreCase: true })
        : 'unknown',
    ),
  );
}

/**
 * Whether a Resource value covers the resource: case-sensitive, with `*`, `?` and policy variables.
 * An unknown resource (a key policy evaluated without the key ARN) is surely covered only by `*`.
 */
export function resourceMatches(
  resources: unknown,
  resource: string | undefined,
  variables: ReadonlyMap<string, string> | undefined,
): Match {
  return anyOf(
    toArray(resources).map((pattern): Match => {
      if (typeof pattern !== 'string') return 'unknown';
      if (resource === undefined) return /^\*+$/.test(pattern) ? true : 'unknown';
      return matchesPattern(pattern, resource, { wildcards: true, ignoreCase: false, variables });
    }),
  );
}
