import type { AlertOutbox, AlertSender } from '../../core/alerts/types.js';

/** What one flush of the outbox did. */
export interface FlushReport {
  /** Ids of entries sent and removed. */
  sent: string[];
  /** Entries still kept, one line each: id, and why sending (or removing) failed. */
  kept: string[];
  /** Set when the outbox could not be read: its alerts wait for the next flush. */
  unread?: string;
}

/**
 * Sends every alert the outbox keeps, oldest first, and removes each one delivered. One failure does not
 * stop the others; an entry that fails again stays for the next flush. An entry sent whose removal
 * fails is sent again next time: at least once, never lost. Never throws, so that a failing outbox
 * never stops the sweep that flushes it.
 */
export async function flushOutbox(ports: { sender: AlertSender; outbox: AlertOutbox }): Promise<FlushReport> {
  const report: FlushReport = { sent: [], kept: [] };
  let entries: Awaited<ReturnType<AlertOutbox['list']>>;
  try {
    entries = await ports.outbox.list();
  } catch (error) {
    return { ...report, unread: describe(error) };
  }
  for (const entry of entries) {
    let step = 'sending';
    try {
      await ports.sender.send(entry.alert);
      step = 'removing';
      await ports.outbox.delete(entry.id);
      report.sent.push(entry.id);
    } catch (error) {
      report.kept.push(`${entry.id}: ${step} failed: ${describe(error)}`);
    }
  }
  return report;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
