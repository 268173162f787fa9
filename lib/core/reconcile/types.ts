import type { ReconcileMode } from '../desired/types.js';
import type {
  ConfigurationDrift,
  FieldChange,
  InventoryConfiguration,
  ValidationIssue,
} from '../inventory/types.js';
import type { PolicyDocument, PolicyStatement } from '../policy/types.js';
import type { HoldFound } from './intents.js';

/** A policy as observed: absent, present, or not readable by us (another account's bucket). */
export type ObservedPolicy =
  | { state: 'none' }
  | { state: 'present'; document: PolicyDocument }
  | { state: 'unreadable'; reason: string };

/** What the adapters observed about one destination bucket. */
export interface DestinationFacts {
  bucket: string;
  exists: boolean;
  /** Undefined when it could not be learned. */
  region?: string;
  /** Owning account, when known. */
  account?: string;
  policy: ObservedPolicy;
  /** Whether this service may change the destination's policy (an account it manages). */
  writable: boolean;
  /** True only when S3 accepted a call on this bucket with ExpectedBucketOwner = account. */
  ownerVerified?: boolean;
}

/** What the adapters observed about one KMS key named by `SSEKMS.KeyId`. */
export interface KeyFacts {
  keyArn: string;
  exists: boolean;
  region?: string;
  account?: string;
  /** KeyMetadata.KeyState: Enabled, Disabled, PendingDeletion, … */
  keyState?: string;
  /** KeyMetadata.KeyManager: AWS or CUSTOMER. */
  keyManager?: string;
  /** KeyMetadata.KeySpec, e.g. SYMMETRIC_DEFAULT. */
  keySpec?: string;
  /** KeyMetadata.KeyUsage, e.g. ENCRYPT_DECRYPT. */
  keyUsage?: string;
  policy: ObservedPolicy;
  writable: boolean;
  /** Whether the key has the tag s3ir:inventory-key = true (IAM allows PutKeyPolicy only then); undefined when unknown. */
  inventoryKeyTag?: boolean;
}

/** Everything the planner needs besides desired and actual configurations; gathered by adapters. */
export interface BucketFacts {
  bucket: string;
  account: string;
  region: string;
  /** By destination bucket name. */
  destinations: Record<string, DestinationFacts>;
  /** By full key ARN. */
  keys: Record<string, KeyFacts>;
}

/** Guards for one plan. `remainingChanges`/`remainingDeletes` are what is left of the run's blast radius. */
export interface PlanOptions {
  remainingChanges?: number;
  remainingDeletes?: number;
  /**
   * The accounts reports may go to (`S3IR_ALLOWED_ACCOUNTS` with the home account, lib/core/reconcile/allowedAccounts).
   * Absent: the source bucket's own account alone.
   */
  allowedAccounts?: ReadonlySet<string>;
}

interface ActionBase {
  /** Deterministic key, unique in the plan, e.g. `create-configuration:inv-1`, `grant-destination:dest`. */
  key: string;
  /** `detect` actions are shown and recorded as drift, never executed. */
  mode: ReconcileMode;
  /** Keys of actions that must succeed before this one runs. */
  dependsOn: string[];
  /** One line: why this action is needed. */
  reason: string;
}

export type PlanAction =
  | (ActionBase & {
      kind: 'grant-destination' | 'revoke-destination';
      destinationBucket: string;
      before: PolicyDocument | undefined;
      /** `undefined` only for a revoke that empties a policy that held only our statement: delete it. */
      after: PolicyDocument | undefined;
      /** Set by the sweep's grant step (#18): the accounts it sets our statement to. */
      accounts?: AccountChange;
    })
  | (ActionBase & {
      kind: 'grant-key' | 'revoke-key';
      keyArn: string;
      before: PolicyDocument;
      after: PolicyDocument;
      /** Set by the sweep's grant step (#18): the accounts it sets our statement to. */
      accounts?: AccountChange;
    })
  | (ActionBase & { kind: 'create-configuration'; id: string; after: InventoryConfiguration })
  | (ActionBase & {
      kind: 'update-configuration';
      id: string;
      before: InventoryConfiguration;
      after: InventoryConfiguration;
      fields: FieldChange[];
    })
  | (ActionBase & { kind: 'delete-configuration'; id: string; before: InventoryConfiguration });

export type PlanActionKind = PlanAction['kind'];

/**
 * A sweep-level grant (#18 point 4, lib/core/grants): our account-keyed statement set to `accounts`, the
 * accounts the whole desired catalog reaches; `added` and `removed` against the statement read.
 */
export interface AccountChange {
  accounts: string[];
  added: string[];
  removed: string[];
}

/** The actions on one inventory configuration (create, update, delete). */
export type ConfigurationAction = Extract<PlanAction, { id: string }>;

export const FindingKind = {
  InvalidDesired: 'invalid-desired',
  DestinationMissing: 'destination-missing',
  DestinationRegionMismatch: 'destination-region-mismatch',
  DestinationAccountMismatch: 'destination-account-mismatch',
  DestinationGrantRequired: 'destination-grant-required',
  DestinationDenied: 'destination-denied',
  /** The destination's owner (declared by AccountId, or verified) is not in S3IR_ALLOWED_ACCOUNTS. */
  DestinationNotAllowed: 'destination-not-allowed',
  /** S3 did not confirm, with ExpectedBucketOwner, that the account the destination should have owns it. */
  DestinationOwnerUnverified: 'destination-owner-unverified',
  /** The destination's policy lets a principal outside the allowed accounts read its objects. */
  DestinationShared: 'destination-shared',
  /** The SSE-KMS key belongs to an account outside S3IR_ALLOWED_ACCOUNTS. */
  KeyNotAllowed: 'key-not-allowed',
  /** The bucket's `account` setting names an account outside S3IR_ALLOWED_ACCOUNTS: nothing is done for it. */
  AccountNotAllowed: 'account-not-allowed',
  KeyMissing: 'key-missing',
  KeyAwsManaged: 'key-aws-managed',
  KeyNotEnabled: 'key-not-enabled',
  KeyNotSymmetric: 'key-not-symmetric',
  KeyWrongUsage: 'key-wrong-usage',
  KeyRegionMismatch: 'key-region-mismatch',
  KeyGrantRequired: 'key-grant-required',
  KeyDenied: 'key-denied',
  PolicyTooLarge: 'policy-too-large',
  BlastRadius: 'blast-radius',
} as const;
export type FindingKind = (typeof FindingKind)[keyof typeof FindingKind];

/** A problem no action of ours can fix: it needs a human. */
export interface Finding {
  kind: FindingKind;
  configId?: string;
  /** The destination bucket or key ARN concerned. */
  target?: string;
  /** The account that owns (or is said to own) `target`, or the account a bucket setting names. */
  account?: string;
  /** One line naming where and why. */
  message: string;
  /** The exact statement the owner of `target` must add (or put in place of `replacesSid`'s). */
  statement?: PolicyStatement;
  /**
   * Set when the target's policy already holds a statement with this Sid (ours, granting other sources):
   * `statement` is that statement extended with this source, and replaces it rather than joining it.
   */
  replacesSid?: string;
  /** For `invalid-desired`: every validation issue. */
  issues?: ValidationIssue[];
}

/** The plan for one bucket: what differs, what will be done in order, and what needs a human. */
export interface Plan {
  bucket: string;
  account: string;
  region: string;
  drift: ConfigurationDrift[];
  actions: PlanAction[];
  findings: Finding[];
  /**
   * Set when a guard turned the whole plan into report-only (every action then has mode `detect`): the
   * bucket's own blast radius, or the account-wide hold (lib/core/brake).
   */
  guard?: { kind: 'blast-radius' | 'hold'; reason: string };
}

/**
 * How one planned action ended in `apply`:
 * `applied` written and verified; `report-only` a `detect` action, nothing written;
 * `skipped` an action it depends on did not end `applied`; `conflict` the target changed since the plan
 * was made (re-plan); `failed` a port threw or the read-back differed from what was written;
 * `action-required` AWS refused a policy write (AccessDenied): its owner must make it (`ApplyResult.findings`).
 */
export const ActionStatus = {
  Applied: 'applied',
  ReportOnly: 'report-only',
  Skipped: 'skipped',
  Conflict: 'conflict',
  Failed: 'failed',
  ActionRequired: 'action-required',
} as const;
export type ActionStatus = (typeof ActionStatus)[keyof typeof ActionStatus];

/** The outcome of one planned action, in plan order. */
export interface ActionOutcome {
  key: string;
  kind: PlanActionKind;
  status: ActionStatus;
  /** One line, for `skipped`, `conflict`, `failed` and `action-required`: why it did not apply. */
  error?: string;
}

/** What `apply` did for one bucket. */
export interface ApplyResult {
  bucket: string;
  outcomes: ActionOutcome[];
  /**
   * Audit events the sink refused, one line each. The writes they describe stand (their outcomes say
   * so); a refused event makes the run not converged, so the caller alerts and retries.
   */
  auditErrors: string[];
  /**
   * Findings learned while applying, like the plan's: a policy write AWS refused (AccessDenied), with the
   * exact statement its owner must write. Absent when there are none.
   */
  findings?: Finding[];
  /** No outcome is `failed`, `conflict` or `skipped` and every event was recorded (report-only counts as converged). */
  converged: boolean;
  /**
   * The hold a write's intent found in force (#18 point 4: the hold checked at each write): that write and
   * every later one were not made (`report-only`). Absent when none was found.
   */
  held?: HoldFound;
}
