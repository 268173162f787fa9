/**
 * The drift status of one bucket, kept so that alerts fire on transitions, not on every sweep.
 * Stored as the bucket's `#status` item in the service's state table (lib/adapters/aws/DynamoStatusStore).
 */
export const BucketState = {
  InSync: 'in-sync',
  Drifted: 'drifted',
  ActionRequired: 'action-required',
  Failed: 'failed',
} as const;
export type BucketState = (typeof BucketState)[keyof typeof BucketState];

/** What can be wrong with a bucket at once; each has its own alert lifecycle. */
export type BucketCondition = 'drift' | 'action-required' | 'failure';

/** One condition that currently holds. */
export interface ConditionStatus {
  /** Identifies what exactly is wrong (hash of the drift, findings or failure): a change re-alerts. */
  fingerprint: string;
  /** ISO 8601 UTC: since when this condition holds (unchanged fingerprint). */
  since: string;
  /** ISO 8601 UTC: when its last alert was sent (the reminder interval counts from here). */
  lastAlertAt: string;
  /** One line, as the last alert said it. */
  summary: string;
}

export interface BucketStatus {
  bucket: string;
  /** The worst condition that holds: failed > action-required > drifted > in-sync. */
  state: BucketState;
  /** ISO 8601 UTC: since when `state` holds. */
  since: string;
  conditions: Partial<Record<BucketCondition, ConditionStatus>>;
  /** The run that last changed this status. */
  runId: string;
  /** Optimistic concurrency: the store writes only when the stored version is still this one. */
  version: number;
}

/** Where statuses live. */
export interface StatusStore {
  get(bucket: string): Promise<BucketStatus | undefined>;
  /** Writes `status` if the stored version is still `status.version - 1` (absent for 1); false if not. */
  put(status: BucketStatus): Promise<boolean>;
  /** Every bucket's status, sorted by bucket. */
  list(): Promise<BucketStatus[]>;
}
