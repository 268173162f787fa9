import { causeLine } from '../lib/core/audit/causeLine.js';
import type { AuditEvent } from '../lib/core/audit/types.js';
import { el, formatTime } from './dom.js';

/** Whether an event carries a document to compare (an inventory configuration, a policy, a desired item). */
export function hasChange(event: AuditEvent): boolean {
  return event.before !== undefined || event.after !== undefined;
}

/**
 * One timeline row: time, bucket, action, configuration, actor, message, and a button that opens the
 * before/after of an event that has them.
 */
export function eventRow(event: AuditEvent, open: (event: AuditEvent, row: HTMLTableRowElement) => void) {
  const button = hasChange(event)
    ? el(
        'button',
        {
          type: 'button',
          class: 'show-change',
          'aria-label': `Show the change of ${event.action} on ${event.bucket}`,
        },
        'Show change',
      )
    : undefined;
  const row = el(
    'tr',
    { 'data-event-id': event.eventId, 'data-bucket': event.bucket, 'data-action': event.action },
    el('td', {}, el('time', { datetime: event.time }, formatTime(event.time))),
    el('td', {}, event.bucket),
    el('td', {}, el('span', { class: `action action-${event.action}` }, event.action)),
    el('td', {}, event.configId ?? event.target ?? ''),
    el('td', { class: 'actor' }, event.actor),
    el('td', {}, event.message ?? '', causeBlock(event)),
    el('td', {}, button),
  );
  button?.addEventListener('click', () => open(event, row));
  return row;
}

/** "changed by … at …, reverted by … at …" under the message of an event with a cause. */
function causeBlock(event: AuditEvent): HTMLElement | undefined {
  const line = causeLine(event);
  return line === undefined ? undefined : el('div', { class: 'cause' }, line);
}
