import type { AuditEvent } from '../../audit/types.js';
import { createStyle } from './style.js';

/** The Contract's fields of an audit event, in the Contract's order (more are kept after them). */
const CONTRACT_FIELDS = [
  'eventId',
  'time',
  'runId',
  'bucket',
  'configId',
  'action',
  'actor',
  'before',
  'after',
  'message',
] as const;

/** One line of `s3ir audit --json`: the event, Contract fields first. */
export function auditJsonLine(event: AuditEvent): string {
  const ordered: Record<string, unknown> = {};
  for (const field of CONTRACT_FIELDS) if (event[field] !== undefined) ordered[field] = event[field];
  for (const [field, value] of Object.entries(event)) if (!(field in ordered)) ordered[field] = value;
  return JSON.stringify(ordered);
}

/**
 * The history as a table, one event a line, newest first:
 * `2026-01-31T12:00:00.000Z  photos  inventory-created  daily  arn:aws:iam::…  message`.
 */
export function renderAudit(events: readonly AuditEvent[], options: { color?: boolean } = {}): string {
  if (events.length === 0) return 'No audit events match.\n';
  const style = createStyle(options.color ?? false);
  const width = (pick: (event: AuditEvent) => string) =>
    Math.max(...events.map((event) => pick(event).length));
  const bucketWidth = width((event) => event.bucket);
  const actionWidth = width((event) => event.action);
  const configWidth = width((event) => event.configId ?? '-');
  const lines = events.map((event) =>
    [
      style.dim(event.time),
      event.bucket.padEnd(bucketWidth),
      event.action.padEnd(actionWidth),
      (event.configId ?? '-').padEnd(configWidth),
      event.actor,
      ...(event.message === undefined ? [] : [style.dim(event.message)]),
    ].join('  '),
  );
  return `${lines.join('\n')}\n`;
}
