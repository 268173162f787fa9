import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateDelivery } from '../../../../lib/core/policy/allowsDelivery.js';
import { ensureDelivery } from '../../../../lib/core/policy/ensureDelivery.js';
import { DeliveryDeniedError } from '../../../../lib/core/policy/errors.js';
import type {
  DeliverySource,
  GrantTarget,
  PolicyDocument,
  PolicyStatement,
} from '../../../../lib/core/policy/types.js';
import { deliverySourceArb, makeDeliverySource } from '../../../helpers/policyArbitraries.js';

/**
 * The statements security teams put on every bucket and key, evaluated with S3's own delivery request
 * (TLS, the service principal s3.amazonaws.com, the source ARN and account, no organization, no VPC).
 */

const source = makeDeliverySource();
const targets: GrantTarget[] = ['destination-policy', 'key-policy'];

type Condition = NonNullable<PolicyStatement['Condition']>;

/** A Deny of everything on the destination (and on a key: Resource `*` matches it too) under `condition`. */
function denyAll(
  sid: string,
  condition: Condition,
  overrides: Partial<PolicyStatement> = {},
): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Deny',
    Principal: '*',
    Action: ['s3:*', 'kms:*'],
    Resource: '*',
    Condition: condition,
    ...overrides,
  };
}

/** AWS's exemption for service principals, as the data perimeter examples write it. */
const SERVICE_EXEMPTION = { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } };

/**
 * Statements that, per IAM, do not deny S3's delivery for the source `at`: they must neither block the grant
 * nor raise a finding.
 */
const harmlessFor = (at: DeliverySource): Array<[string, PolicyStatement]> => [
  [
    'DenyInsecureTransport (Bool "false")',
    denyAll('DenyInsecureTransport', { Bool: { 'aws:SecureTransport': 'false' } }),
  ],
  [
    'DenyInsecureTransport with a JSON boolean, a list value and {"AWS": "*"}',
    denyAll(
      'DenyInsecureTransport2',
      { Bool: { 'aws:SecureTransport': [false] } },
      { Principal: { AWS: '*' } },
    ),
  ],
  [
    'DenyInsecureTransport as BoolIfExists',
    denyAll('DenyInsecureTransport3', { BoolIfExists: { 'aws:SecureTransport': 'false' } }),
  ],
  [
    'a Deny outside the organization, service principals exempted',
    denyAll('DenyOutsideOrg', {
      StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
      ...SERVICE_EXEMPTION,
    }),
  ],
  [
    'a Deny outside the organization paths, service principals exempted',
    denyAll('DenyOutsideOrgPaths', {
      'ForAnyValue:StringNotLikeIfExists': {
        'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*',
      },
      ...SERVICE_EXEMPTION,
    }),
  ],
  [
    'a Deny outside the VPC endpoint, service principals exempted',
    denyAll('DenyOutsideVpce', {
      StringNotEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b3c4d' },
      ...SERVICE_EXEMPTION,
    }),
  ],
  [
    'a Deny outside the VPC, service principals exempted',
    denyAll('DenyOutsideVpc', {
      StringNotEqualsIfExists: { 'aws:SourceVpc': 'vpc-111bbb22' },
      ...SERVICE_EXEMPTION,
    }),
  ],
  [
    'a Deny of every principal but the admin roles, service principals exempted',
    denyAll('OnlyAdmins', {
      ArnNotLikeIfExists: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/admin-*' },
      ...SERVICE_EXEMPTION,
    }),
  ],
  [
    'a Deny of other accounts, service principals exempted',
    denyAll('OnlyOurAccounts', {
      StringNotEqualsIfExists: { 'aws:PrincipalAccount': ['111122223333'] },
      ...SERVICE_EXEMPTION,
    }),
  ],
  [
    'a Deny of every service but S3 (aws:PrincipalServiceName)',
    denyAll('OnlyS3Service', {
      StringNotEqualsIfExists: { 'aws:PrincipalServiceName': 's3.amazonaws.com' },
      Bool: { 'aws:PrincipalIsAWSService': 'true' },
    }),
  ],
  [
    'a Deny of principals inside the organization (StringEquals on an absent aws:PrincipalOrgID)',
    denyAll('DenyOrgMembers', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }),
  ],
  [
    'a Deny of requests from another source account (the service principal guard on SourceAccount)',
    denyAll('ConfusedDeputy', { StringNotEqualsIfExists: { 'aws:SourceAccount': at.sourceAccount } }),
  ],
  [
    'a Deny without MFA (aws:MultiFactorAuthPresent is absent: BoolIfExists would deny, Bool does not)',
    denyAll('RequireMfa', { Bool: { 'aws:MultiFactorAuthPresent': 'false' } }),
  ],
  [
    'a Deny of uploads that do not grant the owner full control',
    denyAll(
      'RequireOwnerFullControl',
      { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      { Action: 's3:PutObject' },
    ),
  ],
  [
    'a Deny of deletes by anyone but the admin role',
    denyAll(
      'DenyDeletes',
      { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/admin' } },
      { Action: ['s3:DeleteObject', 's3:DeleteBucket', 'kms:ScheduleKeyDeletion'] },
    ),
  ],
];

/** Statements that, per IAM, really deny S3's delivery: still reported, by Sid. */
const denying: Array<[string, PolicyStatement]> = [
  [
    'a Deny outside the organization without the exemption (aws:PrincipalOrgID is absent)',
    denyAll('DenyOutsideOrg', { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }),
  ],
  [
    'the same with …IfExists (an absent key satisfies it too)',
    denyAll('DenyOutsideOrgIfExists', { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }),
  ],
  [
    'a Deny outside the VPC endpoint without the exemption',
    denyAll('DenyOutsideVpce', { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }),
  ],
  [
    'a Deny of every principal but one role, without the exemption',
    denyAll('OnlyWriter', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/writer' } }),
  ],
  ['a Deny of AWS services', denyAll('NoServices', { Bool: { 'aws:PrincipalIsAWSService': 'true' } })],
  [
    'a Deny of the S3 service by name',
    denyAll('NoS3', { StringEquals: { 'aws:PrincipalServiceName': 's3.amazonaws.com' } }),
  ],
  [
    'a Deny of the S3 service by the names list',
    denyAll('NoS3List', {
      'ForAnyValue:StringEquals': { 'aws:PrincipalServiceNamesList': 's3.amazonaws.com' },
    }),
  ],
  [
    'a Deny without MFA as BoolIfExists (the absent key satisfies it)',
    denyAll('RequireMfaIfExists', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }),
  ],
  [
    'a Deny of requests from other source accounts that names another account',
    denyAll('OtherAccountOnly', { StringNotEquals: { 'aws:SourceAccount': '999999999999' } }),
  ],
];

function policyOf(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** The policy with the statements and the grant ensureDelivery adds. */
function granted(statements: PolicyStatement[], at: DeliverySource, target: GrantTarget): PolicyDocument {
  return ensureDelivery(policyOf(...statements), at, target).document!;
}

describe('the statements security teams put on every bucket, judged with S3 delivery request context', () => {
  describe.each(targets)('in a %s', (target) => {
    it.each(harmlessFor(source))('%s neither blocks the grant nor denies the delivery', (_, statement) => {
      const change = ensureDelivery(policyOf(statement), source, target);
      expect(change.changed).toBe(true);
      expect(evaluateDelivery(change.document, source, target)).toBe('allowed');
      // Without a grant, the verdict is the implicit deny of a missing grant, never an explicit deny.
      expect(evaluateDelivery(policyOf(statement), source, target)).toBe('implicit-deny');
    });

    it.each(denying)('%s is reported as the statement that denies', (_, statement) => {
      expect(evaluateDelivery(policyOf(statement), source, target)).toBe('explicit-deny');
      const thrown = (() => {
        try {
          ensureDelivery(policyOf(statement), source, target);
          return undefined;
        } catch (error) {
          return error;
        }
      })();
      expect(thrown).toBeInstanceOf(DeliveryDeniedError);
      expect(thrown).toMatchObject({ sid: statement.Sid, statementIndex: 0, target });
    });
  });
});

describe("IAM's rule for a condition key absent from the request context", () => {
  // aws:PrincipalOrgID is absent from S3's request. A Deny applies exactly when its condition holds.
  const operators: Array<[string, boolean]> = [
    ['StringEquals', false],
    ['StringNotEquals', true],
    ['StringLike', false],
    ['StringNotLike', true],
    ['StringEqualsIgnoreCase', false],
    ['StringNotEqualsIgnoreCase', true],
    ['StringEqualsIfExists', true],
    ['StringNotEqualsIfExists', true],
    ['StringLikeIfExists', true],
    ['StringNotLikeIfExists', true],
    ['ForAnyValue:StringEquals', false],
    ['ForAnyValue:StringNotEquals', false],
    ['ForAllValues:StringEquals', true],
    ['ForAllValues:StringNotEquals', true],
    ['ForAnyValue:StringEqualsIfExists', true],
  ];

  it.each(operators)('%s on an absent key holds: %s', (operator, holds) => {
    const deny = denyAll('Probe', { [operator]: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } });
    expect(evaluateDelivery(policyOf(grantFor(source), deny), source)).toBe(
      holds ? 'explicit-deny' : 'allowed',
    );
    // ensureDelivery grants exactly when the Deny does not apply.
    if (holds) expect(() => ensureDelivery(policyOf(deny), source)).toThrow(DeliveryDeniedError);
    else expect(evaluateDelivery(granted([deny], source, 'destination-policy'), source)).toBe('allowed');
  });

  it('applies the same rule to ARN and Bool operators', () => {
    const verdict = (condition: Condition) =>
      evaluateDelivery(policyOf(grantFor(source), denyAll('Probe', condition)), source);
    expect(verdict({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/x' } })).toBe('explicit-deny'); // present, unknown value
    expect(verdict({ ArnNotLike: { 'aws:SourceVpcArn': 'arn:aws:ec2:*:*:vpc/vpc-1' } })).toBe(
      'explicit-deny',
    );
    expect(verdict({ ArnLike: { 'aws:SourceVpcArn': 'arn:aws:ec2:*:*:vpc/vpc-1' } })).toBe('allowed');
    expect(
      verdict({ Bool: { 'aws:ViaAWSService': 'true' }, StringEquals: { 'aws:SourceVpc': 'vpc-1' } }),
    ).toBe('allowed');
    expect(verdict({ Null: { 'aws:PrincipalOrgID': 'true' } })).toBe('explicit-deny');
    expect(verdict({ Null: { 'aws:PrincipalOrgID': 'false' } })).toBe('allowed');
  });
});

/** Our grant for `at`, as the destination policy needs it. */
function grantFor(at: DeliverySource): PolicyStatement {
  return (granted([], at, 'destination-policy').Statement as PolicyStatement[])[0]!;
}

describe('security baselines, property-based', () => {
  /** A source, and some of the statements harmless for it in any order. */
  const harmlessArb = deliverySourceArb.chain((at) =>
    fc.tuple(fc.constant(at), fc.shuffledSubarray(harmlessFor(at).map(([, statement]) => statement))),
  );
  const denyingArb = fc.constantFrom(...denying.map(([, statement]) => statement));
  const targetArb = fc.constantFrom(...targets);

  it('any mix of harmless statements lets ensureDelivery grant, and the delivery is allowed', () => {
    fc.assert(
      fc.property(harmlessArb, targetArb, ([at, statements], target) => {
        const change = ensureDelivery(policyOf(...statements), at, target);
        expect(evaluateDelivery(change.document, at, target)).toBe('allowed');
        // The statements the team wrote stay as they were, in order, before our grant.
        expect((change.document!.Statement as PolicyStatement[]).slice(0, statements.length)).toEqual(
          statements,
        );
      }),
    );
  });

  it('one denying statement among them is always reported, by its position and Sid', () => {
    fc.assert(
      fc.property(harmlessArb, denyingArb, fc.nat(), targetArb, ([at, statements], deny, where, target) => {
        const index = where % (statements.length + 1);
        const mixed = [...statements.slice(0, index), deny, ...statements.slice(index)];
        expect(evaluateDelivery(policyOf(...mixed), at, target)).toBe('explicit-deny');
        expect(() => ensureDelivery(policyOf(...mixed), at, target)).toThrow(DeliveryDeniedError);
        try {
          ensureDelivery(policyOf(...mixed), at, target);
        } catch (error) {
          expect(error).toMatchObject({ sid: deny.Sid, statementIndex: index });
        }
      }),
    );
  });
});
