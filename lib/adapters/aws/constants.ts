/** Defaults of the client factory and adapters; each can be overridden through an options object. */
export const AWS_DEFAULTS = {
  /** Role assumed in every account other than the home account. */
  crossAccountRoleName: 's3ir-reconcile',
  /** Read-only role the delivery check assumes in other accounts (`S3IR_READ_ROLE`): it never writes. */
  readRoleName: 's3ir-read',
  /** Region when neither the options nor `AWS_REGION` / `AWS_DEFAULT_REGION` name one. */
  region: 'us-east-1',
  maxAttempts: 5,
  connectionTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  /** STS AssumeRole session length; 900 is the minimum STS accepts. */
  sessionDurationSeconds: 3_600,
  /** Assumed-role credentials are renewed this long before they expire. */
  refreshMarginMs: 5 * 60_000,
  /** KMS keys have exactly one policy, and it is named `default` (docs/aws-facts.md §3). */
  keyPolicyName: 'default',
  /**
   * How long a policy lease lasts unless released (lib/adapters/aws/DynamoPolicyLease). A holder needs it for three
   * S3 or KMS calls, normally well under a second, and writes only with 10 s of it left
   * (POLICY_LEASE_WAIT.writeMarginMs); 30 s leaves room for SDK retries, while a lease a crashed worker left
   * blocks its policy for at most that long (waiters re-plan, then SQS redelivers).
   */
  policyLeaseTtlMs: 30_000,
} as const;

/** `s3ir-` + run id must fit RoleSessionName: 2–64 characters of `[\w+=,.@-]`. */
export const ROLE_SESSION_NAME_LIMIT = 64;

/** SQS takes at most 10 entries per batch call (SendMessageBatch, ChangeMessageVisibilityBatch…). */
export const SQS_BATCH_LIMIT = 10;
