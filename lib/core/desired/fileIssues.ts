import type * as z from 'zod/mini';
import { fallbackMessage, fieldsAt } from '../inventory/schemaParts.js';
import { validateConfiguration } from '../inventory/validateConfiguration.js';
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
  const known = fieldsAt(desiredStateFileSchema, issue.path);
  return issue.keys.map((key) => ({
    path: formatPath([...issue.path, key]),
    message: unknownKeyMessage(key, known),
  }));
}
