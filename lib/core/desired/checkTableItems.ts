import { bucketNameProblems } from '../inventory/bucketArn.js';
import { describeValue } from '../inventory/messages.js';
import { validateConfiguration } from '../inventory/validateConfiguration.js';
import { isRecord } from '../json/isRecord.js';
import { BUCKET_SETTINGS_ID, isReservedName, TEMPLATES_PARTITION } from './desiredTableLayout.js';
import { duplicateIssues } from './duplicateChecks.js';
import { checkFileSchema } from './fileIssues.js';
import { joinPath } from './paths.js';
import type { PathIssue } from './types.js';
import { ReconcileMode } from './types.js';

/** One problem with one table item: `index` into the list checked, `path` inside the item. */
export interface TableItemIssue extends PathIssue {
  index: number;
  bucket?: string;
  id?: string;
}

const MODES: readonly unknown[] = Object.values(ReconcileMode);
/** A valid bucket name under which a settings item is checked as a file's bucket entry. */
const PROBE_BUCKET = 'settings-probe';

/**
 * Why items read from the desired-state table would not be honoured as written, item by item: the checks of a
 * desired-state file, applied to items (which may be written by hand, Contract). Catches what
 * `itemsToDesiredBuckets` passes over or reads cautiously: a configuration that fails validation or whose `Id`
 * differs from the item's `id`, an invalid mode or settings, a template that is invalid or stored under another
 * name, and reserved ids or partitions it does not know.
 */
export function checkTableItems(items: readonly unknown[]): TableItemIssue[] {
  return items.flatMap((item, index) =>
    itemIssues(item).map((issue) => ({
      index,
      ...(isRecord(item) && typeof item.bucket === 'string' && { bucket: item.bucket }),
      ...(isRecord(item) && typeof item.id === 'string' && { id: item.id }),
      ...issue,
    })),
  );
}

function itemIssues(item: unknown): PathIssue[] {
  if (!isRecord(item))
    return [{ path: '', message: `expected a table item object, got ${describeValue(item)}` }];
  const { bucket, id } = item;
  const issues: PathIssue[] = [];
  if (typeof bucket !== 'string')
    issues.push({ path: 'bucket', message: expectedString('a bucket name', bucket) });
  if (typeof id !== 'string') issues.push({ path: 'id', message: expectedString('an id', id) });
  if (typeof bucket !== 'string' || typeof id !== 'string') return issues;
  if (bucket === TEMPLATES_PARTITION) return templateItemIssues(id, item);
  if (isReservedName(bucket)) {
    return [{ path: 'bucket', message: `unknown reserved partition ${JSON.stringify(bucket)}` }];
  }
  issues.push(...bucketNameProblems(bucket).map((message) => ({ path: 'bucket', message })));
  if (id === BUCKET_SETTINGS_ID) return [...issues, ...settingsItemIssues(item)];
  if (isReservedName(id))
    return [...issues, { path: 'id', message: `unknown reserved id ${JSON.stringify(id)}` }];
  return [...issues, ...configurationItemIssues(id, item)];
}

function configurationItemIssues(id: string, item: Record<string, unknown>): PathIssue[] {
  const result = validateConfiguration(item.configuration);
  const issues = result.ok
    ? []
    : result.issues.map((issue) => ({ path: joinPath('configuration', issue.path), message: issue.message }));
  const configurationId = isRecord(item.configuration) ? item.configuration.Id : undefined;
  if (typeof configurationId === 'string' && configurationId !== id) {
    issues.push({
      path: 'configuration.Id',
      message: `expected ${JSON.stringify(id)} (the item's id), got ${JSON.stringify(configurationId)}`,
    });
  }
  if (item.mode !== undefined && !MODES.includes(item.mode)) {
    issues.push({ path: 'mode', message: `expected ${MODES.join(' | ')}, got ${describeValue(item.mode)}` });
  }
  return issues;
}

function settingsItemIssues(item: Record<string, unknown>): PathIssue[] {
  // Settings are checked as a file's bucket entry (without inventories: those are items of their own), and
  // defaults as a file's defaults.
  const { inventories, ...settings } = isRecord(item.settings) ? item.settings : { inventories: undefined };
  const probe = {
    version: 1,
    buckets: { [PROBE_BUCKET]: isRecord(item.settings) ? settings : item.settings },
    defaults: item.defaults,
  };
  const issues = checkFileSchema(probe).issues.map(({ path, message }) => ({
    path: path.replace(`buckets.${PROBE_BUCKET}`, 'settings'),
    message: message.replace('prune, inventories', 'prune'),
  }));
  if (inventories !== undefined) {
    issues.push({
      path: 'settings.inventories',
      message: 'unknown field; each configuration is an item of its own',
    });
  }
  return issues;
}

function templateItemIssues(id: string, item: Record<string, unknown>): PathIssue[] {
  if (isReservedName(id)) return [{ path: 'id', message: `unknown reserved id ${JSON.stringify(id)}` }];
  const probe = { version: 1, templates: [item.template], defaults: item.defaults };
  const issues = [...checkFileSchema(probe).issues, ...duplicateIssues(probe)].map(({ path, message }) => ({
    path: path.replace(/^templates\[0\]/, 'template'),
    message,
  }));
  const name = isRecord(item.template) ? item.template.name : undefined;
  if (typeof name === 'string' && name !== id) {
    issues.push({
      path: 'template.name',
      message: `expected ${JSON.stringify(id)} (the item's id), got ${JSON.stringify(name)}`,
    });
  }
  return issues;
}

function expectedString(expected: string, got: unknown): string {
  return got === undefined
    ? `required: expected ${expected}`
    : `expected ${expected}, got ${describeValue(got)}`;
}
