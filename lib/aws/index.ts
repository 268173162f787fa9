export type { AwsFactsReaderOptions, FactsClients } from './AwsFactsReader.js';
export { AwsFactsReader } from './AwsFactsReader.js';
export type { AssumeRoleCredentialsOptions } from './assumeRoleCredentials.js';
export { assumeRoleCredentials, roleSessionName } from './assumeRoleCredentials.js';
export type { AwsClientClass, AwsClientConfig, ClientFactoryOptions } from './ClientFactory.js';
export { ClientFactory } from './ClientFactory.js';
export { AWS_DEFAULTS } from './constants.js';
export { destinationClients } from './destinationClients.js';
export type { AwsAdapterErrorDetails } from './errors.js';
export {
  AccessDeniedError,
  AwsAdapterError,
  MissingResource,
  NotFoundError,
  ThrottledError,
} from './errors.js';
export type { KmsKeyPolicyAdapterOptions } from './KmsKeyPolicyAdapter.js';
export { KmsKeyPolicyAdapter } from './KmsKeyPolicyAdapter.js';
export { RunCache } from './RunCache.js';
export type { S3BucketPolicyAdapterOptions } from './S3BucketPolicyAdapter.js';
export { S3BucketPolicyAdapter } from './S3BucketPolicyAdapter.js';
export type { S3InventoryAdapterOptions } from './S3InventoryAdapter.js';
export { S3InventoryAdapter } from './S3InventoryAdapter.js';
export { kmsKeyScope, regionFromLocation } from './scopes.js';
export { callAws, toAdapterError } from './toAdapterError.js';
export type {
  AwsCredentials,
  ClientScope,
  ClientSource,
  CredentialProvider,
  DestinationRef,
  FactsRequest,
} from './types.js';
export { WritableAccounts } from './types.js';
