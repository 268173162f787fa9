import { formatIssue } from '../inventory/validateConfiguration.js';
import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { isRecord } from '../json/isRecord.js';
import { checkTableItems } from './checkTableItems.js';
import { isTemplateItem, TEMPLATES_PARTITION } from './desiredTableLayout.js';
import type { PathIssue } from './types.js';

/** A `#templates` item refused when read: nothing is applied from it. */
export interface TemplateRefusal {
  /** The item's `id` (the template's name, as the Contract fixes it); `(no id)` when it has none. */
  id: string;
  /** Every issue, `path: reason` each, `; ` between (the path names the field inside the item). */
  reason: string;
  issues: PathIssue[];
}

/**
 * Where the service keeps the templates' status (refusals), alerts about them and records their audit
 * events: the templates' partition name, which no bucket can have (`#` is not allowed in a bucket name).
 */
export const TEMPLATES_STATUS_SUBJECT = TEMPLATES_PARTITION;

/**
 * The template items of `items` (any items: those outside the `#templates` partition are passed over) that
 * are refused, with why: the checks of `s3ir validate` (lib/core/desired/checkTableItems: an invalid template
 * or configuration, a bad glob or matcher, bad match.accounts/regions, a name that is not the item's id, bad
 * defaults). Sorted by id. Pure.
 */
export function templateRefusals(items: readonly unknown[]): TemplateRefusal[] {
  const templates = items.filter((item) => isRecord(item) && isTemplateItem(item));
  const byIndex = new Map<number, PathIssue[]>();
  for (const { index, path, message } of checkTableItems(templates)) {
    const issues = byIndex.get(index) ?? [];
    issues.push({ path, message });
    byIndex.set(index, issues);
  }
  return [...byIndex.entries()]
    .map(([index, issues]) => {
      const item = templates[index] as Record<string, unknown>;
      return {
        id: typeof item.id === 'string' ? item.id : '(no id)',
        reason: issues.map(formatIssue).join('; '),
        issues,
      };
    })
    .sort((a, b) => compareCodeUnits(a.id, b.id));
}

/** The template items of `items` that are not refused (what the scheduler and the worker may apply). */
export function acceptedTemplateItems<T>(items: readonly T[]): T[] {
  const refused = new Set(templateRefusals(items).map((refusal) => refusal.id));
  return items.filter(
    (item) => isRecord(item) && isTemplateItem(item) && typeof item.id === 'string' && !refused.has(item.id),
  );
}

/** One line per refusal, naming the template and the field: `template "x" refused: template.match: …`. */
export function refusalLines(refusals: readonly TemplateRefusal[]): string[] {
  return refusals.map((refusal) => `template ${JSON.stringify(refusal.id)} refused: ${refusal.reason}`);
}
