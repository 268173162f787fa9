import { isLearnedOnly, isReservedItem, isSettingsItem, settingsRegion } from './desiredTableLayout.js';
import { matchGlob } from './globMatch.js';
import { itemsToTemplates, resolveStoredState } from './tableItems.js';
import type { ResolvedBucket } from './types.js';

/** What the desired-state table holds for one bucket: its partition's items and the templates partition's. */
export interface StoredBucketItems {
  partition: readonly Record<string, unknown>[];
  templates: readonly Record<string, unknown>[];
}

/** One bucket's desired state resolved from its stored items, or the template conflict that leaves it out. */
export type StoredBucketResolution =
  | { kind: 'absent' }
  | { kind: 'resolved'; bucket: ResolvedBucket }
  | { kind: 'conflict'; message: string };

/** Tags of one bucket, asked only when a template that names it also selects by tag. */
export type BucketTags = (bucket: string) => Promise<Record<string, string>>;

/**
 * Resolves one bucket as the scheduler does: its own items, the templates that select it by name (and, when
 * one also selects by tag, by the tags `tagsOf` gives; none without it), with the precedence of
 * `resolveDesiredState`. A settings item made only to keep the region declares nothing: the bucket's
 * declaration (and a template's defaults for a bucket only templates reach) stay as if it were absent, and its
 * region is used only where nothing declares one. Reserved keys declare nothing.
 */
export async function resolveStoredBucket(
  bucket: string,
  items: StoredBucketItems,
  tagsOf?: BucketTags,
): Promise<StoredBucketResolution> {
  const learned = items.partition.find(isLearnedOnly);
  const own = items.partition.filter((item) => !isLearnedOnly(item) && !isReservedItem(item));
  const byName = itemsToTemplates(items.templates).filter(({ template }) =>
    template.match.names === undefined ? true : template.match.names.some((glob) => matchGlob(glob, bucket)),
  );
  if (own.length === 0 && byName.length === 0) return { kind: 'absent' };
  const needsTags = byName.some(({ template }) => Object.keys(template.match.tags ?? {}).length > 0);
  const tags = needsTags && tagsOf ? await tagsOf(bucket) : {};
  const resolved = resolveStoredState([...own, ...items.templates], [{ name: bucket, tags }]);
  const conflict = resolved.errors.find((error) => error.bucket === bucket);
  if (conflict) return { kind: 'conflict', message: conflict.message };
  const found = resolved.buckets.find((entry) => entry.bucket === bucket);
  if (found === undefined) return { kind: 'absent' };
  const learnedRegion =
    learned !== undefined && isSettingsItem(learned) ? settingsRegion(learned) : undefined;
  if (found.region === undefined && learnedRegion !== undefined)
    return { kind: 'resolved', bucket: { ...found, region: learnedRegion } };
  return { kind: 'resolved', bucket: found };
}
