export type { ServiceDeps } from '../../wiring/createServiceDeps.js';
export { createServiceDeps } from '../../wiring/createServiceDeps.js';
export type { ServiceConfig } from '../../wiring/serviceConfig.js';
export { readServiceConfig, ServiceConfigError } from '../../wiring/serviceConfig.js';
export type { AwsFactsReaderOptions, FactsClients } from './AwsFactsReader.js';
export { AwsFactsReader } from './AwsFactsReader.js';
export type { AssumeRoleCredentialsOptions } from './assumeRoleCredentials.js';
export { assumeRoleCredentials, roleSessionName } from './assumeRoleCredentials.js';
export type { AwsClientClass, AwsClientConfig, ClientFactoryOptions } from './ClientFactory.js';
export { ClientFactory } from './ClientFactory.js';
export { AWS_DEFAULTS } from './constants.js';
export type { DynamoAlertOutboxOptions } from './DynamoAlertOutbox.js';
export { DynamoAlertOutbox, OUTBOX_PARTITION } from './DynamoAlertOutbox.js';
export type { AuditPageOptions, DynamoAuditReaderOptions } from './DynamoAuditReader.js';
export { auditReaderFor, auditTableClient, DynamoAuditReader, MAX_AUDIT_PAGE } from './DynamoAuditReader.js';
export type { DynamoAuditSinkOptions } from './DynamoAuditSink.js';
export { auditItem, DynamoAuditSink } from './DynamoAuditSink.js';
export type { BucketTagsReader, DesiredItemKey, DynamoDesiredStoreOptions } from './DynamoDesiredStore.js';
export { DesiredConflictError, DynamoDesiredStore, LEARNED_SOURCE } from './DynamoDesiredStore.js';
export type { DynamoPolicyLeaseOptions } from './DynamoPolicyLease.js';
export { DynamoPolicyLease, LEASE_PARTITION } from './DynamoPolicyLease.js';
export type { DynamoRunBudgetOptions } from './DynamoRunBudget.js';
export { DynamoRunBudget, grantAttribute, RUNS_PARTITION } from './DynamoRunBudget.js';
export type { DynamoStatusStoreOptions } from './DynamoStatusStore.js';
export { DynamoStatusStore, STATUS_ATTRIBUTES, STATUS_ID, statusFromItem } from './DynamoStatusStore.js';
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
export type { RunFactsReaderOptions } from './RunFactsReader.js';
export { RunFactsReader, RunFactsReaders } from './RunFactsReader.js';
export type { S3BucketPolicyAdapterOptions } from './S3BucketPolicyAdapter.js';
export { S3BucketPolicyAdapter } from './S3BucketPolicyAdapter.js';
export type { S3InventoryAdapterOptions } from './S3InventoryAdapter.js';
export { S3InventoryAdapter } from './S3InventoryAdapter.js';
export type { SnsAlertPublisherOptions } from './SnsAlertPublisher.js';
export { SnsAlertPublisher } from './SnsAlertPublisher.js';
export type { SqsMessageVisibilityOptions } from './SqsMessageVisibility.js';
export { SqsMessageVisibility } from './SqsMessageVisibility.js';
export type { SqsReconcileQueueOptions } from './SqsReconcileQueue.js';
export { SqsReconcileQueue } from './SqsReconcileQueue.js';
export { kmsKeyScope, regionFromLocation } from './scopes.js';
export type { QueueRef } from './sqsQueueUrl.js';
export { parseQueueArn, queueUrlOf } from './sqsQueueUrl.js';
export type { StreamRecordLike } from './streamImages.js';
export { streamChange, unmarshallImage } from './streamImages.js';
export type { TaggingBucketSourceOptions } from './TaggingBucketSource.js';
export { TaggingBucketSource } from './TaggingBucketSource.js';
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
export type { VerifyAuditTableOptions } from './verifyAuditTable.js';
export { verifyAuditTable } from './verifyAuditTable.js';
