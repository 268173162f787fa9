import type { BucketStatus, StatusStore } from '../../core/alerts/bucketStatus.js';
import type { Observation } from '../../core/alerts/observation.js';
import { transition } from '../../core/alerts/transition.js';
import type { Alert, AlertDeliveryPorts } from '../../core/alerts/types.js';
import type { AuditEvent, AuditSink } from '../../core/audit/types.js';
import type { ApplyContext } from '../../core/reconcile/ports.js';
import { describeFailure, RetryableReconcileError } from '../../core/reconcile/reconcileErrors.js';
import type { AlertDispatch } from './AlertDispatch.js';
import { type DeliveryReport, deliverAlerts } from './deliverAlerts.js';

/** What the status step needs: where statuses, events and alerts go, and who runs. */
export interface TransitionDeps {
  status: StatusStore;
  audit: AuditSink;
  /** Absent: transitions are recorded but no alert is sent (`s3ir reconcile` without a topic). */
  alerts?: AlertDeliveryPorts;
  /** The writer's delivery over `alerts`, which also flushes the outbox (lib/usecases/recordTransition/AlertDispatch); preferred when set. */
  dispatch?: AlertDispatch;
  /** A condition left unchanged is alerted again this long after its last alert; 0: never. */
  reminderMs: number;
  context: ApplyContext;
}

/** What the status step did for one bucket. */
export interface TransitionReport {
  /** The alerts the transition called for (sent, or kept in the outbox: see `delivery`). */
  alerts: Alert[];
  /** Undefined when no alert was due, or there is nowhere to send it. */
  delivery?: DeliveryReport;
  events: AuditEvent[];
  /** The status written; absent in steady state. */
  status?: BucketStatus;
  /** Why the status was not written (the next run alerts again rather than never). */
  statusError?: string;
}

/**
 * The status step after a reconcile: reads the bucket's status, computes the transition its observation
 * makes ({@link transition}), sends the alerts (SNS, else the outbox), records the audit events, and
 * writes the status last, so that whatever fails before it is done again by the retry rather than lost.
 * In steady state it reads (from the desired-state Query, in the service) and writes nothing.
 * @throws AlertDeliveryError when an alert could be neither sent nor kept, RetryableReconcileError when
 *   an audit event was refused: both retryable (SQS redelivers; the retry recomputes the same transition).
 */
export async function recordTransition(
  observation: Observation,
  deps: TransitionDeps,
): Promise<TransitionReport> {
  const { bucket } = observation;
  const previous = await deps.status.get(bucket);
  const now = deps.context.now?.() ?? new Date();
  const change = transition(previous, observation, {
    now,
    runId: deps.context.runId,
    actor: deps.context.actor,
    reminderMs: deps.reminderMs,
  });
  const report: TransitionReport = { alerts: change.alerts, events: change.events };
  if (deps.dispatch !== undefined && change.alerts.length > 0) {
    report.delivery = await deps.dispatch.deliver(change.alerts);
  } else if (deps.alerts !== undefined && change.alerts.length > 0) {
    report.delivery = await deliverAlerts(change.alerts, deps.alerts);
  }
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
