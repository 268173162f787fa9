import type { TemplateDeclaration } from '../desired/resolveTemplates.js';
import { matchesTemplate } from '../desired/resolveTemplates.js';
import type { BucketMessage, ReconcileQueue } from './bucketMessage.js';

/** What the desired-state table declares, for the scheduler. */
export interface DesiredCatalog {
  /** Buckets with items of their own, sorted. */
  buckets: string[];
  templates: TemplateDeclaration[];
}

/** The account's buckets and their tags, for template selection. */
export interface BucketTagSource {
  accountBuckets(): Promise<string[]>;
  tagsOf(buckets: readonly string[]): Promise<Map<string, Record<string, string>>>;
}

export interface SweepDeps {
  catalog(): Promise<DesiredCatalog>;
  buckets: BucketTagSource;
  queue: ReconcileQueue;
}

/**
 * The buckets one sweep reconciles: every bucket with items of its own, plus every account bucket a
 * template selects. The account is listed only when templates exist, and tags are read only for buckets
 * that a template with tag conditions could select by name. Sorted, unique.
 */
export async function sweepBuckets(deps: Pick<SweepDeps, 'catalog' | 'buckets'>): Promise<string[]> {
  const catalog = await deps.catalog();
  const selected = new Set(catalog.buckets);
  if (catalog.templates.length > 0) {
    for (const bucket of await selectedByTemplates(catalog.templates, deps.buckets)) selected.add(bucket);
  }
  return [...selected].sort();
}

/** Account buckets that at least one of the templates selects. */
export async function selectedByTemplates(
  templates: readonly TemplateDeclaration[],
  source: BucketTagSource,
): Promise<string[]> {
  const names = await source.accountBuckets();
  const byName = (bucket: string) =>
    templates.filter(({ template }) =>
      matchesTemplate({ names: template.match.names }, { name: bucket, tags: {} }),
    );
  const needTags = names.filter((bucket) =>
    byName(bucket).some(({ template }) => Object.keys(template.match.tags ?? {}).length > 0),
  );
  const tags =
    needTags.length > 0 ? await source.tagsOf(needTags) : new Map<string, Record<string, string>>();
  return names.filter((bucket) =>
    byName(bucket).some(({ template }) =>
      matchesTemplate(template.match, { name: bucket, tags: tags.get(bucket) ?? {} }),
    ),
  );
}

/**
 * One scheduled sweep: finds the buckets and enqueues one message per bucket with the run id.
 * @returns the buckets enqueued
 */
export async function runSweep(deps: SweepDeps, runId: string): Promise<string[]> {
  const buckets = await sweepBuckets(deps);
  const messages: BucketMessage[] = buckets.map((bucket) => ({ bucket, runId, reason: 'schedule' }));
  await deps.queue.enqueue(messages);
  return buckets;
}
