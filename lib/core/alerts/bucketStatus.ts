import type { AdoptionEntry } from './adoptionSummary.js';

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
  /**
   * Writes `status` as {@link put} does and adds `entry` to its run and account's adoption summary in the same
   * request (#18 point 4: a bucket's first reconcile). Absent: `put`, and the summary on its own.
   */
  putWithSummary?(status: BucketStatus, entry: AdoptionEntry, now: Date): Promise<SummarisedWrite>;
}

/** What {@link StatusStore.putWithSummary} did. */
export interface SummarisedWrite {
  /** The status was written; false: the stored version was not the one expected (another run wrote first). */
  written: boolean;
  /** The entry is in its summary (added now, or by an earlier try); false: the caller adds it on its own. */
  summarised: boolean;
}
