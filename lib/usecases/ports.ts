import type { AuditSink } from '../core/audit/types.js';
import type { DesiredBucket } from '../core/desired/types.js';
import type { ChangeIntent, IntentLogPort } from '../core/reconcile/intents.js';
import type { ApplyContext, ApplyPorts, InventoryPort } from '../core/reconcile/ports.js';
import type { BucketFacts, PlanOptions } from '../core/reconcile/types.js';
import type { ChangeBrake } from './brake/ports.js';
import type { BucketLocation } from './reconcileBucket/readBucketState.js';

/** A bucket's desired state as the table holds it, with where the bucket lives when the item says so. */
export interface StoredDesiredBucket extends DesiredBucket {
  /** The bucket's account when it is not the home account. */
  account?: string;
  /** Kept once learned: a bucket never moves (DESIGN, cost). */
  region?: string;
}

/** Reads one bucket's whole desired state (its items and the templates that select it). */
export interface DesiredStore {
  /** `undefined` when nothing is declared for the bucket. */
  getBucket(bucket: string, location?: BucketLocation): Promise<StoredDesiredBucket | undefined>;
  /**
   * Keeps a region learned for a bucket whose desired state names none, so later reads carry it
   * (one write, once: only while it is still absent).
   */
  keepRegion?(bucket: string, region: string): Promise<void>;
}

/** A destination bucket a source delivers to, with its account when the configuration names one. */
export interface DestinationRequest {
  bucket: string;
  account?: string;
}

/** What {@link FactsPort.read} gathers facts for: one source and every destination and key it touches. */
export interface BucketFactsRequest {
  bucket: string;
  account?: string;
  region?: string;
  destinations: readonly DestinationRequest[];
  keys: readonly string[];
}

/** What a policy conflict invalidates: the destination bucket or the key whose policy moved. */
export interface FactsTarget {
  destination?: string;
  key?: string;
}

/** Reads the facts the planner needs, through a per-run cache shared by every source. */
export interface FactsPort {
  /** The bucket's region (asked only when the desired state does not keep it). */
  bucketRegion(bucket: string, account?: string): Promise<string>;
  read(request: BucketFactsRequest): Promise<BucketFacts>;
  /** Forgets cached facts of a policy another worker changed, so the next read sees the new policy. */
  invalidate(target: FactsTarget): void;
}

/** Where a source bucket lives: the scope its inventory client needs. */
export interface BucketScope {
  bucket: string;
  account?: string;
  region: string;
}

/** Everything {@link reconcileBucket} needs; built once per cold start (facts once per run). */
export interface ReconcileBucketDeps {
  desired: DesiredStore;
  facts: FactsPort;
  /** The inventory port of the source bucket's account and region. */
  inventoryFor(scope: BucketScope): InventoryPort;
  /** Every port `apply` may touch, with destination and key clients chosen by the facts. */
  applyPortsFor(scope: BucketScope, facts: BucketFacts): ApplyPorts;
  /**
   * The accounts reports may go to and buckets may live in (lib/core/reconcile/allowedAccounts): from the
   * deployment's settings, never from the table; the home account resolves on first use.
   */
  allowedAccounts(): Promise<ReadonlySet<string>>;
  /** Where terminal failures found outside `apply` are recorded. */
  audit: AuditSink;
  context: ApplyContext;
  /** The blast-radius limits: a single bucket over them is report-only without asking the brake. */
  limits?: PlanOptions;
  /**
   * The account-wide brake (lib/usecases/brake/accountBrake): a bucket reserves its changes before it
   * writes; while the service is on hold it is handled in detect mode. Absent: no brake at all.
   */
  brake?: ChangeBrake;
  /** Re-plans after a conflict before giving up as retryable (default 3). */
  maxReplans?: number;
  /**
   * Intents of writes (issue 17): `apply` records one before each write; a reconcile first resolves the
   * bucket's unfinished ones (lib/usecases/reconcileBucket/resolveIntents). Absent: neither.
   */
  intents?: IntentStore;
  /** How old an unfinished intent must be before it is taken for a dead worker's (default INTENT_GRACE_MS). */
  intentGraceMs?: number;
}

/** The intents of the service's writes: `apply`'s log, and the unfinished ones of a bucket. */
export interface IntentStore extends IntentLogPort {
  /** The bucket's intents not completed yet, oldest first. */
  pending(bucket: string): Promise<ChangeIntent[]>;
  /**
   * `record` checks the hold in the same request (#18 point 4): it answers `IntentHeld` while one is in
   * force, so a brake without limits need not read the hold before the plan (BrakeRequest.holdCheckedAtWrite).
   */
  readonly checksHold?: boolean;
}
