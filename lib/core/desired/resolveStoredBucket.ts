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

/** Tags of one bucket, asked only when a template that names it also selects by tag (where it lives, when known). */
export type BucketTags = (
  bucket: string,
  where?: { account?: string; region?: string },
) => Promise<Record<string, string>>;

/**
 * Where a bucket lives, for templates that select by account or region (#18): its account id (the home
 * account's too), the organization and OU ids containing it, its region when known, and whether the account is
 * the home account. A bucket only templates reach is reconciled in a non-home `account`.
 */
export interface BucketPlacement {
  account: string;
  parents: readonly string[];
  region?: string;
  home: boolean;
}

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
  placement?: () => Promise<BucketPlacement>,
): Promise<StoredBucketResolution> {
  const learned = items.partition.find(isLearnedOnly);
  const own = items.partition.filter((item) => !isLearnedOnly(item) && !isReservedItem(item));
  const byName = itemsToTemplates(items.templates).filter(({ template }) =>
    template.match.names === undefined ? true : template.match.names.some((glob) => matchGlob(glob, bucket)),
  );
  if (own.length === 0 && byName.length === 0) return { kind: 'absent' };
  const needsTags = byName.some(({ template }) => Object.keys(template.match.tags ?? {}).length > 0);
  const needsPlace = byName.some(({ template }) => template.match.accounts || template.match.regions);
  const place = placement !== undefined && (needsPlace || own.length === 0) ? await placement() : undefined;
  const where = place && {
    ...(!place.home && { account: place.account }),
    ...(place.region && { region: place.region }),
  };
  const tags = needsTags && tagsOf ? await tagsOf(bucket, where) : {};
  const known = {
    name: bucket,
    tags,
    ...(place && { account: place.account, parents: place.parents, home: place.home }),
  };
  const located = place?.region !== undefined ? { ...known, region: place.region } : known;
  const resolved = resolveStoredState([...own, ...items.templates], [located]);
  const conflict = resolved.errors.find((error) => error.bucket === bucket);
  if (conflict) return { kind: 'conflict', message: conflict.message };
  const placed = resolved.buckets.find((entry) => entry.bucket === bucket);
  if (placed === undefined) return { kind: 'absent' };
  // Only templates reach it: it lives where it was found (never overriding what the table declares).
  const found =
    own.length === 0 && place !== undefined && !place.home && placed.account === undefined
      ? {
          ...placed,
          account: place.account,
          ...(placed.region === undefined && place.region && { region: place.region }),
        }
      : placed;
  const learnedRegion =
    learned !== undefined && isSettingsItem(learned) ? settingsRegion(learned) : undefined;
  if (found.region === undefined && learnedRegion !== undefined)
    return { kind: 'resolved', bucket: { ...found, region: learnedRegion } };
  return { kind: 'resolved', bucket: found };
}
