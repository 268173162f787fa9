export { allowsDelivery, evaluateDelivery } from './allowsDelivery.js';
export { DESTINATION_GRANT_SID, KEY_GRANT_SID, POLICY_SIZE_LIMITS } from './constants.js';
export { ensureDelivery } from './ensureDelivery.js';
export { DeliveryDeniedError, MalformedPolicyError, PolicyError, PolicySizeLimitError } from './errors.js';
export { findGrant } from './grantStatement.js';
export { guardPolicyWrite, type PolicyWrite } from './guardPolicyWrite.js';
export { PolicyWriteRefusedError } from './PolicyWriteRefusedError.js';
export { parsePolicy, serializePolicy } from './parsePolicy.js';
export { removeDelivery } from './removeDelivery.js';
export { requiredDestinationStatement, requiredKeyStatement } from './requiredStatements.js';
export type {
  DeliverySource,
  DeliveryVerdict,
  GrantTarget,
  PolicyChange,
  PolicyDocument,
  PolicyStatement,
} from './types.js';
