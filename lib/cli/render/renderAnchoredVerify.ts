import type { AuditBreak } from '../../core/audit/anchorTypes.js';
import type { AnchoredVerifyReport } from '../../core/audit/verifyAnchors.js';
import { createStyle } from './style.js';

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * What `s3ir audit verify` prints when the history is anchored: one line per break, its kind first and
 * then the digest or chain it names, and a summary with the newest digest:
 * `events-missing: audit chain of photos (seq 5, digest digests/999999999996-3.json): events after seq 4 are missing: …`
 * `2 chains, 41 events, 3 digests (newest digests/999999999996-3.json at 2026-11-26T10:05:00.000Z): 1 broken`
 */
export function renderAnchoredVerify(
  report: AnchoredVerifyReport,
  options: { color?: boolean } = {},
): string {
  const style = createStyle(options.color ?? false);
  const { newest } = report.anchors;
  const anchored = newest === undefined ? 'none checks out' : `newest ${newest.key} at ${newest.time}`;
  const counts = `${plural(report.chains, 'chain')}, ${plural(report.events, 'event')}, ${plural(report.anchors.digests, 'digest')} (${anchored})`;
  if (report.intact) return `${counts}: ${style.green('intact')}\n`;
  const lines = report.breaks.map(
    (found) => `${style.red(`${found.kind}: ${subject(found)}`)}: ${found.reason}`,
  );
  return `${lines.join('\n')}\n${counts}: ${style.red(`${report.breaks.length} broken`)}\n`;
}

function subject(found: AuditBreak): string {
  if (found.bucket === undefined) return `digest ${found.digestKey}`;
  const where = [
    found.eventId === undefined ? undefined : `event ${found.eventId}`,
    found.seq === undefined ? undefined : `seq ${found.seq}`,
    found.time,
    found.digestKey === undefined ? undefined : `digest ${found.digestKey}`,
  ].filter(Boolean);
  return `audit chain of ${found.bucket}${where.length > 0 ? ` (${where.join(', ')})` : ''}`;
}
