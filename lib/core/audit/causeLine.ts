import type { AuditEvent } from './types.js';

/**
 * Who caused an event's drift and who dealt with it, in one line, for the CLI and the viewer:
 * `changed by arn:aws:iam::123456789012:user/ana from 203.0.113.7 at 2026-12-06T15:04:05.000Z, reverted by
 * arn:aws:iam::123456789012:role/s3ir-reconcile at 2026-12-06T15:04:09.000Z` (`detected by` for drift left in
 * place). Undefined for an event without a cause.
 */
export function causeLine(
  event: Pick<AuditEvent, 'action' | 'actor' | 'time' | 'cause'>,
): string | undefined {
  const { cause } = event;
  if (cause === undefined) return undefined;
  const from = cause.sourceIp === undefined ? '' : ` from ${cause.sourceIp}`;
  const then = event.action === 'drift-detected' ? 'detected' : 'reverted';
  const line = `changed by ${cause.actor}${from} at ${cause.time}, ${then} by ${event.actor} at ${event.time}`;
  // Read back from the table, which is not trusted: no control character reaches a terminal.
  return line.replace(CONTROL, '?');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
