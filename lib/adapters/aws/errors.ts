import { PortError } from '../../core/reconcile/portError.js';

/** What every adapter error carries: the AWS error code, the HTTP status and whether a retry may help. */
export interface AwsAdapterErrorDetails {
  /** The wire code (`NoSuchBucket`, `AccessDeniedException`, …) or our own (`InvalidPagination`). */
  code: string;
  message: string;
  /** HTTP status of the response, when there was one. */
  status?: number;
  retryable?: boolean;
  /** `x-amz-request-id`, for support cases. */
  requestId?: string;
  cause?: unknown;
}

/**
 * Base of every error lib/aws throws. Adapters turn SDK exceptions into these, so the reconcile core
 * never sees an SDK error: it may read `code`, `status` and `retryable`, and the SDK error is the `cause`.
 */
export class AwsAdapterError extends PortError {
  readonly requestId: string | undefined;

  constructor(details: AwsAdapterErrorDetails) {
    super(
      details.message,
      {
        code: details.code,
        ...(details.status !== undefined && { status: details.status }),
        ...(details.retryable !== undefined && { retryable: details.retryable }),
      },
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.name = 'AwsAdapterError';
    this.requestId = details.requestId;
  }
}

/** AWS refused the call (S3 `AccessDenied`, KMS `AccessDeniedException`, a 403, or a refused AssumeRole). */
export class AccessDeniedError extends AwsAdapterError {
  constructor(details: AwsAdapterErrorDetails) {
    super({ ...details, retryable: false });
    this.name = 'AccessDeniedError';
  }
}

/** What a {@link NotFoundError} did not find. */
export const MissingResource = {
  Bucket: 'bucket',
  Key: 'key',
  Configuration: 'configuration',
  BucketPolicy: 'bucket-policy',
  Other: 'other',
} as const;
export type MissingResource = (typeof MissingResource)[keyof typeof MissingResource];

/** The bucket, KMS key, inventory configuration or policy does not exist. */
export class NotFoundError extends AwsAdapterError {
  readonly resource: MissingResource;

  constructor(details: AwsAdapterErrorDetails & { resource: MissingResource }) {
    super({ ...details, retryable: false });
    this.name = 'NotFoundError';
    this.resource = details.resource;
  }
}

/** AWS asked us to slow down (`SlowDown`, `ThrottlingException`, 429, …) even after the SDK's own retries. */
export class ThrottledError extends AwsAdapterError {
  constructor(details: AwsAdapterErrorDetails) {
    super({ ...details, retryable: true });
    this.name = 'ThrottledError';
  }
}

/**
 * The client factory's own bound: no client is made for an account that is neither home nor among the
 * allowed accounts (`S3IR_ALLOWED_ACCOUNTS`), so no AssumeRole is ever tried there, whatever a caller asks.
 * The reconcile checks a bucket's account before it gets here (lib/core/reconcile/allowedAccounts); reaching
 * this is a path that forgot to, refused as AccessDenied (never retryable).
 */
export class ClientAccountNotAllowedError extends AccessDeniedError {
  readonly account: string;

  constructor(account: string) {
    super({
      code: 'AccountNotAllowed',
      message: `Account ${account} is not among the allowed accounts (S3IR_ALLOWED_ACCOUNTS): no client is made for it and no role is assumed in it`,
    });
    this.name = 'ClientAccountNotAllowedError';
    this.account = account;
  }
}
