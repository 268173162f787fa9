export { apply } from './apply.js';
export type { BucketMessage, ReconcileQueue } from './bucketMessage.js';
export { formatBucketMessage, InvalidBucketMessageError, parseBucketMessage } from './bucketMessage.js';
export type { CloudTrailChange, DesiredIndex } from './changeTargets.js';
export { changeTargets, desiredIndex } from './changeTargets.js';
export { DeadlineError, deadlineMarginMs, maxReceiveCount, WORKER_DEFAULTS } from './deadline.js';
export type { DesiredChangesDeps } from './desiredChanges.js';
export { handleDesiredChange } from './desiredChanges.js';
export { PlanInvariantError, ReconcileError } from './errors.js';
export { factsRequestFor } from './factsRequest.js';
export type { CallerIdentity } from './ownCalls.js';
export { isOwnCall } from './ownCalls.js';
export { plan } from './plan.js';
export { POLICY_LEASE_WAIT, policyLeaseKey } from './policyLease.js';
export type {
  ApplyContext,
  ApplyPorts,
  BucketPolicyPort,
  InventoryPort,
  KeyPolicyPort,
  LeaseAttempt,
  LeaseHolder,
  LeaseWaitOptions,
  PolicyLease,
  PolicyLeasePort,
} from './ports.js';
export type { ReconcileOutcome } from './reconcileBucket.js';
export { ReconcileStatus, reconcileBucket } from './reconcileBucket.js';
export { describeFailure, isRetryable, RetryableReconcileError, RetryReason } from './reconcileErrors.js';
export type { MessageReport, ReconcileMessageOptions } from './reconcileMessage.js';
export { reconcileMessage } from './reconcileMessage.js';
export type {
  BucketFactsRequest,
  BucketScope,
  DesiredStore,
  DestinationRequest,
  FactsPort,
  FactsTarget,
  ReconcileBucketDeps,
  StoredDesiredBucket,
} from './servicePorts.js';
export type { BucketTagSource, DesiredCatalog, SweepDeps } from './sweep.js';
export { runSweep, selectedByTemplates, sweepBuckets } from './sweep.js';
export type {
  ActionOutcome,
  ApplyResult,
  BucketFacts,
  DesiredBucket,
  DesiredItem,
  DestinationFacts,
  Finding,
  KeyFacts,
  ObservedPolicy,
  Plan,
  PlanAction,
  PlanActionKind,
  PlanOptions,
} from './types.js';
export { ActionStatus, FindingKind, ReconcileMode } from './types.js';
