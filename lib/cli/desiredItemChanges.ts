import {
  BUCKET_SETTINGS_ID,
  LEARNED_SOURCE,
  TEMPLATES_PARTITION,
} from '../core/desired/desiredTableLayout.js';
import type { DesiredTableItem } from '../core/desired/tableItems.js';
import { compareCodeUnits } from '../core/json/compareCodeUnits.js';
import { isRecord } from '../core/json/isRecord.js';
import { jsonEqual } from '../core/json/jsonEqual.js';

/** Who wrote an item and when: not part of the desired state, so never a reason to write. */
const ORIGIN_ATTRIBUTES = ['appliedBy', 'appliedAt'] as const;

export type ItemChangeKind = 'add' | 'change' | 'remove';

export interface ItemChange {
  kind: ItemChangeKind;
  bucket: string;
  id: string;
}

export interface DesiredItemChanges {
  /** Items to write (added or changed), in table order. */
  puts: DesiredTableItem[];
  /** Keys to delete, in table order. */
  deletes: { bucket: string; id: string }[];
  /** Every change, in table order, for the report. */
  changes: ItemChange[];
  unchanged: number;
}

export interface DesiredItemChangesOptions {
  /** Also delete every item of buckets and templates the file does not declare. */
  pruneDesired: boolean;
}

/**
 * What `s3ir apply` writes: the file's items that are new or differ from the stored ones (ignoring who
 * applied them and when, so re-applying writes nothing and wakes no stream), and the stored items the
 * file no longer declares. A bucket named in the file is declared wholly by it: its other items go. The
 * templates partition is shared by every file, so other templates go only with `pruneDesired`, as do
 * other buckets. Pure.
 */
export function desiredItemChanges(
  fileItems: readonly DesiredTableItem[],
  stored: readonly unknown[],
  options: DesiredItemChangesOptions,
): DesiredItemChanges {
  const storedByKey = new Map<string, Record<string, unknown>>();
  for (const item of stored) {
    if (isRecord(item) && typeof item.bucket === 'string' && typeof item.id === 'string') {
      storedByKey.set(keyOf(item.bucket, item.id), item);
    }
  }
  const fileKeys = new Set(fileItems.map((item) => keyOf(item.bucket, item.id)));
  const fileBuckets = new Set(fileItems.map((item) => item.bucket).filter((b) => b !== TEMPLATES_PARTITION));
  const changes: ItemChange[] = [];
  const puts: DesiredTableItem[] = [];
  let unchanged = 0;
  for (const declared of fileItems) {
    const before = storedByKey.get(keyOf(declared.bucket, declared.id));
    const item = keepLearnedRegion(declared, before);
    if (before !== undefined && sameDeclaration(before, item)) {
      unchanged += 1;
      continue;
    }
    puts.push(item);
    // A settings item the service made only to keep a region declares nothing: the file's adds the bucket.
    const kind = before === undefined || before.source === LEARNED_SOURCE ? 'add' : 'change';
    changes.push({ kind, bucket: item.bucket, id: item.id });
  }
  const deletes = [...storedByKey.values()]
    .map((item) => ({ bucket: item.bucket as string, id: item.id as string }))
    .filter(({ bucket, id }) => !fileKeys.has(keyOf(bucket, id)))
    .filter(({ bucket }) => options.pruneDesired || fileBuckets.has(bucket));
  for (const key of deletes) changes.push({ kind: 'remove', ...key });
  deletes.sort(byKey);
  changes.sort(byKey);
  return { puts, deletes, changes, unchanged };
}

/**
 * The items the table holds once `changes` are written: the stored ones less the deleted, with the puts in
 * their place. What `s3ir apply` checks before it writes anything.
 */
export function itemsAfter(stored: readonly unknown[], changes: DesiredItemChanges): unknown[] {
  const replaced = new Set([...changes.deletes, ...changes.puts].map((item) => keyOf(item.bucket, item.id)));
  const kept = stored.filter(
    (item) =>
      !(isRecord(item) && typeof item.bucket === 'string' && typeof item.id === 'string') ||
      !replaced.has(keyOf(item.bucket, item.id)),
  );
  return [...kept, ...changes.puts];
}

/** `photos/daily-csv`, `photos (settings)`, `template all-prod`: how a change reads. */
export function describeItem(change: { bucket: string; id: string }): string {
  if (change.bucket === TEMPLATES_PARTITION) return `template ${change.id}`;
  if (change.id === BUCKET_SETTINGS_ID) return `${change.bucket} (settings)`;
  return `${change.bucket}/${change.id}`;
}

/**
 * The reconcile keeps a region it learned in the bucket's settings item (`DynamoDesiredStore.keepRegion`):
 * a file that names no region keeps it, rather than erasing it on every apply.
 */
function keepLearnedRegion(
  item: DesiredTableItem,
  stored: Record<string, unknown> | undefined,
): DesiredTableItem {
  if (item.id !== BUCKET_SETTINGS_ID || !('settings' in item) || item.settings.region !== undefined)
    return item;
  const region = isRecord(stored?.settings) ? stored.settings.region : undefined;
  return typeof region === 'string' ? { ...item, settings: { ...item.settings, region } } : item;
}

/**
 * Equal but for who applied it and when. `source` counts only where one side is a settings item the
 * service made to keep a region: that one declares nothing, so the file's must replace it.
 */
function sameDeclaration(stored: Record<string, unknown>, item: DesiredTableItem): boolean {
  const learned = stored.source === LEARNED_SOURCE;
  return jsonEqual(withoutOrigin(stored, learned), withoutOrigin(item, learned));
}

function withoutOrigin(item: object, keepSource: boolean): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...item };
  for (const name of ORIGIN_ATTRIBUTES) delete copy[name];
  if (!keepSource) delete copy.source;
  return copy;
}

function keyOf(bucket: string, id: string): string {
  return `${bucket}\n${id}`;
}

function byKey(a: { bucket: string; id: string }, b: { bucket: string; id: string }): number {
  return compareCodeUnits(a.bucket, b.bucket) || compareCodeUnits(a.id, b.id);
}
