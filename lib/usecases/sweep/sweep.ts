import type { TemplateDeclaration } from '../../core/desired/resolveTemplates.js';
import { matchesTemplate } from '../../core/desired/resolveTemplates.js';
import type { TemplateRefusal } from '../../core/desired/templateRefusals.js';
import type { DeclaredSource } from '../../core/grants/types.js';
import type { BucketLocation } from '../reconcileBucket/readBucketState.js';
import type { BucketMessage, ReconcileQueue } from '../reconcileMessage/bucketMessage.js';

/** What the desired-state table declares, for the scheduler. */
export interface DesiredCatalog {
  /** Buckets with items of their own, sorted. */
  buckets: string[];
  templates: TemplateDeclaration[];
  /** Where buckets live, as their settings items declare or keep it (learned regions included). */
  locations?: ReadonlyMap<string, BucketLocation>;
  /** Template items refused when read (not in `templates`): reported, never applied. */
  refusedTemplates?: TemplateRefusal[];
  /**
   * The buckets with items of their own, with their items and settings (#18 point 4: the sweep's grant step
   * reads every declared destination from them). Absent: the step only adds accounts, never removes one.
   */
  declared?: DeclaredSource[];
}

/**
 * The account's buckets, for template selection: by name from the bucket list, by tag from a tag index
 * (the Resource Groups Tagging API), so selecting by tag never reads tags bucket by bucket.
 */
export interface BucketTagSource {
  /** Every bucket of the account, for templates that select by name only. */
  accountBuckets(): Promise<string[]>;
  /** The buckets that carry every one of `tags` with that value. */
  bucketsTagged(tags: Readonly<Record<string, string>>): Promise<string[]>;
}

export interface SweepDeps {
  catalog(): Promise<DesiredCatalog>;
  buckets: BucketTagSource;
  queue: ReconcileQueue;
}

/**
 * The buckets one sweep reconciles: every bucket with items of its own, plus every account bucket a
 * template selects. Sorted, unique.
 */
export async function sweepBuckets(deps: Pick<SweepDeps, 'catalog' | 'buckets'>): Promise<string[]> {
  return (await sweepCatalog(deps)).buckets;
}

/** {@link sweepBuckets}, with where each bucket lives when the table knows it. */
async function sweepCatalog(
  deps: Pick<SweepDeps, 'catalog' | 'buckets'>,
): Promise<SweepReport & { locations: ReadonlyMap<string, BucketLocation> }> {
  const catalog = await deps.catalog();
  const selected = new Set(catalog.buckets);
  if (catalog.templates.length > 0) {
    for (const bucket of await selectedByTemplates(catalog.templates, deps.buckets)) selected.add(bucket);
  }
  return {
    buckets: [...selected].sort(),
    locations: catalog.locations ?? new Map(),
    refusedTemplates: catalog.refusedTemplates ?? [],
  };
}

/** What one sweep found: the buckets it enqueued, and the templates it refused. */
export interface SweepReport {
  buckets: string[];
  refusedTemplates: TemplateRefusal[];
}

/**
 * Account buckets that at least one of the templates selects. A template with tags asks the tag index
 * for its tags (once per distinct tag set) and keeps the names its globs match; the account's bucket
 * list is read only when a template selects by name alone. Sorted, unique.
 */
export async function selectedByTemplates(
  templates: readonly TemplateDeclaration[],
  source: BucketTagSource,
): Promise<string[]> {
  const tagged = new Map<string, Promise<string[]>>();
  let all: Promise<string[]> | undefined;
  const candidates = (tags: Readonly<Record<string, string>>): Promise<string[]> => {
    if (Object.keys(tags).length === 0) {
      all ??= source.accountBuckets();
      return all;
    }
    const key = JSON.stringify(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let found = tagged.get(key);
    if (!found) {
      found = source.bucketsTagged(tags);
      tagged.set(key, found);
    }
    return found;
  };
  const selected = new Set<string>();
  for (const { template } of templates) {
    const tags = template.match.tags ?? {};
    for (const bucket of await candidates(tags)) {
      if (matchesTemplate(template.match, { name: bucket, tags })) selected.add(bucket);
    }
  }
  return [...selected].sort();
}

/**
 * One scheduled sweep: finds the buckets and enqueues one message per bucket with the run id, and where
 * the bucket lives when the table knows it (the worker then lists it while reading its desired state).
 * @returns the buckets enqueued
 */
export async function runSweep(deps: SweepDeps, runId: string): Promise<string[]> {
  return (await runSweepReport(deps, runId)).buckets;
}

/** {@link runSweep}, with the templates the catalog refused (the schedule function reports them). */
export async function runSweepReport(deps: SweepDeps, runId: string): Promise<SweepReport> {
  const { buckets, locations, refusedTemplates } = await sweepCatalog(deps);
  const messages: BucketMessage[] = buckets.map((bucket) => ({
    bucket,
    runId,
    reason: 'schedule',
    ...locations.get(bucket),
  }));
  await deps.queue.enqueue(messages);
  return { buckets, refusedTemplates };
}
