import type { Alert } from '../../core/alerts/types.js';
import type { AuditSink } from '../../core/audit/types.js';
import { type BucketDeliveryStatus, deliveryTransition } from '../../core/delivery/deliveryTransition.js';
import type { DeliveryResult } from '../../core/delivery/types.js';
import type { DeliveryReport as AlertDelivery } from './deliverAlerts.js';

/** Where a bucket's delivery health is kept between checks. */
export interface DeliveryStatusStore {
  get(bucket: string): Promise<BucketDeliveryStatus | undefined>;
  /** False when another check wrote first. */
  put(status: BucketDeliveryStatus): Promise<boolean>;
}

export interface DeliveryTransitionDeps {
  statuses: DeliveryStatusStore;
  audit: AuditSink;
  /** Sends the alerts (SNS, else the outbox); absent: transitions are recorded, nothing is sent. */
  deliverAlerts?: (alerts: readonly Alert[]) => Promise<AlertDelivery>;
  now: Date;
  runId: string;
  actor: string;
  reminderMs: number;
}

/**
 * Records one bucket's delivery transition: alerts first (SNS, else the outbox), then audit events, then
 * the status, so whatever fails before the status is written is done again by the next check rather
 * than lost. A steady check writes nothing.
 * @returns the alerts the transition called for
 */
export async function recordDeliveryTransition(
  bucket: string,
  results: readonly DeliveryResult[],
  deps: DeliveryTransitionDeps,
): Promise<Alert[]> {
  const previous = await deps.statuses.get(bucket);
  const change = deliveryTransition(previous, bucket, results, deps);
  if (deps.deliverAlerts !== undefined && change.alerts.length > 0) await deps.deliverAlerts(change.alerts);
  for (const event of change.events) await deps.audit.record(event);
  if (change.status !== undefined) await deps.statuses.put(change.status);
  return change.alerts;
}
