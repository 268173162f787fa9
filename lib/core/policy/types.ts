/** An IAM policy document as S3 and KMS store it. Unknown members are kept as they are. */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
  [key: string]: unknown;
}

/** One statement; every list-or-scalar member may be given either way, as IAM allows. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny' | string;
  Principal?: '*' | Record<string, string | string[]>;
  NotPrincipal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<
    string,
    Record<string, string | string[] | boolean | number | (string | boolean | number)[]>
  >;
  [key: string]: unknown;
}

/**
 * The source of inventory reports that a destination policy or key policy must let S3 deliver for.
 * `partition` comes from the destination ARN (`aws`, `aws-cn`, `aws-us-gov`).
 */
export interface DeliverySource {
  sourceBucket: string;
  sourceAccount: string;
  partition: string;
  destinationBucket: string;
  /** Destination.S3BucketDestination.Prefix, if any. Reports land under `{prefix}/{source}/{id}/`. */
  destinationPrefix?: string;
  /** The configuration Id: reports land under `{prefix}/{source}/{id}/`. */
  configurationId: string;
  /** For key policies: the full ARN of the SSE-KMS key (`Destination.S3BucketDestination.Encryption.SSEKMS.KeyId`). */
  keyArn?: string;
}

/** Which policy a grant lives in: the destination bucket's policy or the KMS key's policy. */
export type GrantTarget = 'destination-policy' | 'key-policy';

/** Result of `ensureDelivery` / `removeDelivery`: the new document, and whether it differs from the input. */
export interface PolicyChange {
  /** `undefined` only from `removeDelivery` on a bucket policy that held nothing but our statement: delete it. */
  document: PolicyDocument | undefined;
  changed: boolean;
}

/** The verdict of evaluating a policy for a delivery, as IAM evaluates it. */
export type DeliveryVerdict = 'allowed' | 'implicit-deny' | 'explicit-deny';
