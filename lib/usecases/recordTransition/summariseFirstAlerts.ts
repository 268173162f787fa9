import { type AdoptionEntry, adoptionEntry } from '../../core/alerts/adoptionSummary.js';
import type { Alert } from '../../core/alerts/types.js';
import { describeFailure } from '../../core/reconcile/reconcileErrors.js';
import type { DeliveryReport } from './deliverAlerts.js';

/** Where first reconciles leave their alerts for the sweep to summarise (the `#adoption` items in the service). */
export interface AdoptionLedger {
  /** This bucket's place among the first reconciles of its run and account that alert: 1, 2, … */
  arrive(runId: string, account: string, now: Date): Promise<number>;
  /** Adds `entry` to its run and account's summary; a bucket it already names is not counted again. */
  add(entry: AdoptionEntry, now: Date): Promise<void>;
}

/** How a bucket's first alerts are summarised (#18 point 4: one alert per run and account). */
export interface AdoptionSummaries {
  ledger: AdoptionLedger;
  /**
   * First reconciles per run and account that still alert one by one before the rest are summarised
   * (`S3IR_ADOPTION_SINGLE_ALERTS`); 0: every one is summarised, and no place is counted.
   */
  singleAlerts: number;
}

/** The one bucket whose first reconcile alerts, and where its alerts would go one by one. */
export interface FirstAlerts {
  runId: string;
  bucket: string;
  account?: string;
  alerts: readonly Alert[];
  now: Date;
  deliver: (alerts: readonly Alert[]) => Promise<DeliveryReport>;
}

/**
 * The alerts of a bucket's first reconcile (it had no status yet): added to its run and account's summary,
 * which the next sweep sends as one alert (lib/usecases/sweep/sendAdoptionSummaries), instead of one alert per
 * bucket; the first `singleAlerts` buckets of a run and account are still alerted one by one. Alerts of a
 * kind a summary does not hold, and every alert when the ledger fails, go out one by one as before: never lost.
 * With `later`, the entry is handed to it instead of the ledger (the status write adds it: lib/usecases/
 * recordTransition/recordTransition), and the alerts count as summarised.
 * @throws what `deliver` throws (AlertDeliveryError: retryable)
 */
export async function summariseFirstAlerts(
  first: FirstAlerts,
  summaries: AdoptionSummaries,
  later?: (entry: AdoptionEntry) => void,
): Promise<DeliveryReport> {
  const entry = adoptionEntry(first.runId, first.bucket, first.account, first.alerts);
  if (entry === undefined) return first.deliver(first.alerts);
  try {
    const { singleAlerts, ledger } = summaries;
    if (singleAlerts > 0 && (await ledger.arrive(entry.runId, entry.account, first.now)) <= singleAlerts)
      return first.deliver(first.alerts);
  } catch (error) {
    return oneByOne(first, error);
  }
  if (later === undefined) return addToSummary(first, entry, summaries.ledger);
  later(entry);
  return { sent: 0, queued: [], summarised: first.alerts.length };
}

/**
 * Adds `entry` (made of `first`'s alerts) to its summary through the ledger; if the ledger fails, the alerts
 * go out one by one, with the reason in `summaryError`.
 * @throws what `deliver` throws (AlertDeliveryError: retryable)
 */
export async function addToSummary(
  first: FirstAlerts,
  entry: AdoptionEntry,
  ledger: AdoptionLedger,
): Promise<DeliveryReport> {
  try {
    await ledger.add(entry, first.now);
    return { sent: 0, queued: [], summarised: first.alerts.length };
  } catch (error) {
    return oneByOne(first, error);
  }
}

async function oneByOne(first: FirstAlerts, error: unknown): Promise<DeliveryReport> {
  const summaryError = `${first.bucket}: not summarised, alerted one by one: ${describeFailure(error)}`;
  return { ...(await first.deliver(first.alerts)), summaryError };
}
