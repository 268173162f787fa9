/** Kinds of per-bucket bookkeeping the sweep removes once their bucket leaves the sweep. */
export const BookkeepingKind = {
  Status: 'status',
  Delivery: 'delivery',
  Outbox: 'outbox',
} as const;
export type BookkeepingKind = (typeof BookkeepingKind)[keyof typeof BookkeepingKind];

/** One bookkeeping item of the state table, as the sweep sees it. */
export interface BookkeepingItem {
  kind: BookkeepingKind;
  /** The bucket it is about (for an outbox entry: its alert's bucket). */
  bucket: string;
  /** Its key in the store (opaque to the core). */
  key: { bucket: string; id: string };
  /** The version read, when the item has one: removed only if unchanged since (a run may write it meanwhile). */
  version?: number;
}

/** The service's bookkeeping items (the state table in the service). */
export interface BookkeepingStore {
  /** Every `#status`, `#delivery` and `#outbox` item: one paginated read of the whole store. */
  list(): Promise<BookkeepingItem[]>;
  /** Removes `item`; false when it changed since it was listed (it is kept). */
  remove(item: BookkeepingItem): Promise<boolean>;
}

/** What one cleanup did. */
export interface CleanupReport {
  /** `kind bucket`, one per item removed. */
  removed: string[];
  /** `kind bucket: why`, one per item that stays (changed meanwhile, or the removal failed). */
  kept: string[];
  /** Set when nothing was removed because the buckets of member accounts could not be told (#18). */
  skipped?: string;
}

/** More buckets that stay besides those swept (#18: the member accounts' discovered buckets). */
export interface CleanupOptions {
  /**
   * Asked once the bookkeeping is listed (so that it knows at least what the listed items' writers knew): which
   * other buckets stay. Undefined: it cannot tell, and nothing is removed this sweep.
   */
  alsoKept?: () => Promise<((bucket: string) => boolean) | undefined>;
}

/**
 * Removes the bookkeeping of buckets the sweep no longer reconciles (no longer declared, or no longer
 * selected by a template, e.g. deleted): their `#status` and `#delivery` items, and alerts about them the
 * outbox still keeps after the sweep's flush. No alert and no audit event: nothing happened to a bucket.
 * A declared bucket that does not exist keeps its status (its failure is what stops it being re-alerted
 * every sweep). One failure does not stop the others; never throws on a removal.
 * @param swept every bucket this sweep reconciles (complete: the sweep threw otherwise)
 * @param options.alsoKept the member accounts' buckets (#18), which the sweep does not list itself
 */
export async function cleanBookkeeping(
  swept: readonly string[],
  store: BookkeepingStore,
  options: CleanupOptions = {},
): Promise<CleanupReport> {
  const keep = new Set(swept);
  const report: CleanupReport = { removed: [], kept: [] };
  const items = await store.list();
  const others = options.alsoKept === undefined ? () => false : await options.alsoKept();
  if (others === undefined) {
    return { ...report, skipped: 'a member account discovered this sweep has no record of its buckets yet' };
  }
  for (const item of items) {
    // A `#` subject is the service's own (`#templates`, the first sweep's `#adoption` summaries, the `#hold`),
    // never a bucket (`#` starts no bucket name): its alerts kept in the outbox wait for a flush, whatever was swept.
    if (keep.has(item.bucket) || item.bucket.startsWith('#') || others(item.bucket)) continue;
    const name = `${item.kind} ${item.bucket}`;
    try {
      if (await store.remove(item)) report.removed.push(name);
      else report.kept.push(`${name}: written since it was listed`);
    } catch (error) {
      report.kept.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return report;
}
