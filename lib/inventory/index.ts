export { bucketNameFromArn } from './bucketArn.js';
export {
  configurationLeaves,
  configurationsEqual,
  diffConfigurations,
  diffFields,
} from './diffConfigurations.js';
export { ConfigurationIdError, InvalidConfigurationError, InventoryError } from './errors.js';
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
