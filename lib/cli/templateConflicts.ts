import { fileSource } from '../core/desired/constants.js';
import { TEMPLATES_PARTITION } from '../core/desired/desiredTableLayout.js';
import type { DesiredStateFile } from '../core/desired/fileSchema.js';
import { formatPath } from '../core/desired/paths.js';
import type { TemplateDeclaration } from '../core/desired/resolveTemplates.js';
import { itemsToTemplates, resolveStoredState } from '../core/desired/tableItems.js';
import type { FileError, KnownBucket, Locate, TemplateConflict } from '../core/desired/types.js';
import { isRecord } from '../core/json/isRecord.js';
import { type BucketTagSource, selectedByTemplates } from '../usecases/sweep/sweep.js';

/** What an apply would do to the account's buckets' template conflicts. */
export interface ApplyConflicts {
  /** Conflicts the apply would leave that involve a template of the file, or that it would create: refused. */
  refused: TemplateConflict[];
  /** Conflicts already in the table between templates the file does not declare: reported, not refused. */
  standing: TemplateConflict[];
}

/**
 * The template conflicts on the account's actual buckets once the table holds `after` instead of `stored`
 * (`resolveStoredState`, as the scheduler resolves the table at sweep time, templates the file does not
 * declare included: they stay unless pruned). Buckets come from the same selection as the sweep's. Asks
 * nothing when `after` holds no template.
 */
export async function applyConflicts(
  stored: readonly unknown[],
  after: readonly unknown[],
  fileTemplates: ReadonlySet<string>,
  source: BucketTagSource,
): Promise<ApplyConflicts> {
  const remaining = itemsToTemplates(after);
  if (remaining.length === 0) return { refused: [], standing: [] };
  const known = await selectedBuckets([...itemsToTemplates(stored), ...remaining], source);
  const before = new Set(resolveStoredState(stored, known).errors.map(conflictKey));
  const refused: TemplateConflict[] = [];
  const standing: TemplateConflict[] = [];
  for (const conflict of resolveStoredState(after, known).errors) {
    const ours = conflict.templates.some((name) => fileTemplates.has(name));
    (ours || !before.has(conflictKey(conflict)) ? refused : standing).push(conflict);
  }
  return { refused, standing };
}

/**
 * The account's buckets that any template selects, each with the tags it was selected by (`selectedByTemplates`
 * per template, one tag index query per distinct tag set), so that matching them again selects exactly these.
 */
export async function selectedBuckets(
  templates: readonly TemplateDeclaration[],
  source: BucketTagSource,
): Promise<KnownBucket[]> {
  const once = memoizedSource(source);
  const selections = await Promise.all(
    templates.map(async (declaration) => ({
      tags: declaration.template.match.tags ?? {},
      buckets: await selectedByTemplates([declaration], once),
    })),
  );
  const tagsOf = new Map<string, Record<string, string>>();
  for (const { tags, buckets } of selections) {
    // A bucket carries every tag set it was found by: one value per key, so the sets never disagree.
    for (const bucket of buckets) tagsOf.set(bucket, { ...tagsOf.get(bucket), ...tags });
  }
  return [...tagsOf].map(([name, tags]) => ({ name, tags }));
}

/** Where the file and the table place templates, for messages. */
export interface ConflictPlaces {
  fileName: string;
  file: DesiredStateFile;
  locate: Locate;
  /** The table's items before the apply (for the `source` of templates the file does not declare). */
  stored: readonly unknown[];
}

/**
 * A conflict as `s3ir apply` prints it: at the Id of the file's template involved (the later one), naming both
 * templates with their place (`inventory.yaml:12`, or the file the table has one from), the Id and the bucket.
 */
export function conflictError(
  conflict: TemplateConflict,
  places: ConflictPlaces,
  severity?: 'warning',
): FileError {
  // The table's templates first, then the file's in file order: as a reader meets them.
  const templates = conflict.templates
    .map((name) => ({ name, index: places.file.templates?.findIndex((t) => t.name === name) ?? -1 }))
    .sort((a, b) => a.index - b.index);
  const at = templates[1]!.index;
  const named = templates.map(({ name, index }) => `"${name}" (${placeOf(name, index, places)})`);
  const message =
    `templates ${named[0]} and ${named[1]} both give the Id ${JSON.stringify(conflict.id)} to bucket ` +
    `"${conflict.bucket}", which both select: make their matches disjoint, rename one Id, or declare the Id in ` +
    "the bucket's own entry" +
    (severity === 'warning' ? ' (already in the table: this file neither declares nor changes them)' : '');
  const error: FileError = { file: places.fileName, path: '', message, ...(severity && { severity }) };
  if (at === -1) return error;
  const inventory = places.file.templates![at]!.inventories.findIndex((i) => i.Id === conflict.id);
  const path = formatPath(['templates', at, 'inventories', inventory, 'Id']);
  return { ...error, path, ...places.locate(path) };
}

function placeOf(name: string, index: number, places: ConflictPlaces): string {
  if (index !== -1) {
    const line = places.locate(formatPath(['templates', index]))?.line;
    return line === undefined ? places.fileName : `${places.fileName}:${line}`;
  }
  const item = places.stored.find(
    (candidate) => isRecord(candidate) && candidate.bucket === TEMPLATES_PARTITION && candidate.id === name,
  );
  const source = isRecord(item) && typeof item.source === 'string' ? item.source : undefined;
  const from = source?.startsWith(fileSource('')) ? source.slice(fileSource('').length) : source;
  return from === undefined ? 'in the table' : `in the table, from ${from}`;
}

function conflictKey(conflict: TemplateConflict): string {
  return JSON.stringify([conflict.bucket, conflict.id, [...conflict.templates].sort()]);
}

/** The source with each answer asked once (templates share tag sets and the account's bucket list). */
function memoizedSource(source: BucketTagSource): BucketTagSource {
  let all: Promise<string[]> | undefined;
  const tagged = new Map<string, Promise<string[]>>();
  return {
    accountBuckets: () => {
      all ??= source.accountBuckets();
      return all;
    },
    bucketsTagged: (tags) => {
      const key = JSON.stringify(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      let found = tagged.get(key);
      if (found === undefined) {
        found = source.bucketsTagged(tags);
        tagged.set(key, found);
      }
      return found;
    },
  };
}
