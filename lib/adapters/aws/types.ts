/** Which role a client of another account assumes: the write-capable reconcile role or the read-only one. */
export const RolePurpose = { Reconcile: 'reconcile', Read: 'read' } as const;
export type RolePurpose = (typeof RolePurpose)[keyof typeof RolePurpose];

/** Which account and region a client talks to. Omitted members mean the home account / the default region. */
export interface ClientScope {
  account?: string;
  region?: string;
  /** The role assumed in another account (default: the factory's `purpose`); ignored for the home account. */
  purpose?: RolePurpose;
}

/** Credentials as SDK v3 clients take them; `expiration` tells the SDK when to ask again. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** A credential provider in the SDK's own shape: called whenever a client needs (fresh) credentials. */
export type CredentialProvider = () => Promise<AwsCredentials>;

/**
 * Where an adapter takes its SDK client from: one client for every call (all targets in one account and
 * region), or a resolver per target (bucket name or key ARN), e.g. `(arn) => factory.kmsForKey(arn)`.
 */
export type ClientSource<C> =
  | { client: C; clientFor?: never }
  | { clientFor: (target: string) => C | Promise<C>; client?: never };

/** Which accounts' policies this service may change: only its own, or every account it can assume into. */
export const WritableAccounts = { Home: 'home-account', Reachable: 'reachable-accounts' } as const;
export type WritableAccounts = (typeof WritableAccounts)[keyof typeof WritableAccounts];

/** A destination bucket a source delivers to; `account` is `S3BucketDestination.AccountId` when set. */
export interface DestinationRef {
  bucket: string;
  account?: string;
  /** Known region (kept from an earlier run); saves the region lookup. */
  region?: string;
}

/** What {@link AwsFactsReader.read} needs to know about one source bucket. */
export interface FactsRequest {
  bucket: string;
  /** Owning account; the home account when omitted. */
  account?: string;
  /** The bucket's region when already known (desired or status item): no lookup then. */
  region?: string;
  /** Destination buckets by name, or with their account and region. */
  destinations: readonly (string | DestinationRef)[];
  /** Full KMS key ARNs (`SSEKMS.KeyId`). */
  keys: readonly string[];
}
