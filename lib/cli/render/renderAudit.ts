import { causeLine } from '../../core/audit/causeLine.js';
import type { AuditEvent } from '../../core/audit/types.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
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

/** The format version of one `s3ir audit --json` line. */
export const JSON_LINE_VERSION = 1;

/** Where the event sits in its bucket's hash chain (set by the audit store), printed last in this order. */
const CHAIN_FIELDS = ['seq', 'prevHash', 'hash', 'prevExpiresAt', 'expiresAt'] as const;

/**
 * One line of `s3ir audit --json`: `version`, then the event, Contract fields first, then any others by name, then the
 * chain fields: the same bytes whatever order DynamoDB returned the attributes in.
 */
export function auditJsonLine(event: AuditEvent): string {
  // `version` first: the line's own format version, as every --json output carries (issue 14).
  const ordered: Record<string, unknown> = { version: JSON_LINE_VERSION };
  for (const field of CONTRACT_FIELDS) if (event[field] !== undefined) ordered[field] = event[field];
  const chain = new Set<string>(CHAIN_FIELDS);
  const others = Object.keys(event).filter((field) => !(field in ordered) && !chain.has(field));
  for (const field of others.sort(compareCodeUnits))
    ordered[field] = (event as unknown as Record<string, unknown>)[field];
  for (const field of CHAIN_FIELDS) if (event[field] !== undefined) ordered[field] = event[field];
  return JSON.stringify(ordered);
}

/**
 * The history as a table, one event a line, newest first:
 * `2026-01-31T12:00:00.000Z  photos  inventory-created  daily  arn:aws:iam::…  message`; an event with a
 * cause adds an indented line `changed by … at …, reverted by … at …` below its own.
 */
export function renderAudit(events: readonly AuditEvent[], options: { color?: boolean } = {}): string {
  if (events.length === 0) return 'No audit events match.\n';
  const style = createStyle(options.color ?? false);
  const width = (pick: (event: AuditEvent) => string) =>
    Math.max(...events.map((event) => pick(event).length));
  const bucketWidth = width((event) => event.bucket);
  const actionWidth = width((event) => event.action);
  const configWidth = width((event) => event.configId ?? '-');
  const lines = events.map((event) => {
    const line = [
      style.dim(event.time),
      event.bucket.padEnd(bucketWidth),
      event.action.padEnd(actionWidth),
      (event.configId ?? '-').padEnd(configWidth),
      event.actor,
      ...(event.message === undefined ? [] : [style.dim(event.message)]),
    ].join('  ');
    const cause = causeLine(event);
    return cause === undefined ? line : `${line}\n    ${cause}`;
  });
  return `${lines.join('\n')}\n`;
}
