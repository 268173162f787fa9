import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  fallbackMessage,
  fieldsAt,
  reportEach,
  strictObject,
} from '../../../../lib/core/inventory/schemaParts.js';

const issuesOf = (result: { error?: { issues: readonly { path: PropertyKey[]; message: string }[] } }) =>
  result.error?.issues.map(({ path, message }) => ({ path, message }));

describe('reportEach()', () => {
  it('reports every problem the check lists as its own issue, and none for a clean value', () => {
    const schema = z.string().check(reportEach((value) => (value === 'ok' ? [] : ['too short', 'not ok'])));

    expect(issuesOf(schema.safeParse('no'))).toEqual([
      { path: [], message: 'too short' },
      { path: [], message: 'not ok' },
    ]);
    expect(schema.safeParse('ok').success).toBe(true);
  });
});

describe('strictObject()', () => {
  const schema = strictObject(
    { Name: z.optional(z.string()) },
    'a thing object',
    (key, known) => `unknown; known: ${known.join(', ')} (${key})`,
  );

  it('names every unknown member with the given wording', () => {
    expect(issuesOf(schema.safeParse({ Nmae: 'a', Other: 1 }))).toEqual([
      {
        path: [],
        message: '"Nmae": unknown; known: Name (Nmae); "Other": unknown; known: Name (Other)',
      },
    ]);
  });

  it('says what was expected for anything but an object', () => {
    expect(issuesOf(schema.safeParse(['a']))).toEqual([
      { path: [], message: 'expected a thing object, got an array' },
    ]);
    expect(issuesOf(schema.safeParse(undefined))).toEqual([
      { path: [], message: 'required: expected a thing object' },
    ]);
  });
});

describe('fallbackMessage()', () => {
  it("words an issue the schema left unworded, never with zod's own text", () => {
    const result = z.string().safeParse(42, { error: fallbackMessage });

    expect(issuesOf(result)).toEqual([{ path: [], message: 'invalid value (invalid_type), got 42' }]);
  });
});

describe('fieldsAt()', () => {
  const leaf = z.strictObject({ a: z.string(), b: z.optional(z.string()) });
  const root = z.strictObject({
    one: z.optional(leaf),
    list: z.array(leaf),
    byName: z.optional(z.record(z.string(), leaf)),
    scalar: z.string(),
  });

  it('lists the members of the object at a path through optionals, arrays and records', () => {
    expect(fieldsAt(root, [])).toEqual(['one', 'list', 'byName', 'scalar']);
    expect(fieldsAt(root, ['one'])).toEqual(['a', 'b']);
    expect(fieldsAt(root, ['list', 3])).toEqual(['a', 'b']);
    expect(fieldsAt(root, ['byName', 'photos'])).toEqual(['a', 'b']);
  });

  it('lists nothing where the path leads to no object', () => {
    expect(fieldsAt(root, ['scalar'])).toEqual([]);
    expect(fieldsAt(root, ['missing'])).toEqual([]);
    expect(fieldsAt(root, ['scalar', 'deeper'])).toEqual([]);
  });
});
