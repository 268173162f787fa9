import { isRecord } from '../json/isRecord.js';
import { inventoryLists } from './fileIssues.js';
import { appendSegment, formatPath } from './paths.js';
import type { PathIssue } from './types.js';

/** How a message names another place in the file: its path, and its line when known. */
export type DescribePlace = (path: string) => string;

/**
 * Rules across list members that a schema cannot state: inventory Ids unique within each bucket entry and each
 * template (S3 keys configurations by Id), template names unique in the file. Each issue is at the repeat and
 * names the first occurrence.
 */
export function duplicateIssues(value: unknown, describePlace: DescribePlace = (path) => path): PathIssue[] {
  const issues: PathIssue[] = [];
  for (const { path, inventories } of inventoryLists(value)) {
    const first = new Map<string, string>();
    inventories.forEach((inventory, index) => {
      const id = isRecord(inventory) ? inventory.Id : undefined;
      if (typeof id !== 'string') return;
      const at = appendSegment(path, index);
      const earlier = first.get(id);
      if (earlier === undefined) first.set(id, at);
      else
        issues.push({
          path: appendSegment(at, 'Id'),
          message: `duplicate Id ${JSON.stringify(id)}: also at ${describePlace(earlier)}; Ids must be unique in one list`,
        });
    });
  }
  const templates = isRecord(value) && Array.isArray(value.templates) ? value.templates : [];
  const firstTemplate = new Map<string, string>();
  templates.forEach((template, index) => {
    const name = isRecord(template) ? template.name : undefined;
    if (typeof name !== 'string') return;
    const at = formatPath(['templates', index]);
    const earlier = firstTemplate.get(name);
    if (earlier === undefined) firstTemplate.set(name, at);
    else
      issues.push({
        path: appendSegment(at, 'name'),
        message: `duplicate template name ${JSON.stringify(name)}: also at ${describePlace(earlier)}`,
      });
  });
  return issues;
}
