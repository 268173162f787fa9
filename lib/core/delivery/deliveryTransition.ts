import type { Alert } from '../alerts/types.js';
import { withEventId } from '../audit/eventId.js';
import type { AuditAction, AuditEvent } from '../audit/types.js';
import { type DeliveryResult, type DeliveryStatus, isHealthy } from './types.js';

/** What the last check said about one configuration's delivery. */
export interface DeliveryRecord {
  status: DeliveryStatus;
  /** ISO 8601 UTC: since when it has this status. */
  since: string;
  /** ISO 8601 UTC: when its last `delivery-failed` alert was sent (unhealthy statuses only). */
  lastAlertAt?: string;
  reason?: string;
}

/** One bucket's delivery health, kept between checks (the `#delivery` item in the service). */
export interface BucketDeliveryStatus {
  bucket: string;
  configurations: Record<string, DeliveryRecord>;
  /** The check that last changed it. */
  runId: string;
  /** Optimistic concurrency: written only over the version it was read at. */
  version: number;
}

export interface DeliveryTransitionOptions {
  now: Date;
  runId: string;
  actor: string;
  /** An unchanged failure is alerted again this long after its last alert; 0: never. */
  reminderMs: number;
  account?: string;
  region?: string;
}

export interface DeliveryTransition {
  /** Absent when nothing changed: a steady check writes nothing. */
  status?: BucketDeliveryStatus;
  alerts: Alert[];
  events: AuditEvent[];
}

/**
 * Alerts on transitions of report delivery, as drift alerts do (issue #8): a configuration that turns
 * late, missing or invalid (or from one of those to another) raises `delivery-failed` with an audit event;
 * one that is healthy again raises `delivery-restored`. An unchanged failure is reminded after
 * `reminderMs`; ok and pending never alert. Configurations no longer checked are forgotten. Pure.
 */
export function deliveryTransition(
  previous: BucketDeliveryStatus | undefined,
  bucket: string,
  results: readonly DeliveryResult[],
  options: DeliveryTransitionOptions,
): DeliveryTransition {
  const now = options.now.toISOString();
  const alerts: Alert[] = [];
  const events: AuditEvent[] = [];
  const configurations: Record<string, DeliveryRecord> = {};
  let changed = previous === undefined && results.length > 0;
  const send = (alert: Omit<Alert, 'bucket' | 'runId'>) =>
    alerts.push({
      bucket,
      runId: options.runId,
      ...(options.account !== undefined && { account: options.account }),
      ...(options.region !== undefined && { region: options.region }),
      ...alert,
    });
  const record = (action: AuditAction, result: DeliveryResult, message: string) =>
    events.push(
      withEventId(`delivery:${result.id}:${result.status}`, {
        time: now,
        runId: options.runId,
        bucket,
        configId: result.id,
        action,
        actor: options.actor,
        after: result,
        message,
      }),
    );

  for (const result of results) {
    const before = previous?.configurations[result.id];
    const healthy = isHealthy(result.status);
    const reason = result.reason === undefined ? {} : { reason: result.reason };
    if (!healthy && (before === undefined || before.status !== result.status)) {
      const summary = `Inventory reports of ${bucket}/${result.id} are ${result.status}: ${result.reason ?? 'no reason found'}`;
      send({ type: 'delivery-failed', summary, since: now, detail: result });
      record('delivery-failed', result, summary);
      configurations[result.id] = { status: result.status, since: now, lastAlertAt: now, ...reason };
      changed = true;
    } else if (!healthy) {
      const due =
        options.reminderMs > 0 &&
        Date.parse(now) - Date.parse(before!.lastAlertAt ?? before!.since) >= options.reminderMs;
      configurations[result.id] = due ? { ...before!, lastAlertAt: now } : before!;
      if (due) {
        const summary = `Inventory reports of ${bucket}/${result.id} are still ${result.status}: ${result.reason ?? 'no reason found'} (reminder)`;
        send({ type: 'delivery-failed', summary, since: before!.since, reminder: true, detail: result });
        changed = true;
      }
    } else if (before !== undefined && !isHealthy(before.status)) {
      const summary = `Inventory reports of ${bucket}/${result.id} arrive again (${result.status}; was ${before.status} since ${before.since})`;
      send({ type: 'delivery-restored', summary, detail: { ...result, was: before } });
      record('delivery-restored', result, summary);
      configurations[result.id] = { status: result.status, since: now };
      changed = true;
    } else {
      const same = before?.status === result.status;
      configurations[result.id] = same ? before! : { status: result.status, since: now };
      if (!same) changed = true;
    }
  }
  const forgotten = Object.keys(previous?.configurations ?? {}).some((id) => !(id in configurations));
  if (!changed && !forgotten) return { alerts, events };
  return {
    status: { bucket, configurations, runId: options.runId, version: (previous?.version ?? 0) + 1 },
    alerts,
    events,
  };
}
