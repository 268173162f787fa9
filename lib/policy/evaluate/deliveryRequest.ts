import { reportObjectArns, sourceBucketArn } from '../arns.js';
import { S3_SERVICE_PRINCIPAL } from '../constants.js';
import type { DeliverySource, GrantTarget } from '../types.js';

/** One request S3 makes when it delivers a report, as a policy evaluator sees it. */
export interface DeliveryRequest {
  principalService: string;
  action: string;
  /** `undefined` for a key policy when the key ARN is not known: only a resource of `*` surely matches it. */
  resource: string | undefined;
  /** Request context, keyed by lower-cased condition key (condition keys are case-insensitive). */
  context: ReadonlyMap<string, string>;
  /** Keys the request carries but whose value cannot be known here (lower-cased): comparing them is 'unknown'. */
  unknownKeys: ReadonlySet<string>;
}

// Present in every request (IAM global keys) or possibly present for a service principal, with values we
// cannot predict; treating them as absent would make a Deny on them look harmless.
const UNKNOWN_KEYS: ReadonlySet<string> = new Set([
  'aws:currenttime',
  'aws:epochtime',
  'aws:requestedregion',
  'aws:viaawsservice',
  'aws:sourceip',
]);

/**
 * Builds the requests S3 makes to deliver a report: one `s3:PutObject` per kind of object it writes to the
 * destination, or the `kms:GenerateDataKey` on the key that encrypts them. Keys it neither sets nor lists as
 * unknown, such as `aws:PrincipalOrgID`, are absent for a service principal, which matters for negated operators.
 */
export function deliveryRequests(source: DeliverySource, target: GrantTarget): DeliveryRequest[] {
  const context = new Map<string, string>([
    ['aws:sourcearn', sourceBucketArn(source)],
    ['aws:sourceaccount', source.sourceAccount],
    ['aws:securetransport', 'true'],
    ['aws:principalservicename', S3_SERVICE_PRINCIPAL],
    ['aws:principalisawsservice', 'true'],
  ]);
  const common = { principalService: S3_SERVICE_PRINCIPAL, context, unknownKeys: UNKNOWN_KEYS };
  if (target === 'key-policy') {
    return [{ ...common, action: 'kms:GenerateDataKey', resource: source.keyArn }];
  }
  context.set('s3:x-amz-acl', 'bucket-owner-full-control');
  return reportObjectArns(source).map((resource) => ({ ...common, action: 's3:PutObject', resource }));
}
