import type * as z from 'zod/mini';

const MAX_SHOWN_CHARACTERS = 80;

/** A value as a message shows it: scalars as JSON (long strings shortened), objects and arrays by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN_CHARACTERS ? `${value.slice(0, MAX_SHOWN_CHARACTERS)}…` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

/** `expected X, got Y`, or `required: expected X` when the member is missing. */
export function expectedMessage(expected: string, got: unknown): string {
  return got === undefined
    ? `required: expected ${expected}`
    : `expected ${expected}, got ${describeValue(got)}`;
}

/** A zod error callback that words type errors as {@link expectedMessage}. */
export function expecting(expected: string): (issue: z.core.$ZodRawIssue) => string {
  return (issue) => expectedMessage(expected, issue.input);
}

/** `A | B | C`, the way enum messages list the allowed values. */
export function oneOf(values: readonly string[]): string {
  return values.join(' | ');
}

/** The reason for one unknown member, with a "did you mean" when a known member is close (a typo). */
export function unknownFieldMessage(field: string, known: readonly string[]): string {
  if (known.length === 0) return 'unknown field; expected an empty object {}';
  const guess = closestField(field, known);
  if (guess !== undefined) return `unknown field; did you mean "${guess}"?`;
  return known.length === 1
    ? `unknown field; expected only ${known[0]}`
    : `unknown field; expected one of ${known.join(', ')}`;
}

function closestField(field: string, known: readonly string[]): string | undefined {
  const lower = field.toLowerCase();
  const sameLetters = known.find((name) => name.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  const allowed = Math.min(2, Math.floor(field.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein distance; the strings are field names, so the quadratic table is tiny. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
