import type { Alert } from '../../core/alerts/types.js';
import type { AuditEvent, AuditSink } from '../../core/audit/types.js';
import { describeFailure, RetryableReconcileError } from '../../core/reconcile/reconcileErrors.js';
import type { DeliveryReport } from './deliverAlerts.js';

/** Where one kind of status is kept between runs (a bucket's `#status`, its `#delivery`). */
export interface StatusPort<S> {
  get(bucket: string): Promise<S | undefined>;
  /** Writes `status` if the stored version is still `status.version - 1` (absent for 1); false if not. */
  put(status: S): Promise<boolean>;
}

/** What recording a transition needs: where the status, the audit events and the alerts go. */
export interface RecordStatusDeps<S> {
  status: StatusPort<S>;
  audit: AuditSink;
  /** Sends the alerts (SNS, else the outbox: {@link deliverAlerts}); absent: recorded, nothing sent. */
  deliver?: (alerts: readonly Alert[]) => Promise<DeliveryReport>;
}

/** What a pure transition makes of the previous status (lib/core/alerts/statusTransition). */
export interface StatusChange<S> {
  /** The status to write; absent when nothing changed. */
  status?: S;
  alerts: Alert[];
  events: AuditEvent[];
}

/** What recording one bucket's transition did. */
export interface StatusTransitionReport<S> {
  /** The alerts the transition called for (sent, or kept in the outbox: see `delivery`). */
  alerts: Alert[];
  /** Undefined when no alert was due, or there is nowhere to send it. */
  delivery?: DeliveryReport;
  events: AuditEvent[];
  /** The status written; absent in steady state. */
  status?: S;
  /** Why the status was not written (the next run alerts again rather than never). */
  statusError?: string;
}

/**
 * Records one bucket's status transition, whatever the status: reads the status, computes the change
 * (`changeOf`, pure), sends the alerts (SNS, else the outbox), records the audit events, and writes the
 * status last, so that whatever fails before it is done again by the next run rather than lost. A status
 * write that is refused (another run wrote first) or fails is reported in `statusError`, not thrown: the
 * alerts and events are out, and the next run makes the transition again. A steady run writes nothing.
 * @throws AlertDeliveryError when an alert could be neither sent nor kept, RetryableReconcileError when
 *   an audit event was refused: both retryable, and the status is then not written.
 */
export async function recordStatusTransition<S extends { version: number }>(
  bucket: string,
  changeOf: (previous: S | undefined) => StatusChange<S>,
  deps: RecordStatusDeps<S>,
): Promise<StatusTransitionReport<S>> {
  const change = changeOf(await deps.status.get(bucket));
  const report: StatusTransitionReport<S> = { alerts: change.alerts, events: change.events };
  if (deps.deliver !== undefined && change.alerts.length > 0)
    report.delivery = await deps.deliver(change.alerts);
  for (const event of change.events) {
    try {
      await deps.audit.record(event);
    } catch (error) {
      const why = `${bucket}: recording ${event.action} ${event.eventId} failed: ${describeFailure(error)}`;
      throw new RetryableReconcileError(bucket, 'unverified', why, { cause: error });
    }
  }
  if (change.status === undefined) return report;
  report.status = change.status;
  try {
    if (!(await deps.status.put(change.status))) {
      report.statusError = `status of ${bucket} not written: another run wrote version ${change.status.version} first`;
    }
  } catch (error) {
    report.statusError = `status of ${bucket} not written: ${describeFailure(error)}`;
  }
  return report;
}
