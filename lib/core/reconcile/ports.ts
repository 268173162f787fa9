import type { AuditSink } from '../audit/types.js';
import type { InventoryConfiguration } from '../inventory/types.js';
import type { PolicyDocument } from '../policy/types.js';
import type { ChangeCause } from './changeCause.js';
import type { IntentLogPort } from './intents.js';

/** Inventory configurations of source buckets. Adapters page through every list page. */
export interface InventoryPort {
  list(bucket: string): Promise<InventoryConfiguration[]>;
  get(bucket: string, id: string): Promise<InventoryConfiguration | undefined>;
  put(bucket: string, configuration: InventoryConfiguration): Promise<void>;
  delete(bucket: string, id: string): Promise<void>;
}

/** Destination bucket policies; `undefined` means the bucket has no policy. */
export interface BucketPolicyPort {
  get(bucket: string): Promise<PolicyDocument | undefined>;
  put(bucket: string, document: PolicyDocument): Promise<void>;
  delete(bucket: string): Promise<void>;
}

/** KMS key policies (the `default` policy; a key always has one). */
export interface KeyPolicyPort {
  get(keyArn: string): Promise<PolicyDocument>;
  put(keyArn: string, document: PolicyDocument): Promise<void>;
}

/** A lease this worker holds on one shared policy, until it releases it or `expiresAt` passes. */
export interface PolicyLease {
  /** From then on another worker may take the lease over (a crashed holder never releases). */
  readonly expiresAt: Date;
  /** Gives the lease up; a no-op when it already expired and another worker took it over. */
  release(): Promise<void>;
}

/** Who holds a lease that could not be taken, and until when. */
export interface LeaseHolder {
  holder: string;
  expiresAt: Date;
}

/** One try at a lease: taken, or busy with its current holder. */
export type LeaseAttempt = { acquired: true; lease: PolicyLease } | { acquired: false; heldBy: LeaseHolder };

/**
 * Mutual exclusion on a policy that many sources share (a destination bucket policy, a KMS key policy).
 * S3 PutBucketPolicy and KMS PutKeyPolicy have no conditional write, so two workers that both saw the
 * policy as the plan did would each write a document built without the other's grant: one is lost.
 * `apply` holds the policy's lease around read, compare, write and re-read. One try per call, no waiting:
 * `apply` waits (lib/core/reconcile/policyLease.ts).
 */
export interface PolicyLeasePort {
  /** `key` names the policy (the same for every worker), `holder` this attempt (unique per apply). */
  tryAcquire(key: string, holder: string): Promise<LeaseAttempt>;
}

/** Everything `apply` may touch. */
export interface ApplyPorts {
  inventory: InventoryPort;
  bucketPolicy: BucketPolicyPort;
  keyPolicy: KeyPolicyPort;
  /** Leases on the destination and key policies that policy actions write. */
  policyLease: PolicyLeasePort;
  audit: AuditSink;
  /**
   * Where each write's intent is recorded before it is made and completed once it is recorded (issue 17).
   * Absent (plans, tests of other concerns): writes are made without one.
   */
  intents?: IntentLogPort;
}

/** How `apply` waits for a busy policy lease; every field has a default (POLICY_LEASE_WAIT). */
export interface LeaseWaitOptions {
  /** Give up (the action ends `conflict`) once this long has passed waiting for one lease. */
  budgetMs?: number;
  /** The first back-off; each later one doubles, up to `maxDelayMs`, with jitter. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Do not start a write with less than this left on the lease (the write must end before it lapses). */
  writeMarginMs?: number;
  /** Milliseconds, monotonic enough to measure the wait; default `Date.now`. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter; default `Math.random`. */
  random?: () => number;
}

/** Who runs, and when: stamped on every audit event. */
export interface ApplyContext {
  runId: string;
  actor: string;
  now?: () => Date;
  /** Waiting for busy policy leases; defaults suit the Lambda (tests shorten them). */
  leaseWait?: LeaseWaitOptions;
  /**
   * The CloudTrail change events that woke this reconcile: each drift and change event records the newest
   * one about its subject as its `cause` (lib/core/reconcile/changeCause.ts). Never read by `plan`.
   */
  causes?: readonly ChangeCause[];
}
