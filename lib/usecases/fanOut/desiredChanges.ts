import {
  type DesiredTableChange,
  desiredChangeEvent,
  desiredChangeRunId,
} from '../../core/audit/desiredChangeEvent.js';
import type { AuditSink } from '../../core/audit/types.js';
import { TEMPLATES_PARTITION } from '../../core/desired/desiredTableLayout.js';
import { itemsToTemplates } from '../../core/desired/tableItems.js';
import type { BucketMessage, ReconcileQueue } from '../reconcileMessage/bucketMessage.js';
import { type BucketTagSource, selectedByTemplates } from '../sweep/sweep.js';

export interface DesiredChangesDeps {
  audit: AuditSink;
  queue: ReconcileQueue;
  buckets: BucketTagSource;
}

/**
 * Handles one table change: records `desired-state-changed` (old and new item) and enqueues what it
 * touches: the bucket of a bucket item; for a template item, every bucket the old or the new template
 * selects. Idempotent: a redelivered record writes the same event id and enqueues the same buckets.
 * @returns the buckets enqueued
 */
export async function handleDesiredChange(
  change: DesiredTableChange,
  deps: DesiredChangesDeps,
): Promise<string[]> {
  await deps.audit.record(desiredChangeEvent(change));
  const buckets =
    change.bucket === TEMPLATES_PARTITION ? await templateBuckets(change, deps.buckets) : [change.bucket];
  const runId = desiredChangeRunId(change);
  const messages: BucketMessage[] = buckets.map((bucket) => ({ bucket, runId, reason: 'desired-change' }));
  if (messages.length > 0) await deps.queue.enqueue(messages);
  return buckets;
}

async function templateBuckets(change: DesiredTableChange, buckets: BucketTagSource): Promise<string[]> {
  const templates = itemsToTemplates(
    [change.oldImage, change.newImage].filter((image) => image !== undefined),
  );
  if (templates.length === 0) return [];
  return selectedByTemplates(templates, buckets);
}
