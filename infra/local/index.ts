export type { DeliveryResult } from './delivery/types.js';
export {
  DynamoDbLocalFetchError,
  JavaNotFoundError,
  LocalAwsError,
  MotoNotFoundError,
  ResourceDefinitionError,
  ServiceStartError,
} from './errors.js';
export type {
  ChangeEventListener,
  ChangeEventPage,
  CloudTrailApiCallEvent,
  CloudTrailUserIdentity,
} from './events/types.js';
export type { FaultRuleInput, FaultRuleView } from './faults/types.js';
export { startLocalAws } from './localAws.js';
export type { LocalAws, LocalAwsEnv, LocalAwsOptions } from './types.js';
