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

/**
 * Keys S3's delivery request carries but whose value cannot be known here, so comparing them is 'unknown'
 * (an Allow on them does not count, a Deny on them does). From "AWS global condition context keys",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html, "Availability":
 * - always present: the request time and region; whether a service made the call on a principal's behalf.
 * - aws:SourceIp: present unless the request came through a VPC endpoint; a service's address is not ours to know.
 * - aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType: present in every signed request; the documentation
 *   does not say what they hold for a service principal, so neither a match nor a mismatch is assumed.
 * - aws:SourceOrgID, aws:SourceOrgPaths: present for a service principal's request when the source account is in an
 *   organization, which is not known here.
 * - aws:ResourceAccount, aws:ResourceOrgID, aws:ResourceOrgPaths: the destination's account and organization.
 * Every other key is absent: notably aws:PrincipalOrgID and aws:PrincipalOrgPaths (a service principal is in no
 * organization), aws:SourceVpc, aws:SourceVpce and aws:VpcSourceIp (S3 delivers from no VPC), and
 * aws:PrincipalTag/*, aws:MultiFactorAuth*, aws:TokenIssueTime (no IAM session).
 */
const UNKNOWN_KEYS: ReadonlySet<string> = new Set([
  'aws:currenttime',
  'aws:epochtime',
  'aws:requestedregion',
  'aws:viaawsservice',
  'aws:sourceip',
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principaltype',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:resourceaccount',
  'aws:resourceorgid',
  'aws:resourceorgpaths',
]);

/**
 * Builds the requests S3 makes to deliver a report: one `s3:PutObject` per kind of object it writes to the
 * destination, or the `kms:GenerateDataKey` on the key that encrypts them. Their context is that of a service
 * principal acting for the source bucket: over TLS (`aws:SecureTransport` true), `aws:PrincipalIsAWSService` true,
 * `aws:PrincipalServiceName` s3.amazonaws.com, `aws:SourceArn` the source bucket, `aws:SourceAccount` its account,
 * and for PutObject `s3:x-amz-acl` bucket-owner-full-control (the ACL S3 Inventory writes with). Keys it neither
 * sets nor lists as unknown, such as `aws:PrincipalOrgID` or `aws:SourceVpce`, are absent, which decides
 * negated and `…IfExists` operators (see conditions.ts).
 */
export function deliveryRequests(source: DeliverySource, target: GrantTarget): DeliveryRequest[] {
  const context = new Map<string, string>([
    ['aws:sourcearn', sourceBucketArn(source)],
    ['aws:sourceaccount', source.sourceAccount],
    ['aws:securetransport', 'true'],
    ['aws:principalservicename', S3_SERVICE_PRINCIPAL],
    ['aws:principalisawsservice', 'true'],
    // Multivalued: the services the principal acts for; a direct call by S3 names S3 alone.
    ['aws:principalservicenameslist', S3_SERVICE_PRINCIPAL],
  ]);
  const common = { principalService: S3_SERVICE_PRINCIPAL, context, unknownKeys: UNKNOWN_KEYS };
  if (target === 'key-policy') {
    return [{ ...common, action: 'kms:GenerateDataKey', resource: source.keyArn }];
  }
  context.set('s3:x-amz-acl', 'bucket-owner-full-control');
  return reportObjectArns(source).map((resource) => ({ ...common, action: 's3:PutObject', resource }));
}
