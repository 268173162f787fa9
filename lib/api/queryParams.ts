import { BadParameterError } from './errors.js';
import type { QueryParams } from './types.js';

/** Longest value any parameter may have: bucket names are at most 255, tokens a few hundred characters. */
const MAX_VALUE_LENGTH = 2048;

/**
 * Refuses a parameter this route does not know, so a typo (`buket=photos`) is an error instead of a
 * silently wider answer.
 */
export function rejectUnknown(query: QueryParams, known: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if (!known.includes(name)) {
      const expected = known.length === 0 ? 'this route takes none' : `expected ${known.join(', ')}`;
      throw new BadParameterError(name, `unknown parameter; ${expected}`);
    }
  }
}

/** Every value of a repeatable parameter (none when absent); each must be non-empty. */
export function many(query: QueryParams, name: string): string[] {
  const values = query[name] ?? [];
  for (const value of values) checkValue(name, value);
  return [...values];
}

/** The value of a parameter that may appear once; undefined when absent. */
export function single(query: QueryParams, name: string): string | undefined {
  const values = query[name];
  if (values === undefined || values.length === 0) return undefined;
  if (values.length > 1) throw new BadParameterError(name, `given ${values.length} times; give it once`);
  const [value] = values as [string];
  checkValue(name, value);
  return value;
}

function checkValue(name: string, value: string): void {
  if (value === '') throw new BadParameterError(name, 'empty; give a value or leave the parameter out');
  if (value.length > MAX_VALUE_LENGTH)
    throw new BadParameterError(name, `longer than ${MAX_VALUE_LENGTH} characters`);
}

/** Multi-value query parameters from a query string (`a=1&a=2&b=x`), as browsers and API Gateway encode them. */
export function parseQueryString(text: string): QueryParams {
  const query: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) query[name] = [...(query[name] ?? []), value];
  return query;
}
