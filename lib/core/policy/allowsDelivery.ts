import { deliveryRequests } from './evaluate/deliveryRequest.js';
import { type Evaluation, evaluateRequests } from './evaluate/evaluateStatements.js';
import type { DeliverySource, DeliveryVerdict, GrantTarget, PolicyDocument } from './types.js';

/**
 * Decides, as IAM would, whether a destination bucket policy lets S3 write this source's reports
 * (`s3:PutObject` of every object of a report) or a key policy lets S3 encrypt them (`kms:GenerateDataKey`).
 * Any broader grant counts. An absent policy is an implicit deny.
 * @example evaluateDelivery(policy, source) // 'allowed' | 'implicit-deny' | 'explicit-deny'
 */
export function evaluateDelivery(
  document: PolicyDocument | undefined,
  source: DeliverySource,
  target: GrantTarget = 'destination-policy',
): DeliveryVerdict {
  return explainDelivery(document, source, target).verdict;
}

/**
 * {@link evaluateDelivery} with, for an explicit deny, the statement that denies (its Sid and position), so a
 * refusal can name it.
 * @example explainDelivery(policy, source) // { verdict: 'explicit-deny', denying: { sid: 'DenyOutsideOrg', index: 1 } }
 */
export function explainDelivery(
  document: PolicyDocument | undefined,
  source: DeliverySource,
  target: GrantTarget = 'destination-policy',
): Evaluation {
  return evaluateRequests(document, deliveryRequests(source, target));
}

/** Whether the policy lets S3 deliver this source's reports: `evaluateDelivery(…) === 'allowed'`. */
export function allowsDelivery(
  document: PolicyDocument | undefined,
  source: DeliverySource,
  target: GrantTarget = 'destination-policy',
): boolean {
  return evaluateDelivery(document, source, target) === 'allowed';
}
