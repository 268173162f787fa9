import { type ConditionRules, statusTransition } from '../alerts/statusTransition.js';
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
 * `reminderMs`; ok and pending never alert. Configurations no longer checked are forgotten. The rule is
 * the bucket status's ({@link statusTransition}); this says what delivery alerts and records. Pure.
 */
export function deliveryTransition(
  previous: BucketDeliveryStatus | undefined,
  bucket: string,
  results: readonly DeliveryResult[],
  options: DeliveryTransitionOptions,
): DeliveryTransition {
  const alert = (fields: Omit<Alert, 'bucket' | 'runId'>): Alert => ({
    bucket,
    runId: options.runId,
    ...(options.account !== undefined && { account: options.account }),
    ...(options.region !== undefined && { region: options.region }),
    ...fields,
  });
  const event = (action: AuditAction, result: DeliveryResult, message: string, now: string) =>
    withEventId(`delivery:${result.id}:${result.status}`, {
      time: now,
      runId: options.runId,
      bucket,
      configId: result.id,
      action,
      actor: options.actor,
      after: result,
      message,
    });
  const rules: ConditionRules<string, DeliveryResult, DeliveryRecord> = {
    // An unhealthy status is its own fingerprint: late, missing or invalid, or one turning into another.
    fingerprint: (_, result) => (isHealthy(result.status) ? undefined : result.status),
    fingerprintOf: (_, record) => (isHealthy(record.status) ? undefined : record.status),
    raise: (_, result, now) => {
      const summary = `Inventory reports of ${bucket}/${result.id} are ${result.status}: ${result.reason ?? 'no reason found'}`;
      const reason = result.reason === undefined ? {} : { reason: result.reason };
      return {
        entry: { status: result.status, since: now, lastAlertAt: now, ...reason },
        alerts: [alert({ type: 'delivery-failed', summary, detail: result })],
        events: [event('delivery-failed', result, summary, now)],
      };
    },
    remind: (_, result) => {
      const summary = `Inventory reports of ${bucket}/${result.id} are still ${result.status}: ${result.reason ?? 'no reason found'} (reminder)`;
      return [alert({ type: 'delivery-failed', summary, detail: result })];
    },
    clear: (_, result, before, now) => {
      const summary = `Inventory reports of ${bucket}/${result.id} arrive again (${result.status}; was ${before.status} since ${before.since})`;
      return {
        entry: { status: result.status, since: now },
        alerts: [alert({ type: 'delivery-restored', summary, detail: { ...result, was: before } })],
        events: [event('delivery-restored', result, summary, now)],
      };
    },
    // ok and pending never alert; a change between them is kept.
    keep: (_, result, before, now) =>
      before?.status === result.status ? before : { status: result.status, since: now },
  };
  const change = statusTransition(
    previous && { entries: previous.configurations, version: previous.version },
    results.map((result) => [result.id, result] as const),
    rules,
    options,
  );
  const { alerts, events } = change;
  if (change.entries === undefined) return { alerts, events };
  const configurations = change.entries as Record<string, DeliveryRecord>;
  return {
    status: { bucket, configurations, runId: options.runId, version: change.version },
    alerts,
    events,
  };
}
