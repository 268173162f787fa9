import { ReconcileError } from './errors.js';

/** Why a reconcile is worth another try. */
export const RetryReason = {
  /** Throttling, a 5xx, a timeout: the SDK's own retries ran out. */
  Transient: 'transient',
  /** Other workers kept changing a shared policy: every re-plan met a conflict. */
  Conflict: 'conflict',
  /** A write read back differently, or the audit sink refused an event. */
  Unverified: 'unverified',
} as const;
export type RetryReason = (typeof RetryReason)[keyof typeof RetryReason];

/**
 * A reconcile that did not converge for a reason a later try may not meet. Thrown, so that SQS
 * redelivers the message (and, after the last receive, moves it to the DLQ).
 */
export class RetryableReconcileError extends ReconcileError {
  readonly bucket: string;
  readonly reason: RetryReason;
  readonly retryable = true;

  constructor(bucket: string, reason: RetryReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RetryableReconcileError';
    this.bucket = bucket;
    this.reason = reason;
  }
}

/**
 * Whether an error is worth a retry. Adapter errors say so themselves (`retryable`, lib/aws); anything
 * that does not say (a bug, an unmapped error) is retried too, so it ends in the DLQ and raises an alert
 * rather than being dropped.
 */
export function isRetryable(error: unknown): boolean {
  const flag = (error as { retryable?: unknown } | null | undefined)?.retryable;
  return flag !== false;
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException']);

/**
 * Whether AWS refused a call for lack of permission: lib/aws's `AccessDeniedError`, or an error whose
 * wire code says so (the core reads codes, it does not import the adapters' classes).
 */
export function isAccessDenied(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === 'AccessDeniedError' || ACCESS_DENIED.has(String(code)) || ACCESS_DENIED.has(String(name));
}

/** `Name: message` of an error, one line. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const text = error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return text.replace(/\s*\n\s*/g, ' ');
}
