// The zod/mini building blocks that lib/inventory's and lib/desired's schemas share. zod/mini, imported as a
// namespace, lets a bundle keep only the zod it uses: classic zod cost every Lambda 445 KiB and a third of its
// init (issue #7). Checks, issues and messages are zod 4 core's, the same as classic zod's. Keep every access to
// zod one level deep (`z.string`, never `z.core.X` at run time): esbuild would then bundle the whole namespace.

import * as z from 'zod/mini';
import {
  $ZodArray,
  type $ZodCheck,
  type $ZodLooseShape,
  $ZodObject,
  $ZodOptional,
  type $ZodRawIssue,
  $ZodRecord,
  type $ZodType,
} from 'zod/v4/core';
import { describeValue, expecting } from './messages.js';

/** Refinements that look at several members run even when a member failed, so every issue shows at once. */
export const always = { when: () => true };

/** A check that lists a string's problems and reports each as its own issue at the checked value. */
export function reportEach(problemsOf: (value: string) => string[]): $ZodCheck<string> {
  return z.superRefine((value: string, ctx) => {
    for (const message of problemsOf(value)) ctx.addIssue({ code: 'custom', message, input: value });
  });
}

/**
 * A strict object: an unknown member (a typo such as `IsEnable`) is an issue naming it, worded by
 * `unknownMessage`; anything but an object is `expected {expected}, got …`.
 */
export function strictObject<Shape extends $ZodLooseShape>(
  shape: Shape,
  expected: string,
  unknownMessage: (key: string, known: readonly string[]) => string,
) {
  const fields = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `"${key}": ${unknownMessage(key, fields)}`).join('; ')
        : expecting(expected)(issue),
  });
}

/** For `safeParse`: words only an issue the schema left unworded, so that zod's own wording never reaches a user. */
export function fallbackMessage(issue: $ZodRawIssue): string {
  return `invalid value (${issue.code}), got ${describeValue(issue.input)}`;
}

/** The members `schema` declares for the object at `path` (through optionals, arrays and records). */
export function fieldsAt(schema: $ZodType, path: readonly PropertyKey[]): string[] {
  let current: $ZodType | undefined = schema;
  for (const key of path) current = current && memberSchema(unwrapOptional(current), key);
  const object = current && unwrapOptional(current);
  return object instanceof $ZodObject ? Object.keys(object._zod.def.shape) : [];
}

function memberSchema(schema: $ZodType, key: PropertyKey): $ZodType | undefined {
  if (schema instanceof $ZodObject) return schema._zod.def.shape[String(key)];
  if (schema instanceof $ZodArray) return schema._zod.def.element;
  if (schema instanceof $ZodRecord) return schema._zod.def.valueType;
  return undefined;
}

function unwrapOptional(schema: $ZodType): $ZodType {
  return schema instanceof $ZodOptional ? schema._zod.def.innerType : schema;
}
