/**
 * Base of the errors a port raises when the outside world failed or refused a call (the AWS adapters'
 * `AwsAdapterError` extends it), so use cases can tell such a failure, which they report per bucket, from a
 * bug, which they rethrow, without knowing which adapter is behind the port.
 */
export class PortError extends Error {
  /** The service's code for the failure (`AccessDenied`, `NoSuchBucket`, …). */
  readonly code: string;
  /** HTTP status of the response, when there was one. */
  readonly status: number | undefined;
  /** Whether a retry may help (throttling, 5xx, a timeout). */
  readonly retryable: boolean;

  constructor(
    message: string,
    details: { code: string; status?: number; retryable?: boolean },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'PortError';
    this.code = details.code;
    this.status = details.status;
    this.retryable = details.retryable ?? false;
  }
}
