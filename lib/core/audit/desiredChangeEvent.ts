import { withEventId } from './eventId.js';
import type { AuditEvent } from './types.js';

/** One change of the desired-state table, as a DynamoDB stream record tells it (images unmarshalled). */
export interface DesiredTableChange {
  /** The stream record's `eventID`: unique per change, the same when the record is redelivered. */
  changeId: string;
  /** `INSERT`, `MODIFY` or `REMOVE`. */
  eventName: string;
  bucket: string;
  id: string;
  oldImage?: Record<string, unknown>;
  newImage?: Record<string, unknown>;
  /** ISO 8601 UTC: when the change was made (`ApproximateCreationDateTime`). */
  time: string;
}

/** The run id of the reconcile a table change triggers (stamped on its audit events and its messages). */
export function desiredChangeRunId(change: Pick<DesiredTableChange, 'changeId'>): string {
  return `desired-${change.changeId}`;
}

/**
 * The `desired-state-changed` event for one table change, with the old and new item. The actor is who
 * applied the item (`appliedBy`, written by `s3ir apply`), else `desired-state-table`. Deterministic id
 * over the record and both images: a redelivered stream record records nothing twice.
 */
export function desiredChangeEvent(change: DesiredTableChange): AuditEvent {
  const runId = desiredChangeRunId(change);
  const appliedBy = (change.newImage ?? change.oldImage)?.appliedBy;
  const verb =
    change.eventName === 'REMOVE' ? 'removed' : change.eventName === 'INSERT' ? 'added' : 'changed';
  const event: Omit<AuditEvent, 'eventId'> = {
    time: change.time,
    runId,
    bucket: change.bucket,
    action: 'desired-state-changed',
    actor: typeof appliedBy === 'string' && appliedBy !== '' ? appliedBy : 'desired-state-table',
    message: `Desired item ${change.id} of ${change.bucket} ${verb}`,
  };
  if (!change.id.startsWith('#')) event.configId = change.id;
  if (change.oldImage !== undefined) event.before = change.oldImage;
  if (change.newImage !== undefined) event.after = change.newImage;
  return withEventId(change.id, event);
}
