import { canonicalJson } from './canonicalJson.js';
import { sha256Hex } from './chainHash.js';
import type { AuditAction, AuditEvent } from './types.js';

/** What an event says changed: the fields of an {@link AuditEvent} its id covers besides the envelope. */
export type AuditEventChange = Pick<AuditEvent, 'before' | 'after' | 'message'>;

/** What makes an audit event unique: where it belongs in a run, and what it says changed. */
export interface AuditEventIdParts {
  runId: string;
  bucket: string;
  action: AuditAction;
  /** What the event is about within the bucket, e.g. a plan action key `update-configuration:inv-1`. */
  subject: string;
  /** The event's content (an {@link AuditEvent} itself will do): see {@link auditEventChangeHash}. */
  change: AuditEventChange;
}

/**
 * The hash of what an event says changed: sha256 (hex) of the canonical JSON of `before` and `after`
 * as the store keeps them (a JSON round trip), or, when the event has neither, of its `message` (then
 * the only thing naming the change, e.g. a failure). The message is left out otherwise: it is prose
 * about the same change, and a retry that words it differently (an error text) is still that change.
 */
export function auditEventChangeHash(change: AuditEventChange): string {
  const { before, after, message } = change;
  const content = before === undefined && after === undefined ? { message } : { before, after };
  return sha256Hex(canonicalJson(JSON.parse(JSON.stringify(content))));
}

/**
 * The deterministic id of an audit event: sha256 (hex) of run, bucket, action, subject and the hash of
 * the change's content joined by newlines. A retried worker records the same change under the same id
 * and the append-only store refuses the duplicate; a message that reuses an old `runId` with a
 * different change (a replay) gets a new id, so it can never pass for an event already recorded.
 *
 * @example auditEventId({ runId: 'r1', bucket: 'src', action: 'inventory-created', subject: 'create-configuration:inv-1', change: { after: configuration } })
 */
export function auditEventId(parts: AuditEventIdParts): string {
  const joined = [
    parts.runId,
    parts.bucket,
    parts.action,
    parts.subject,
    auditEventChangeHash(parts.change),
  ].join('\n');
  return sha256Hex(joined);
}

/** The event with its deterministic id (see {@link auditEventId}), computed from the event itself. */
export function withEventId(subject: string, event: Omit<AuditEvent, 'eventId'>): AuditEvent {
  const { runId, bucket, action } = event;
  return { eventId: auditEventId({ runId, bucket, action, subject, change: event }), ...event };
}
