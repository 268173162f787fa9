import type { VerifyResponse } from '../lib/api/types.js';

/** The verify-chain indicator: its state (for the colour) and its text. */
export function verifyIndicator(report: VerifyResponse): { state: 'intact' | 'broken'; text: string } {
  const window =
    report.since === undefined ? '' : ` changed since ${report.since.slice(0, 16).replace('T', ' ')} UTC`;
  const counted = `${report.events} event${report.events === 1 ? '' : 's'} in ${report.chains} chain${report.chains === 1 ? '' : 's'}${window}`;
  if (report.intact) return { state: 'intact', text: `✓ Audit chain intact: ${counted}.` };
  const [first] = report.breaks;
  const where = first
    ? [
        `bucket ${first.bucket}`,
        first.eventId !== undefined && `event ${first.eventId}`,
        first.seq !== undefined && `seq ${first.seq}`,
      ]
        .filter(Boolean)
        .join(', ')
    : 'no break named';
  const more = report.breaks.length > 1 ? ` (${report.breaks.length - 1} more)` : '';
  return {
    state: 'broken',
    text: `✗ Audit chain broken at ${where}: ${first?.reason ?? 'unknown'}${more}. Checked ${counted}.`,
  };
}
