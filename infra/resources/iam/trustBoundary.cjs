// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are literal `${…}`.
'use strict';

/**
 * The IAM half of the trust boundary (README "Security model"), built by osls from serverless params at
 * package time, offline: `${file(infra/resources/iam/trustBoundary.cjs):<address>}` in the role files.
 *
 * - `allowedAccounts` (comma-separated 12-digit ids; '' = the home account alone): sts:AssumeRole only on
 *   `<crossAccountRole>` (reconcile, discover, the schedule's grant step) and `<readRole>` (delivery check)
 *   in those accounts. The home account's own entry is dropped at deploy time by a condition on
 *   `AWS::AccountId` (unknown offline); with no other account, the statement is an explicit Deny of every
 *   AssumeRole (the schedule's: every one but its `organizationRoleArn`).
 * - `destinationBuckets` (comma-separated bucket names, or name prefixes ending in `*`; '' = none): the only
 *   buckets whose policy the reconcile role and the schedule's grant step may write, and whose reports the
 *   delivery check may read. With none, the statement is an explicit Deny: the service then reports each
 *   needed grant as action-required with the exact statement, as for another account's bucket.
 *
 * A malformed value fails the package (and so the deploy), naming the param: a typo must not silently
 * widen or drop a bound. Organization (`o-…`) and OU (`ou-…`) ids (#18): AssumeRole on `<name>` in any
 * account whose `aws:ResourceOrgPaths` lies in one of them (the organization's paths start with its id; an
 * OU's paths hold its id between slashes), which IAM evaluates
 * against the role's account. An organization or OU is given alone or with other organization and OU ids,
 * not mixed with account ids (one statement cannot OR a condition with a resource list): put the accounts'
 * OU in the list instead.
 */

const ACCOUNT = /^\d{12}$/;
// S3 bucket naming rules (lowercase letters, digits, dots, hyphens; 3-63 characters), or a name prefix
// (at least one character) ending in `*`.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const BUCKET_PREFIX = /^[a-z0-9][a-z0-9.-]{0,61}\*$/;

const sub = (text) => ({ 'Fn::Sub': text });

/** The comma-separated entries of a param, trimmed; '' (or only spaces) is none. */
function entries(name, value) {
  const text = value === undefined || value === null ? '' : String(value).trim();
  if (text === '') return [];
  const list = text.split(',').map((entry) => entry.trim());
  if (list.some((entry) => entry === ''))
    throw new Error(
      `param ${name}: empty entry in ${JSON.stringify(text)} (comma-separated, no empty items)`,
    );
  return [...new Set(list)];
}

const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;
const UNIT = /^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;

/** Allowed account ids, each 12 digits; or organization and OU ids alone (see above). */
function parseAccounts(value) {
  const accounts = entries('allowedAccounts', value);
  const units = accounts.filter((entry) => ORGANIZATION.test(entry) || UNIT.test(entry));
  if (units.length > 0 && units.length < accounts.length)
    throw new Error(
      `param allowedAccounts: organization or OU ids (${units.join(', ')}) cannot be mixed with account ids: list the accounts' OU instead`,
    );
  if (units.length > 0) return { accounts: [], units };
  for (const account of accounts) {
    if (/^(o|ou)-/.test(account))
      throw new Error(
        `param allowedAccounts: ${JSON.stringify(account)} is not an organization id (o-…) or an OU id (ou-…-…)`,
      );
    if (!ACCOUNT.test(account))
      throw new Error(`param allowedAccounts: ${JSON.stringify(account)} is not a 12-digit account id`);
  }
  return { accounts, units: [] };
}

/** Destination bucket names or name prefixes (`prefix*`). */
function parseBuckets(value) {
  const buckets = entries('destinationBuckets', value);
  for (const bucket of buckets) {
    if (!BUCKET.test(bucket) && !BUCKET_PREFIX.test(bucket))
      throw new Error(
        `param destinationBuckets: ${JSON.stringify(bucket)} is neither a bucket name nor a name prefix ending in '*'`,
      );
  }
  return buckets;
}

/** The role name params (plain IAM role names, no path). */
function parseRoleName(name, value) {
  const text = String(value ?? '').trim();
  if (!/^[\w+=,.@-]{1,64}$/.test(text))
    throw new Error(`param ${name}: ${JSON.stringify(text)} is not an IAM role name`);
  return text;
}

/** The condition that is true when the stack is deployed in `account` (its entry is then dropped). */
const homeCondition = (account) => `S3irAllowedAccount${account}IsHome`;

/**
 * sts:AssumeRole on `roleName` in each allowed account but the home one; an explicit Deny of every
 * AssumeRole when there is no other account.
 */
function assumeStatement(sid, { accounts, units }, roleName, except = '') {
  if (units.length > 0)
    return {
      Sid: sid,
      Effect: 'Allow',
      Action: ['sts:AssumeRole'],
      Resource: sub(`arn:\${AWS::Partition}:iam::*:role/${roleName}`),
      Condition: {
        'ForAnyValue:StringLike': {
          'aws:ResourceOrgPaths': units.map((unit) => (unit.startsWith('o-') ? `${unit}/*` : `*/${unit}/*`)),
        },
      },
    };
  // `except`: a role this principal assumes for another purpose (the schedule's `organizationRoleArn`), which
  // the Deny must leave to its own statement.
  const none = {
    Sid: 'NeverAssumeRoles',
    Effect: 'Deny',
    Action: ['sts:AssumeRole'],
    ...(except === '' ? { Resource: sub('arn:${AWS::Partition}:iam::*:role/*') } : { NotResource: [except] }),
  };
  if (accounts.length === 0) return none;
  const roleArn = (account) => sub(`arn:\${AWS::Partition}:iam::${account}:role/${roleName}`);
  const allow = (Resource) => ({ Sid: sid, Effect: 'Allow', Action: ['sts:AssumeRole'], Resource });
  // One account: the statement is the Deny when it is home. Two or more distinct: at most one is home, so
  // the list never ends up empty.
  if (accounts.length === 1)
    return { 'Fn::If': [homeCondition(accounts[0]), none, allow([roleArn(accounts[0])])] };
  return allow(
    accounts.map((account) => ({
      'Fn::If': [homeCondition(account), { Ref: 'AWS::NoValue' }, roleArn(account)],
    })),
  );
}

const bucketArn = (bucket) => sub(`arn:\${AWS::Partition}:s3:::${bucket}`);
const objectsArn = (bucket) => sub(`arn:\${AWS::Partition}:s3:::${bucket}/*`);

// Organization scale (#18): the schedule's Organizations reads (lib/adapters/aws/OrganizationAccountDirectory).
const ORGANIZATION_READS = ['organizations:DescribeOrganization', 'organizations:ListRoots'];
const ORGANIZATION_PARENT_READS = [
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
];

/** `organizationRoleArn`: '' (Organizations with the home credentials) or an IAM role ARN. */
function parseOrganizationRole(value) {
  const text = value === undefined || value === null ? '' : String(value).trim();
  if (text !== '' && !/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(text))
    throw new Error(
      `param organizationRoleArn: ${JSON.stringify(text)} is not an IAM role ARN (arn:aws:iam::123456789012:role/name)`,
    );
  return text;
}

/**
 * The schedule's two Organizations statements (#18). No role: DescribeOrganization and ListRoots (no
 * resource-level permissions) and the parent listings on the organization's roots and OUs (their ARNs name
 * the management account, unknown here). A role (`organizationRoleArn`, in the management or
 * delegated-administrator account): AssumeRole on that role only, and Organizations denied to the home
 * credentials, so that every read goes through the role.
 */
function organizationStatements(roleArn) {
  if (roleArn !== '')
    return {
      readOrganization: {
        Sid: 'AssumeOrganizationRole',
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Resource: roleArn,
      },
      listOrganizationParents: {
        Sid: 'OrganizationOnlyThroughRole',
        Effect: 'Deny',
        Action: [...ORGANIZATION_READS, ...ORGANIZATION_PARENT_READS],
        Resource: '*',
      },
    };
  return {
    readOrganization: { Sid: 'ReadOrganization', Effect: 'Allow', Action: ORGANIZATION_READS, Resource: '*' },
    listOrganizationParents: {
      Sid: 'ListOrganizationParents',
      Effect: 'Allow',
      Action: ORGANIZATION_PARENT_READS,
      Resource: [
        sub('arn:${AWS::Partition}:organizations::*:root/o-*/r-*'),
        sub('arn:${AWS::Partition}:organizations::*:ou/o-*/ou-*'),
      ],
    },
  };
}

/** The statements and template parts the role files and serverless.yml pick by address. */
function trustBoundary({
  allowedAccounts,
  destinationBuckets,
  crossAccountRole,
  readRole,
  organizationRoleArn,
}) {
  const allowed = parseAccounts(allowedAccounts);
  const { accounts } = allowed;
  const buckets = parseBuckets(destinationBuckets);
  const reconcileRole = parseRoleName('crossAccountRole', crossAccountRole);
  const deliveryRole = parseRoleName('readRole', readRole);
  const organizationRole = parseOrganizationRole(organizationRoleArn);
  const policyWrites = ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'];
  const writeDestinationPolicies =
    buckets.length === 0
      ? {
          Sid: 'NoDestinationDeclared',
          Effect: 'Deny',
          Action: policyWrites,
          Resource: bucketArn('*'),
        }
      : {
          Sid: 'WriteDeclaredDestinationPolicies',
          Effect: 'Allow',
          Action: policyWrites,
          Resource: buckets.map(bucketArn),
        };
  return {
    // A `resources` item: `{}`, or the Conditions that drop the home account from the AssumeRole lists.
    template:
      accounts.length === 0
        ? {}
        : {
            Conditions: Object.fromEntries(
              accounts.map((account) => [
                homeCondition(account),
                { 'Fn::Equals': [account, { Ref: 'AWS::AccountId' }] },
              ]),
            ),
          },
    reconcile: {
      writeDestinationPolicies,
      assumeMemberRole: assumeStatement('AssumeReconcileRoleInAllowedAccounts', allowed, reconcileRole),
    },
    deliveryCheck: {
      readReports:
        buckets.length === 0
          ? {
              Sid: 'NoDestinationDeclared',
              Effect: 'Deny',
              Action: ['s3:GetObject'],
              Resource: objectsArn('*'),
            }
          : {
              Sid: 'ReadDeclaredDestinationReports',
              Effect: 'Allow',
              Action: ['s3:ListBucket', 's3:GetObject'],
              Resource: [...buckets.map(bucketArn), ...buckets.map(objectsArn)],
            },
      assumeMemberRole: assumeStatement('AssumeReadRoleInAllowedAccounts', allowed, deliveryRole),
    },
    // Organization scale (#18). And the sweep's grant step (#18 point 4, lib/usecases/sweepGrants): the
    // reconcile's bounds on destination policies and on the member role it writes another account's through.
    schedule: {
      ...organizationStatements(organizationRole),
      writeDestinationPolicies,
      assumeMemberRole: assumeStatement(
        'AssumeReconcileRoleInAllowedAccounts',
        allowed,
        reconcileRole,
        organizationRole,
      ),
    },
    // Discovery lists a member account's buckets with the same member role the reconcile assumes.
    discover: {
      assumeMemberRole: assumeStatement('AssumeReconcileRoleInAllowedAccounts', allowed, reconcileRole),
    },
  };
}

/** osls `${file(…cjs):address}` resolver: reads the params of the stage being packaged. */
module.exports = async function resolveTrustBoundary({ resolveVariable }) {
  const param = (name) => resolveVariable(`param:${name}`);
  return trustBoundary({
    allowedAccounts: await param('allowedAccounts'),
    destinationBuckets: await param('destinationBuckets'),
    crossAccountRole: await param('crossAccountRole'),
    readRole: await param('readRole'),
    organizationRoleArn: await param('organizationRoleArn'),
  });
};
module.exports.trustBoundary = trustBoundary;
