import {
  AccessDeniedError,
  AwsAdapterError,
  type MissingResource,
  NotFoundError,
  ThrottledError,
} from './errors.js';

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'Forbidden', 'AllAccessDisabled']);

const NOT_FOUND: Readonly<Record<string, MissingResource>> = {
  NoSuchBucket: 'bucket',
  NotFound: 'other', // HeadBucket / HeadObject 404: no body, so no code (refined by the caller's context)
  NoSuchConfiguration: 'configuration',
  NoSuchBucketPolicy: 'bucket-policy',
  NotFoundException: 'key',
  NoSuchKey: 'other',
};

const THROTTLED = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
]);

/** Transient failures that are not throttling: server faults, timeouts, dropped connections. */
const TRANSIENT = new Set([
  'InternalError',
  'ServiceUnavailable',
  'KMSInternalException',
  'DependencyTimeoutException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/**
 * Turns whatever an SDK call threw into an {@link AwsAdapterError}: `AccessDeniedError`, `NotFoundError`,
 * `ThrottledError` or the base class. `context` (e.g. `GetBucketPolicy dest`) prefixes the message.
 * Errors that already are ours pass through unchanged (e.g. a refused AssumeRole under an S3 call).
 */
export function toAdapterError(error: unknown, context?: string): AwsAdapterError {
  if (error instanceof AwsAdapterError) return error;
  const sdk: SdkErrorLike = typeof error === 'object' && error !== null ? error : {};
  const status = sdk.$metadata?.httpStatusCode;
  const code = codeOf(sdk, status);
  const text = sdk.message && sdk.message !== 'UnknownError' ? sdk.message : status ? `HTTP ${status}` : code;
  const details = {
    code,
    message: context ? `${context}: ${text}` : text,
    status,
    requestId: sdk.$metadata?.requestId,
    cause: error,
  };
  if (ACCESS_DENIED.has(code) || status === 403) return new AccessDeniedError(details);
  const missing = NOT_FOUND[code];
  if (missing !== undefined) return new NotFoundError({ ...details, resource: missing });
  if (THROTTLED.has(code) || status === 429) return new ThrottledError(details);
  const retryable =
    TRANSIENT.has(code) || sdk.$fault === 'server' || sdk.$retryable !== undefined || (status ?? 0) >= 500;
  return new AwsAdapterError({ ...details, retryable });
}

/**
 * The wire code. SDK v3 sets `name` to it (docs/aws-facts.md §1), except for bodiless responses (HEAD), where it
 * says `Unknown`/`NotFound`: the status tells then. Node's socket errors carry `code` instead.
 */
function codeOf(sdk: SdkErrorLike, status: number | undefined): string {
  const name = sdk.name && sdk.name !== 'Error' && sdk.name !== 'Unknown' ? sdk.name : undefined;
  if (name !== undefined) return name;
  if (typeof sdk.code === 'string') return sdk.code;
  if (status === 403) return 'AccessDenied';
  if (status === 404) return 'NotFound';
  return status === undefined ? 'UnknownError' : `Http${status}`;
}

/** Runs one SDK call and maps what it throws. */
export async function callAws<T>(context: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAdapterError(error, context);
  }
}
