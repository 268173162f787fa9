import { alertsFor, failureAlert } from '../alerts/alertsFor.js';
import type { Alert, AlertPublisher } from '../alerts/types.js';
import type { BucketMessage } from './bucketMessage.js';
import { type ReconcileOutcome, reconcileBucket } from './reconcileBucket.js';
import { describeFailure } from './reconcileErrors.js';
import type { ReconcileBucketDeps } from './servicePorts.js';

export interface ReconcileMessageOptions {
  deps: ReconcileBucketDeps;
  alerts: AlertPublisher;
  /** This is the last receive before the DLQ: a failure now raises `reconcile-failed`. */
  lastAttempt?: boolean;
}

/** What one message's reconcile did, for logs and metrics. */
export interface MessageReport {
  outcome: ReconcileOutcome;
  alerts: Alert[];
  /** Alerts SNS refused, one line each: logged; the audit table holds the truth. */
  alertErrors: string[];
}

/**
 * Reconciles the bucket of one queue message and sends the alerts its outcome calls for. A retryable
 * failure is re-thrown (SQS redelivers); on the last attempt it first raises `reconcile-failed`, since
 * the message goes to the DLQ next.
 */
export async function reconcileMessage(
  message: BucketMessage,
  options: ReconcileMessageOptions,
): Promise<MessageReport> {
  const context = { runId: message.runId };
  let outcome: ReconcileOutcome;
  try {
    outcome = await reconcileBucket(message.bucket, options.deps);
  } catch (error) {
    if (options.lastAttempt) {
      const summary = `${describeFailure(error)} (retries exhausted: moving to the DLQ)`;
      await publishAll(options.alerts, [failureAlert(message.bucket, summary, context)]);
    }
    throw error;
  }
  const alerts: Alert[] =
    outcome.plan && outcome.result
      ? alertsFor(outcome.plan, outcome.result, context)
      : outcome.status === 'failed'
        ? [failureAlert(message.bucket, outcome.failure ?? 'unknown failure', context)]
        : [];
  const alertErrors = await publishAll(options.alerts, alerts);
  return { outcome, alerts, alertErrors };
}

async function publishAll(publisher: AlertPublisher, alerts: Alert[]): Promise<string[]> {
  const settled = await Promise.allSettled(alerts.map((alert) => publisher.publish(alert)));
  return settled.flatMap((result, index) =>
    result.status === 'rejected' ? [`${alerts[index]!.type}: ${describeFailure(result.reason)}`] : [],
  );
}
