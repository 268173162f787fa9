import { z } from 'zod';
import { describeValue, validateConfiguration } from '../inventory/index.js';
import { isRecord } from '../json/isRecord.js';
import { unknownKeyMessage } from './fieldMessages.js';
import { type DesiredStateFile, desiredStateFileSchema } from './fileSchema.js';
import { appendSegment, formatPath, joinPath } from './paths.js';
import type { PathIssue } from './types.js';

/**
 * Every issue the file schema finds in a parsed file, worded for people: one issue per unknown member (at the
 * member, with a "did you mean"), and each inventory checked by `validateConfiguration` with its issues put under
 * the inventory's path (`buckets.photos-prod.inventories[0].Schedule.Frequency`).
 */
export function checkFileSchema(value: unknown): { file?: DesiredStateFile; issues: PathIssue[] } {
  const result = desiredStateFileSchema.safeParse(value, { error: fallbackMessage });
  if (result.success) return { file: result.data, issues: [] };
  return {
    issues: [
      ...result.error.issues.filter(isOutsideInventory).flatMap(toPathIssues),
      ...inventoryIssues(value),
    ],
  };
}

/** The inventory lists of a parsed file, by formatted path, whatever else is wrong with it. */
export function inventoryLists(value: unknown): { path: string; inventories: unknown[] }[] {
  if (!isRecord(value)) return [];
  const lists: { path: string; inventories: unknown[] }[] = [];
  if (isRecord(value.buckets)) {
    for (const [name, entry] of Object.entries(value.buckets)) {
      if (isRecord(entry) && Array.isArray(entry.inventories)) {
        lists.push({ path: formatPath(['buckets', name, 'inventories']), inventories: entry.inventories });
      }
    }
  }
  if (Array.isArray(value.templates)) {
    value.templates.forEach((template, index) => {
      if (isRecord(template) && Array.isArray(template.inventories)) {
        lists.push({
          path: formatPath(['templates', index, 'inventories']),
          inventories: template.inventories,
        });
      }
    });
  }
  return lists;
}

function inventoryIssues(value: unknown): PathIssue[] {
  return inventoryLists(value).flatMap(({ path, inventories }) =>
    inventories.flatMap((inventory, index) => {
      const result = validateConfiguration(inventory);
      if (result.ok) return [];
      const at = appendSegment(path, index);
      return result.issues.map((issue) => ({ path: joinPath(at, issue.path), message: issue.message }));
    }),
  );
}

/** Issues inside an inventory are left to `validateConfiguration`, which words them as lib/inventory does. */
function isOutsideInventory(issue: z.core.$ZodIssue): boolean {
  const { path } = issue;
  return !path.some((key, index) => key === 'inventories' && typeof path[index + 1] === 'number');
}

function toPathIssues(issue: z.core.$ZodIssue): PathIssue[] {
  if (issue.code !== 'unrecognized_keys') return [{ path: formatPath(issue.path), message: issue.message }];
  const known = fieldsAt(issue.path);
  return issue.keys.map((key) => ({
    path: formatPath([...issue.path, key]),
    message: unknownKeyMessage(key, known),
  }));
}

/** The members the file schema declares for the object at `path`. */
function fieldsAt(path: readonly PropertyKey[]): string[] {
  let schema: unknown = desiredStateFileSchema;
  for (const key of path) schema = memberSchema(unwrap(schema), key);
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function memberSchema(schema: unknown, key: PropertyKey): unknown {
  if (schema instanceof z.ZodObject) return schema.shape[String(key)];
  if (schema instanceof z.ZodArray) return schema.element;
  if (schema instanceof z.ZodRecord) return schema.valueType;
  return undefined;
}

function unwrap(schema: unknown): unknown {
  return schema instanceof z.ZodOptional ? schema.unwrap() : schema;
}

/** Only for an issue the schema left unworded, so that zod's own wording never reaches a user. */
function fallbackMessage(issue: z.core.$ZodRawIssue): string {
  return `invalid value (${issue.code}), got ${describeValue(issue.input)}`;
}
