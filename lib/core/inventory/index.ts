export { bucketArnParts, bucketNameFromArn, bucketNameProblems } from './bucketArn.js';
export {
  configurationLeaves,
  configurationsEqual,
  diffConfigurations,
  diffFields,
} from './diffConfigurations.js';
export { ConfigurationIdError, InvalidConfigurationError, InventoryError } from './errors.js';
export { kmsKeyRegion } from './kmsKeyArn.js';
// Message wording shared with lib/desired, so a file error reads like a configuration error.
export { describeValue, expecting, oneOf, unknownFieldMessage } from './messages.js';
export { normalizeConfiguration } from './normalizeConfiguration.js';
export { inventoryConfigurationSchema } from './schema.js';
export type {
  ConfigurationDrift,
  FieldChange,
  InventoryConfiguration,
  ValidationIssue,
  ValidationResult,
} from './types.js';
export { formatIssue, validateConfiguration } from './validateConfiguration.js';
