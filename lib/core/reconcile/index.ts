export type { CloudTrailChange, DesiredIndex } from '../../usecases/fanOut/changeTargets.js';
export { changeTargets, desiredIndex } from '../../usecases/fanOut/changeTargets.js';
export type { DesiredChangesDeps } from '../../usecases/fanOut/desiredChanges.js';
export { handleDesiredChange } from '../../usecases/fanOut/desiredChanges.js';
export type { CallerIdentity } from '../../usecases/fanOut/ownCalls.js';
export { isOwnCall } from '../../usecases/fanOut/ownCalls.js';
export type {
  BucketFactsRequest,
  BucketScope,
  DesiredStore,
  DestinationRequest,
  FactsPort,
  FactsTarget,
  ReconcileBucketDeps,
  StoredDesiredBucket,
} from '../../usecases/ports.js';
export { POLICY_LEASE_WAIT, policyLeaseKey } from '../../usecases/reconcileBucket/policyLease.js';
export type { ReconcileOutcome } from '../../usecases/reconcileBucket/reconcileBucket.js';
export { ReconcileStatus, reconcileBucket } from '../../usecases/reconcileBucket/reconcileBucket.js';
export type { BucketMessage, ReconcileQueue } from '../../usecases/reconcileMessage/bucketMessage.js';
export {
  formatBucketMessage,
  InvalidBucketMessageError,
  parseBucketMessage,
} from '../../usecases/reconcileMessage/bucketMessage.js';
export {
  DeadlineError,
  deadlineMarginMs,
  maxReceiveCount,
  WORKER_DEFAULTS,
} from '../../usecases/reconcileMessage/deadline.js';
export type {
  MessageReport,
  ReconcileMessageOptions,
} from '../../usecases/reconcileMessage/reconcileMessage.js';
export { reconcileMessage } from '../../usecases/reconcileMessage/reconcileMessage.js';
export type { BucketTagSource, DesiredCatalog, SweepDeps } from '../../usecases/sweep/sweep.js';
export { runSweep, selectedByTemplates, sweepBuckets } from '../../usecases/sweep/sweep.js';
export { apply } from './apply.js';
export { PlanInvariantError, ReconcileError } from './errors.js';
export { factsRequestFor } from './factsRequest.js';
export { plan } from './plan.js';
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
export { describeFailure, isRetryable, RetryableReconcileError, RetryReason } from './reconcileErrors.js';
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
