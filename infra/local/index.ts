export {
  DynamoDbLocalFetchError,
  JavaNotFoundError,
  LocalAwsError,
  MotoNotFoundError,
  ResourceDefinitionError,
  ServiceStartError,
} from './errors.js';
export { startLocalAws } from './localAws.js';
export type { LocalAws, LocalAwsEnv, LocalAwsOptions } from './types.js';
