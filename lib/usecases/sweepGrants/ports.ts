import type { Alert } from '../../core/alerts/types.js';
import type { AuditSink } from '../../core/audit/types.js';
import type { GrantRecord, GrantStatus } from '../../core/grants/grantRecords.js';
import type { GrantBounds } from '../../core/grants/types.js';
import type { GrantTarget } from '../../core/policy/types.js';
import type { ApplyPorts, LeaseWaitOptions } from '../../core/reconcile/ports.js';
import type { DestinationFacts, KeyFacts } from '../../core/reconcile/types.js';
import type { ChangeBrake } from '../brake/ports.js';
import type { IntentStore } from '../ports.js';
import type { DeliveryReport } from '../recordTransition/deliverAlerts.js';

/** A destination bucket to read: its expected owner (sent as ExpectedBucketOwner) and its region when known. */
export interface GrantDestinationRequest {
  bucket: string;
  account: string;
  region?: string;
}

/** The reads and writes of one sweep's grant step; a new one per sweep (its reads are cached for that sweep). */
export interface SweepGrantPorts {
  /** A destination's facts: one GetBucketPolicy (and a HeadBucket when its region is not known). */
  destination(request: GrantDestinationRequest): Promise<DestinationFacts>;
  /** A key's facts: DescribeKey, GetKeyPolicy and its tags. */
  key(keyArn: string): Promise<KeyFacts>;
  /** Forgets what was read of a policy another worker changed meanwhile, so the next read sees it. */
  invalidate(target: { destination?: string; key?: string }): void;
  /** What `apply` writes with for this holder (its account's role for a destination in another account). */
  applyPorts(holder: DestinationFacts | KeyFacts): ApplyPorts;
}

/** What the schedule's grant step needs (#18 point 4). */
export interface SweepGrantsDeps {
  /** The home account, the allowed accounts and the organization, as this sweep resolves them. */
  bounds(): Promise<GrantBounds>;
  /** The ports of one sweep. */
  portsForSweep(): SweepGrantPorts;
  /** The account-wide brake: a policy write reserves one change; while on hold it is report-only. */
  brake?: ChangeBrake;
  /**
   * Intents of the step's writes (issue 17), recorded before each write; the unfinished ones about a policy (a
   * dead schedule's, or a reconcile's) are resolved before the policy is planned. Absent: neither.
   */
  intents?: IntentStore;
  /** How old an unfinished intent must be before it is taken for a dead worker's (default INTENT_GRACE_MS). */
  intentGraceMs?: number;
  /** Policies read and written at once (default 4). */
  concurrency?: number;
  /** Waiting for a busy policy lease (default: POLICY_LEASE_WAIT). */
  leaseWait?: LeaseWaitOptions;
  /**
   * The policies the step keeps (`#grants` items): those to prune once no declaration names them, and the
   * step's status on each. Absent: only the catalog's policies are seen, and failures are not alerted.
   */
  records?: GrantRecordStore;
  /** Where the step's own failures are said (with `records`): audit events, alerts, reminders. */
  failures?: GrantFailureDeps;
}

/** The grant step's records, one per destination and key (never one per bucket). */
export interface GrantRecordStore {
  /** Every record, with its status: one read per sweep. */
  list(): Promise<GrantRecord[]>;
  /** Keeps what the step knows of a policy (its status untouched). */
  remember(record: Omit<GrantRecord, 'status'>): Promise<void>;
  /** Forgets a policy no longer managed, its status with it. */
  forget(target: GrantTarget, name: string): Promise<void>;
  /** Writes a status if the stored version is still `status.version - 1` (absent for 1); false if not. */
  putStatus(status: GrantStatus): Promise<boolean>;
}

/** What saying a failure takes: the audit sink, the alerts' delivery, the reminder interval. */
export interface GrantFailureDeps {
  audit: AuditSink;
  /** Sends the alerts (SNS, else the outbox); absent: recorded, nothing sent (no topic). */
  deliver?: (alerts: readonly Alert[]) => Promise<DeliveryReport>;
  /** An unchanged failure is alerted again this long after its last alert; 0: never. */
  reminderMs: number;
}
