/** Base of the errors lib/alerts raises. */
export class AlertError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AlertError';
  }
}

/**
 * Alerts that SNS refused and the outbox could not keep either. Retryable: the worker throws it so that
 * SQS redelivers the bucket and the alerts are sent again, never dropped.
 */
export class AlertDeliveryError extends AlertError {
  readonly retryable = true;
  /** One line per lost alert: its type, bucket, and why neither SNS nor the outbox took it. */
  readonly lost: string[];

  constructor(lost: string[], options?: ErrorOptions) {
    super(`${lost.length} alert(s) neither sent nor kept: ${lost.join('; ')}`, options);
    this.name = 'AlertDeliveryError';
    this.lost = lost;
  }
}
