import { createHash } from 'node:crypto';
import type { AuditAction } from './types.js';

/** What makes an audit event unique within a run. */
export interface AuditEventIdParts {
  runId: string;
  bucket: string;
  action: AuditAction;
  /** What the event is about within the bucket, e.g. a plan action key `update-configuration:inv-1`. */
  subject: string;
}

/**
 * The deterministic id of an audit event: sha256 (hex) of run, bucket, action and subject joined by
 * newlines, so a retried worker records the same ids and the append-only store can refuse duplicates.
 *
 * @example auditEventId({ runId: 'r1', bucket: 'src', action: 'inventory-created', subject: 'create-configuration:inv-1' })
 */
export function auditEventId(parts: AuditEventIdParts): string {
  const joined = [parts.runId, parts.bucket, parts.action, parts.subject].join('\n');
  return createHash('sha256').update(joined).digest('hex');
}
