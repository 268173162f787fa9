import { mapLimit } from '../core/concurrency/mapLimit.js';
import { TEMPLATES_PARTITION } from '../core/desired/desiredTableLayout.js';
import { type BucketTags, resolveStoredBucket } from '../core/desired/resolveStoredBucket.js';
import type { ResolvedBucket } from '../core/desired/types.js';
import type { CliDeps } from '../wiring/cliWiring.js';
import { cliRunId, planBucket } from '../wiring/planBuckets.js';

/** A bucket a prune would strip of configurations nobody ever declared for it. */
export interface UndeclaredPrune {
  bucket: string;
  /** The configuration Ids it would delete, sorted. */
  ids: string[];
}

/**
 * What `s3ir apply` would let the prune delete that was never declared, per bucket: for every bucket the file
 * declares whose desired state prunes once applied, the configurations its plan (made now, on the table as it
 * would be after the apply) deletes that are present in AWS, absent from the file and absent from the
 * bucket's previous desired state (the table before this apply, templates included). Read-only: one plan per
 * pruning bucket (its listing and facts); buckets that do not prune cost nothing.
 */
export async function undeclaredPrunes(
  service: CliDeps,
  fileBuckets: readonly string[],
  tables: { before: readonly unknown[]; after: readonly unknown[] },
): Promise<UndeclaredPrune[]> {
  const tagsOf: BucketTags = (bucket) => service.buckets.tagsOf(bucket);
  const runId = cliRunId();
  const found = await mapLimit([...new Set(fileBuckets)], 8, async (bucket) => {
    const after = await resolve(bucket, tables.after, tagsOf);
    if (after === undefined || !after.prune) return undefined;
    const before = await resolve(bucket, tables.before, tagsOf);
    const previous = new Set((before?.items ?? []).map((item) => item.id));
    const deps = {
      ...service.reconcileDepsFor({ bucket, runId }),
      desired: { getBucket: async () => after },
    };
    const planned = await planBucket(bucket, deps);
    if (!('plan' in planned)) return undefined; // not readable: `s3ir plan` and the service say why
    const ids = planned.plan.actions
      // A detect-mode bucket's deletes are only reported; a guard's report-only ones still wait to be made.
      .filter((action) => action.mode === 'enforce' || planned.plan.guard !== undefined)
      .filter((action) => action.kind === 'delete-configuration' && !previous.has(action.id))
      .map((action) => (action as { id: string }).id)
      .sort();
    return ids.length > 0 ? { bucket, ids } : undefined;
  });
  return found.filter((entry): entry is UndeclaredPrune => entry !== undefined);
}

/** The refusal `s3ir apply` prints when a prune would strip more than one bucket without `--confirm-prune`. */
export function pruneRefusal(file: string, prunes: readonly UndeclaredPrune[]): string {
  const lines = prunes.map((prune) => `  ${prune.bucket}: ${prune.ids.join(', ')}`);
  return [
    `${file}: prune would delete configurations never declared (present in AWS, absent from this file and from the table's desired state) on ${prunes.length} buckets at once:`,
    ...lines,
    "Nothing was written. They may be other teams': adopt them (s3ir import --bucket B) or check them, then run again with --confirm-prune.",
    '',
  ].join('\n');
}

/** One bucket's desired state from a table's items (as the scheduler resolves it), or undefined. */
async function resolve(
  bucket: string,
  items: readonly unknown[],
  tagsOf: BucketTags,
): Promise<ResolvedBucket | undefined> {
  const records = items as readonly Record<string, unknown>[];
  const resolution = await resolveStoredBucket(
    bucket,
    {
      partition: records.filter((item) => item.bucket === bucket),
      templates: records.filter((item) => item.bucket === TEMPLATES_PARTITION),
    },
    tagsOf,
  );
  return resolution.kind === 'resolved' ? resolution.bucket : undefined;
}
