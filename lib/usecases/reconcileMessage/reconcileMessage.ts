import { observeFailure, observeOutcome } from '../../core/alerts/observation.js';
import { bucketFailureEvent } from '../../core/reconcile/auditEvents.js';
import type { ReconcileOutcome } from '../../core/reconcile/outcome.js';
import { describeFailure, RetryableReconcileError } from '../../core/reconcile/reconcileErrors.js';
import type { ReconcileBucketDeps } from '../ports.js';
import { reconcileBucket } from '../reconcileBucket/reconcileBucket.js';
import {
  recordTransition,
  type TransitionDeps,
  type TransitionReport,
} from '../recordTransition/recordTransition.js';
import { type BucketMessage, messageLocation } from './bucketMessage.js';

export interface ReconcileMessageOptions {
  deps: ReconcileBucketDeps;
  /** The status step: statuses, alert delivery (SNS and the outbox) and the reminder interval. */
  status: Omit<TransitionDeps, 'audit' | 'context'>;
  /** This is the last try (the last receive before the DLQ, or a CLI run): a thrown failure is final. */
  lastAttempt?: boolean;
  /** Says why a thrown failure is final, in its alert (default: retries exhausted, to the DLQ). */
  finalNote?: string;
}

/** What one message's reconcile did, for logs and metrics. */
export interface MessageReport {
  outcome: ReconcileOutcome;
  /** The status step; absent for a bucket with nothing declared. */
  transition?: TransitionReport;
}

const DLQ_NOTE = 'retries exhausted: moving to the DLQ';

/**
 * Reconciles the bucket of one queue message, then records the status transition its outcome makes:
 * alerts on transitions only (and reminders), audit events for drift and findings when they appear or
 * change, the status written when it changed. A retryable failure is re-thrown (SQS redelivers); on the
 * last attempt it is first recorded (`reconcile-failed` event, failure transition), since the message
 * goes to the DLQ next.
 */
export async function reconcileMessage(
  message: BucketMessage,
  options: ReconcileMessageOptions,
): Promise<MessageReport> {
  const transitionDeps: TransitionDeps = {
    ...options.status,
    audit: options.deps.audit,
    context: options.deps.context,
  };
  let outcome: ReconcileOutcome;
  try {
    const location = messageLocation(message);
    outcome = await reconcileBucket(message.bucket, options.deps, location && { location });
  } catch (error) {
    if (!options.lastAttempt) throw error;
    throw await recordFinalFailure(message.bucket, error, options.finalNote ?? DLQ_NOTE, transitionDeps);
  }
  const observation = observeOutcome(outcome);
  if (observation === undefined) return { outcome };
  return { outcome, transition: await recordTransition(observation, transitionDeps) };
}

/** Records a failure no retry will follow; returns the error to throw (the original, or both). */
async function recordFinalFailure(
  bucket: string,
  error: unknown,
  note: string,
  deps: TransitionDeps,
): Promise<unknown> {
  const failure = `${describeFailure(error)} (${note})`;
  try {
    const stamp = { bucket, context: deps.context };
    await deps.audit.record(
      bucketFailureEvent('final-failure', `Reconcile of ${bucket} failed: ${failure}`, stamp),
    );
    await recordTransition(observeFailure(bucket, failure), deps);
    return error;
  } catch (recording) {
    return new RetryableReconcileError(
      bucket,
      'unverified',
      `${bucket}: ${describeFailure(error)}; recording that failure failed too: ${describeFailure(recording)}`,
      { cause: error },
    );
  }
}
