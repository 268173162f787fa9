export { apply } from './apply.js';
export { PlanInvariantError, ReconcileError } from './errors.js';
export { plan } from './plan.js';
export type {
  ApplyContext,
  ApplyPorts,
  BucketPolicyPort,
  InventoryPort,
  KeyPolicyPort,
} from './ports.js';
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
