import { causeLine } from '../lib/core/audit/causeLine.js';
import type { AuditEvent } from '../lib/core/audit/types.js';
import { el, formatTime } from './dom.js';
import { type DiffLine, sideBySide } from './jsonDiff.js';

/** One side's cell: its line number and text; a changed line as `<del>` (before) or `<ins>` (after). */
function cell(line: DiffLine | undefined, side: 'before' | 'after'): HTMLTableCellElement {
  if (!line) return el('td', { class: `gap ${side}` });
  const text = line.changed ? el(side === 'before' ? 'del' : 'ins', {}, line.text) : line.text;
  return el(
    'td',
    { class: `${side}${line.changed ? ' changed' : ''}` },
    el('span', { class: 'line-number', 'aria-hidden': 'true' }, String(line.number)),
    el('code', {}, text),
  );
}

/** What the change was: action, bucket, configuration or target, time, run, actor, message. */
export function changeSummary(event: AuditEvent, lines: { removed: number; added: number }): string {
  const subject = event.configId ?? event.target;
  return [
    `${event.action} on ${event.bucket}${subject ? ` (${subject})` : ''}`,
    `at ${formatTime(event.time)} by ${event.actor}, run ${event.runId}`,
    `${lines.removed} line${lines.removed === 1 ? '' : 's'} removed, ${lines.added} added`,
    event.message,
    causeLine(event),
  ]
    .filter(Boolean)
    .join('; ');
}

/** The event's before and after side by side, changed lines highlighted, as a two-column table. */
export function diffTable(event: AuditEvent): {
  table: HTMLTableElement;
  lines: { removed: number; added: number };
} {
  const { rows, removed, added } = sideBySide(event.before, event.after);
  const body = el('tbody');
  for (const row of rows) body.append(el('tr', {}, cell(row.before, 'before'), cell(row.after, 'after')));
  if (rows.length === 0)
    body.append(el('tr', {}, el('td', { colspan: '2' }, 'This event carries no document.')));
  const table = el(
    'table',
    { class: 'diff', id: 'diff-table' },
    el('caption', {}, 'Before and after, changed lines highlighted'),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', { scope: 'col' }, event.before === undefined ? 'Before (none)' : 'Before'),
        el('th', { scope: 'col' }, event.after === undefined ? 'After (none)' : 'After'),
      ),
    ),
    body,
  );
  return { table, lines: { removed, added } };
}
