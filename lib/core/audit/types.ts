import type { BreakKind } from './breakKinds.js';

/** Audit actions of the Contract (DESIGN.md). More may be added; none may be renamed. */
export const AuditAction = {
  InventoryCreated: 'inventory-created',
  InventoryUpdated: 'inventory-updated',
  InventoryDeleted: 'inventory-deleted',
  DestinationPolicyUpdated: 'destination-policy-updated',
  KeyPolicyUpdated: 'key-policy-updated',
  DriftDetected: 'drift-detected',
  DesiredStateChanged: 'desired-state-changed',
  ReconcileFailed: 'reconcile-failed',
  DeliveryFailed: 'delivery-failed',
  DeliveryRestored: 'delivery-restored',
  /** Drift recorded earlier is gone (fixed by hand, or the desired state changed): the status transition. */
  DriftResolved: 'drift-resolved',
  /** A finding a human must act on (e.g. the exact statement another account must add). */
  ActionRequired: 'action-required',

  // Intents (issue 17, "no change without its record"): lib/core/reconcile/intents.ts.
  /** A change a worker recorded its intent for and then stopped: AWS reads as if it never happened. */
  ChangeNotApplied: 'change-not-applied',
  // The account-wide brake (lib/core/brake), in the `#hold` chain: the service put on hold, and a human
  // lifting it (`s3ir hold release`, with the caller's identity).
  HoldStarted: 'hold-started',
  HoldReleased: 'hold-released',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

/** One audit event, exactly as `s3ir audit --json` prints it (Contract). */
export interface AuditEvent {
  /** Deterministic: the same run, bucket, action, subject and change always give the same id (lib/core/audit/eventId.ts). */
  eventId: string;
  /** ISO 8601 UTC. */
  time: string;
  runId: string;
  bucket: string;
  configId?: string;
  action: AuditAction;
  actor: string;
  before?: unknown;
  after?: unknown;
  message?: string;
  /** What a policy event changed: the destination bucket or the key ARN. */
  target?: string;
  /**
   * Who made the change this event is about, when a CloudTrail change event woke the reconcile
   * (`drift-detected` and the change events that revert it); `actor` stays whoever recorded the event.
   */
  cause?: AuditCause;
  /**
   * Set on events recorded while resolving an unfinished intent (lib/core/reconcile/intents.ts): the id of
   * the change the intent announced (the `eventId` that change has, or would have had, once recorded).
   */
  intentId?: string;
  /** Set by the audit store: position in the bucket's hash chain (1, 2, …). */
  seq?: number;
  /** Set by the audit store: `hash` of the previous event of the chain (64 zeros for seq 1). */
  prevHash?: string;
  /** Set by the audit store: sha256 of this event as stored (lib/core/audit/chainHash.ts). */
  hash?: string;
  /** Set by the audit store when retention is on: when DynamoDB TTL may delete it (epoch seconds). */
  expiresAt?: number;
  /** Set by the audit store: `expiresAt` of the previous event, so a gap TTL left can be told from a deletion. */
  prevExpiresAt?: number;
}

/**
 * The caller of the CloudTrail-recorded API call that caused drift (lib/core/reconcile/changeCause.ts): metadata
 * for the record, never an input to the plan.
 */
export interface AuditCause {
  /** `userIdentity.arn` (else the AWS service that invoked the call, else `account:<id>`). */
  actor: string;
  /** `sourceIPAddress`: an IP address, or an AWS service's name for calls a service made. */
  sourceIp?: string;
  /** `eventTime`, ISO 8601 UTC. */
  time: string;
  /** CloudTrail's `eventID`: finds the call in CloudTrail's event history. */
  eventId: string;
  /** `eventName`, e.g. `PutBucketInventoryConfiguration`. */
  eventName?: string;
}

/** Where the reconcile core records events (the append-only, hash-chained store: lib/adapters/aws/DynamoAuditSink). */
export interface AuditSink {
  record(event: AuditEvent): Promise<void>;
  /**
   * #18 point 4: the chains (buckets) the next events will likely go to, e.g. a reconcile batch's, so a sink
   * can learn their heads in one read when the first is recorded; a hint only, never required.
   */
  expect?(buckets: readonly string[]): void;
}

/** Which events to read; every field narrows. Times are ISO 8601 UTC, both ends inclusive. */
export interface AuditQuery {
  bucket?: string;
  runId?: string;
  action?: string;
  since?: string;
  until?: string;
}

/** One page of events, newest first; `next` (opaque, URL-safe) asks for the following page. */
export interface AuditPage {
  events: AuditEvent[];
  next?: string;
}

/** Where one chain is broken: the first event (in seq order) that does not check out, and why. */
export interface ChainBreak {
  /** What was found (lib/core/audit/breakKinds.ts); verifyChain always sets it. */
  kind?: BreakKind;
  bucket: string;
  eventId?: string;
  seq?: number;
  /** The event's own `time`, when the break is at an event. */
  time?: string;
  reason: string;
}

/** What `s3ir audit verify` found: the first break of each broken chain, sorted by bucket. */
export interface VerifyReport {
  intact: boolean;
  /** Buckets with a chain (events or a head). */
  chains: number;
  events: number;
  breaks: ChainBreak[];
}
