import { type AdoptionSummary, adoptionAlert } from '../../core/alerts/adoptionSummary.js';
import type { AlertDeliveryPorts } from '../../core/alerts/types.js';
import { describeFailure } from '../../core/reconcile/reconcileErrors.js';
import { deliverAlerts } from '../recordTransition/deliverAlerts.js';

/** The summaries first reconciles left (the state table's `#adoption` partition in the service). */
export interface AdoptionSummaryStore {
  /** Every summary kept, of every run: one paginated Query (steady state: one empty page). */
  list(): Promise<AdoptionSummary[]>;
  /** Removes `summary`; false when a reconcile added to it since it was listed (it is kept). */
  remove(summary: AdoptionSummary): Promise<boolean>;
}

export interface SendSummariesDeps {
  summaries: AdoptionSummaryStore;
  /** SNS, else the outbox. */
  delivery: AlertDeliveryPorts;
}

/** What one sweep did with the summaries it found. */
export interface SummariesReport {
  /** `runId account`, one per summary alert sent (or kept in the outbox) and removed. */
  sent: string[];
  /** `runId account: why`, one per summary that stays for the next sweep. */
  kept: string[];
  /** Set when the summaries could not be read: the next sweep sends them. */
  unread?: string;
}

/**
 * Sends the summary of every run but `currentRunId` (whose reconciles have not run yet) as one alert per
 * run and account, through SNS else the outbox, and only then removes it, on condition that no reconcile
 * added to it since it was read: a summary is sent at least once, never lost. A bucket of that run that
 * reconciles later starts a new summary, sent by the next sweep. Never throws: a failing summary never
 * stops the sweep, and stays for the next one.
 */
export async function sendAdoptionSummaries(
  deps: SendSummariesDeps,
  currentRunId: string,
): Promise<SummariesReport> {
  const report: SummariesReport = { sent: [], kept: [] };
  let summaries: AdoptionSummary[];
  try {
    summaries = await deps.summaries.list();
  } catch (error) {
    return { ...report, unread: describeFailure(error) };
  }
  for (const summary of summaries) {
    if (summary.runId === currentRunId) continue;
    const name = `${summary.runId} ${summary.account}`;
    let step = 'sending';
    try {
      const alert = adoptionAlert(summary);
      if (alert !== undefined) await deliverAlerts([alert], deps.delivery);
      step = 'removing';
      if (await deps.summaries.remove(summary)) report.sent.push(name);
      else report.kept.push(`${name}: added to since it was read; sent again with the rest next sweep`);
    } catch (error) {
      report.kept.push(`${name}: ${step} failed: ${describeFailure(error)}`);
    }
  }
  return report;
}
