import { allowedAgeMs, classifyDelivery } from '../../core/delivery/classifyDelivery.js';
import { reportBase } from '../../core/delivery/reportLayout.js';
import type { DeliveryResult } from '../../core/delivery/types.js';
import { deliveryTargetsOf } from '../../core/reconcile/deliveryTargets.js';
import type { DesiredConfiguration } from '../../core/reconcile/desiredConfigurations.js';
import { findNewestReport } from './findNewestReport.js';
import type { ChangeHistory, ReportLocation, ReportReader } from './ports.js';

export interface ConfigurationDeliveryDeps {
  reports: ReportReader;
  history: ChangeHistory;
  now: Date;
  /** The source's region: the destination must be in it (docs/aws-facts.md §4), so its client is made there. */
  region?: string;
  /**
   * The source's account when it is not the home account (a member account's bucket, #18): a destination
   * whose AccountId names none is that account's, as the reconcile reads it (lib/core/reconcile/destinationTrust).
   */
  account?: string;
}

/**
 * The delivery health of one enabled desired configuration of `bucket` (issue #8), without the likely
 * cause (the caller adds it from the reconciler's facts for anything not ok). The audit history is read
 * only when the newest report is not plainly ok: a change since may explain it.
 */
export async function checkConfigurationDelivery(
  bucket: string,
  desired: DesiredConfiguration,
  deps: ConfigurationDeliveryDeps,
): Promise<DeliveryResult> {
  const { configuration } = desired;
  const destination = configuration.Destination?.S3BucketDestination;
  const targets = deliveryTargetsOf(configuration);
  const frequency = configuration.Schedule?.Frequency;
  if (!targets || !destination?.Bucket || !destination.Format || !frequency) {
    // Validation guarantees all of these; an item that lacks one was never applied.
    return {
      bucket,
      id: desired.id,
      status: 'invalid',
      reason: 'the configuration names no destination, format or schedule',
    };
  }
  const location: ReportLocation = { bucket: targets.destinationBucket };
  const owner = destination.AccountId || deps.account;
  if (owner) location.account = owner;
  if (deps.region !== undefined) location.region = deps.region;
  const { now } = deps;
  const newest = await findNewestReport(deps.reports, {
    location,
    base: reportBase(bucket, configuration),
    expected: { sourceBucket: bucket, destinationArn: destination.Bucket, format: destination.Format },
    now,
    // Twice the allowed age: a late report still shows up in the cheap listing.
    recentSince: new Date(now.getTime() - 2 * allowedAgeMs(frequency)),
  });
  let verdict = classifyDelivery({ frequency, now, ...(newest && { newest }) });
  if (verdict.status !== 'ok') {
    const changed = await deps.history.lastChange(bucket, desired.id);
    if (changed !== undefined) {
      verdict = classifyDelivery({ frequency, now, changedAt: new Date(changed), ...(newest && { newest }) });
    }
  }
  const result: DeliveryResult = { bucket, id: desired.id, status: verdict.status };
  if (newest !== undefined) result.lastDelivery = newest.time.toISOString();
  if (verdict.reason !== undefined) result.reason = verdict.reason;
  return result;
}
