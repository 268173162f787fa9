import type { ChainBreak, VerifyReport } from '../../core/audit/types.js';
import { createStyle } from './style.js';

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * What `s3ir audit verify` prints: one line per broken chain, naming the first event that does not check
 * out, then a summary:
 * `audit chain of photos broken at event 3f2a… (seq 5, 2026-11-26T10:00:00.000Z): hash does not match its content`
 * `3 chains, 41 events: 1 broken`
 */
export function renderAuditVerify(report: VerifyReport, options: { color?: boolean } = {}): string {
  const style = createStyle(options.color ?? false);
  const counts = `${plural(report.chains, 'chain')}, ${plural(report.events, 'event')}`;
  if (report.intact) return `${counts}: ${style.green('intact')}\n`;
  const lines = report.breaks.map((found) => `${style.red(breakTitle(found))}: ${found.reason}`);
  return `${lines.join('\n')}\n${counts}: ${style.red(`${report.breaks.length} broken`)}\n`;
}

function breakTitle(found: ChainBreak): string {
  const title = `audit chain of ${found.bucket} broken`;
  if (found.eventId === undefined) return title;
  const where = [found.seq === undefined ? undefined : `seq ${found.seq}`, found.time].filter(Boolean);
  return `${title} at event ${found.eventId}${where.length > 0 ? ` (${where.join(', ')})` : ''}`;
}
