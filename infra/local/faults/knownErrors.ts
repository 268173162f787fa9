/**
 * HTTP statuses AWS answers with for error codes a fault rule may name without a `status`, per
 * service (docs/aws-facts.md §1, §3, §5; botocore's service models). A code that is not here needs a status.
 */
const statusByService: Record<string, Record<string, number>> = {
  s3: {
    SlowDown: 503,
    ServiceUnavailable: 503,
    InternalError: 500,
    AccessDenied: 403,
    AllAccessDisabled: 403,
    InvalidAccessKeyId: 403,
    SignatureDoesNotMatch: 403,
    RequestTimeTooSkewed: 403,
    ExpiredToken: 400,
    RequestTimeout: 400,
    MalformedXML: 400,
    MalformedPolicy: 400,
    InvalidArgument: 400,
    NoSuchBucket: 404,
    NoSuchKey: 404,
    NoSuchBucketPolicy: 404,
    NoSuchConfiguration: 404,
    OperationAborted: 409,
    BucketNotEmpty: 409,
  },
  kms: {
    ThrottlingException: 400,
    KMSInternalException: 500,
    DependencyTimeoutException: 503,
    KeyUnavailableException: 500,
    AccessDeniedException: 400,
    NotFoundException: 400,
    DisabledException: 400,
    KMSInvalidStateException: 400,
    LimitExceededException: 400,
    MalformedPolicyDocumentException: 400,
    InvalidArnException: 400,
  },
  dynamodb: {
    ProvisionedThroughputExceededException: 400,
    ThrottlingException: 400,
    RequestLimitExceeded: 400,
    InternalServerError: 500,
    ServiceUnavailable: 503,
    ConditionalCheckFailedException: 400,
    ResourceNotFoundException: 400,
    TransactionConflictException: 400,
    TransactionCanceledException: 400,
    ValidationException: 400,
    AccessDeniedException: 400,
  },
  sns: {
    Throttling: 400,
    InternalError: 500,
    InvalidParameter: 400,
    NotFound: 404,
    AuthorizationError: 403,
    KMSThrottling: 400,
  },
  sqs: {
    RequestThrottled: 403,
    OverLimit: 403,
    InternalError: 500,
    ServiceUnavailable: 503,
    QueueDoesNotExist: 400,
    KmsThrottled: 400,
    InvalidAddress: 404,
  },
  sts: {
    Throttling: 400,
    InternalError: 500,
    AccessDenied: 403,
    ExpiredToken: 400,
    RegionDisabledException: 403,
    MalformedPolicyDocument: 400,
  },
};

/** The code a rule without `code` injects: each service's own internal error. */
const internalErrorCode: Record<string, string> = {
  kms: 'KMSInternalException',
  dynamodb: 'InternalServerError',
};

/** The messages AWS sends for the common throttling and server errors. */
const messages: Record<string, string> = {
  SlowDown: 'Please reduce your request rate.',
  ServiceUnavailable: 'Please reduce your request rate.',
  InternalError: 'We encountered an internal error. Please try again.',
  AccessDenied: 'Access Denied',
  ThrottlingException: 'Rate exceeded',
  Throttling: 'Rate exceeded',
  RequestThrottled: 'Request is throttled.',
  ProvisionedThroughputExceededException:
    'The level of configured provisioned throughput for the table was exceeded. ' +
    'Consider increasing your provisioning level with the UpdateTable API.',
  RequestLimitExceeded: 'Throughput exceeds the current throughput limit for your account.',
  KMSInternalException: 'An internal error occurred.',
  InternalServerError: 'Internal server error',
  TransactionCanceledException:
    'Transaction cancelled, please refer cancellation reasons for specific reasons',
  TransactionConflictException: 'Transaction is ongoing for the item',
};

/** The status AWS uses for `code` in `service`; undefined when we do not know it. */
export function defaultStatus(service: string | undefined, code: string): number | undefined {
  if (service !== undefined) return statusByService[service]?.[code];
  // A rule for every service: a code with one status everywhere it appears.
  const statuses = new Set(Object.values(statusByService).flatMap((codes) => codes[code] ?? []));
  return statuses.size === 1 ? [...statuses][0] : undefined;
}

/** The code a rule without `code` injects: the service's internal error (status 500 by default). */
export function defaultCode(service: string | undefined): string {
  return (service && internalErrorCode[service]) ?? 'InternalError';
}

/** AWS's message for the code, or one that says where the error came from. */
export function defaultMessage(code: string): string {
  return messages[code] ?? `${code} (injected by the local AWS)`;
}
