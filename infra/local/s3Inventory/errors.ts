/**
 * An S3 error reply of the inventory subresource (docs/aws-facts.md §1, Errors), thrown by validation and
 * the handler and turned into `<Error>` XML in one place.
 */
export class InventoryRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, string> | undefined;

  constructor(status: number, code: string, message: string, details?: Record<string, string>) {
    super(message);
    this.name = 'InventoryRequestError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The errors of docs/aws-facts.md §1, with S3's messages. */
export const inventoryErrors = {
  malformedXml: () =>
    new InventoryRequestError(
      400,
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    ),
  noSuchBucket: (bucket: string) =>
    new InventoryRequestError(404, 'NoSuchBucket', 'The specified bucket does not exist', {
      BucketName: bucket,
    }),
  noSuchConfiguration: () =>
    new InventoryRequestError(404, 'NoSuchConfiguration', 'The specified configuration does not exist.'),
  idMismatch: () =>
    new InventoryRequestError(
      400,
      'IdMismatch',
      'Document ID does not match the specified configuration ID.',
    ),
  tooManyConfigurations: () =>
    new InventoryRequestError(
      400,
      'TooManyConfigurations',
      'You are attempting to create a new configuration but have already reached the 1,000-configuration limit.',
    ),
  invalidBucketArn: () => new InventoryRequestError(400, 'InvalidS3DestinationBucket', 'Invalid bucket ARN.'),
  bucketArnWithNamespace: () =>
    new InventoryRequestError(
      400,
      'InvalidS3DestinationBucket',
      'Bucket ARN should not specify a namespace.',
    ),
  accessDenied: () => new InventoryRequestError(403, 'AccessDenied', 'Access Denied'),
  invalidBucketOwner: () =>
    new InventoryRequestError(
      400,
      'InvalidBucketOwnerAWSAccountID',
      'The value of the expected bucket owner parameter must be an AWS Account ID.',
    ),
  missingId: () =>
    new InventoryRequestError(400, 'InvalidArgument', 'Missing required parameter id', {
      ArgumentName: 'id',
    }),
  invalidToken: () =>
    new InventoryRequestError(400, 'InvalidArgument', 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
    }),
  bodyTooLarge: () => new InventoryRequestError(400, 'MaxMessageLengthExceeded', 'Your request was too big.'),
  methodNotAllowed: () =>
    new InventoryRequestError(
      405,
      'MethodNotAllowed',
      'The specified method is not allowed against this resource.',
    ),
} as const;
