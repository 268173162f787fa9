import { describe, expect, it } from 'vitest';
import { evaluateDelivery } from '../../../../lib/core/policy/allowsDelivery.js';
import { requiredDestinationStatement } from '../../../../lib/core/policy/requiredStatements.js';
import type { DeliveryVerdict, PolicyDocument, PolicyStatement } from '../../../../lib/core/policy/types.js';
import { makeDeliverySource } from '../../../helpers/policyArbitraries.js';

const source = makeDeliverySource();
const ACCOUNT = '111122223333';
const DEST_OBJECTS = 'arn:aws:s3:::inventory-reports/*';
const SOURCE_ARN = 'arn:aws:s3:::source-bucket';
const grant = requiredDestinationStatement(source);

function policy(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

type Condition = NonNullable<PolicyStatement['Condition']>;

/** A policy variable as IAM writes it, built so that it is not mistaken for a template placeholder. */
const iamVariable = (body: string) => `$${'{'}${body}}`;

/** Our grant and a Deny of the delivery under this condition. */
function denyWhen(condition: Condition, version = '2012-10-17'): PolicyDocument {
  return { Version: version, Statement: [grant, deny({ Condition: condition })] };
}

function deny(overrides: Partial<PolicyStatement> = {}): PolicyStatement {
  return { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: DEST_OBJECTS, ...overrides };
}

describe('evaluateDelivery() with Deny statements', () => {
  // Each policy also holds our grant, so the verdict shows whether the Deny matched the delivery.
  const cases: Array<[string, PolicyDocument, DeliveryVerdict]> = [
    [
      'a Deny for everyone but an admin (NotPrincipal)',
      policy(
        grant,
        deny({
          Principal: undefined,
          NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/admin` },
          Action: 's3:*',
        }),
      ),
      'explicit-deny',
    ],
    [
      'a Deny of insecure transport',
      policy(grant, deny({ Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })),
      'allowed',
    ],
    [
      'a Deny of insecure transport given as a JSON boolean',
      policy(grant, deny({ Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': false } } })),
      'allowed',
    ],
    ['a Deny of PutObject for everyone', policy(grant, deny()), 'explicit-deny'],
    ['a Deny of PutObject without a grant', policy(deny({ Resource: '*' })), 'explicit-deny'],
    ['a Deny of another action', policy(grant, deny({ Action: 's3:DeleteObject' })), 'allowed'],
    [
      'a Deny on another resource',
      policy(grant, deny({ Resource: 'arn:aws:s3:::inventory-reports/secret/*' })),
      'allowed',
    ],
    [
      'a Deny of manifest files (S3 writes manifest.json beside the data)',
      policy(grant, deny({ Resource: 'arn:aws:s3:::inventory-reports/*.json' })),
      'explicit-deny',
    ],
    [
      'a Deny of the Hive folder',
      policy(grant, deny({ Resource: 'arn:aws:s3:::inventory-reports/*/hive/*' })),
      'explicit-deny',
    ],
    [
      'a Deny for another principal',
      policy(grant, deny({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })),
      'allowed',
    ],
    [
      'a Deny of other ACLs',
      policy(
        grant,
        deny({ Condition: { StringNotEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } }),
      ),
      'allowed',
    ],
    [
      'a Deny outside the organization (aws:PrincipalOrgID is absent for S3)',
      policy(
        grant,
        deny({ Action: 's3:*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }),
      ),
      'explicit-deny',
    ],
    [
      'a Deny outside the organization that spares AWS services',
      policy(
        grant,
        deny({
          Action: 's3:*',
          Condition: {
            StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123' },
            BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
          },
        }),
      ),
      'allowed',
    ],
    [
      'a Deny outside an IP range (aws:SourceIp cannot be known)',
      policy(
        grant,
        deny({ Action: 's3:*', Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }),
      ),
      'explicit-deny',
    ],
    [
      'a Deny after a date (aws:CurrentTime cannot be known)',
      policy(grant, deny({ Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } })),
      'explicit-deny',
    ],
    [
      'a Deny on a numeric key S3 does not send',
      policy(grant, deny({ Condition: { NumericGreaterThan: { 's3:max-keys': '10' } } })),
      'allowed',
    ],
    [
      'a Deny of other source accounts',
      policy(grant, deny({ Condition: { StringNotEquals: { 'aws:SourceAccount': ACCOUNT } } })),
      'allowed',
    ],
    [
      'a Deny of other source accounts that excludes ours',
      policy(
        grant,
        deny({ Condition: { StringNotEquals: { 'aws:SourceAccount': ['999988887777', '000011112222'] } } }),
      ),
      'explicit-deny',
    ],
  ];

  it.each(cases.map(([name, document, verdict]) => ({ name, document, verdict })))(
    '$name → $verdict',
    ({ document, verdict }) => {
      expect(evaluateDelivery(document, source)).toBe(verdict);
    },
  );
});

describe('evaluateDelivery() with conditional Deny statements', () => {
  const denyCases: Array<[string, Condition, DeliveryVerdict]> = [
    [
      'an unknown operator (counted, to be safe)',
      { StringMatchesRegex: { 'aws:SourceAccount': '.*' } },
      'explicit-deny',
    ],
    ['insecure transport', { Bool: { 'aws:SecureTransport': 'false' } }, 'allowed'],
    [
      'StringNotEquals an absent key',
      { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } },
      'explicit-deny',
    ],
    [
      'StringNotEqualsIfExists an absent key',
      { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc' } },
      'explicit-deny',
    ],
    [
      'StringEqualsIfExists an absent key',
      { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc' } },
      'explicit-deny',
    ],
    ['StringEquals an absent key', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } }, 'allowed'],
    ['ArnNotLike our source', { ArnNotLike: { 'aws:SourceArn': SOURCE_ARN } }, 'allowed'],
    [
      'ArnNotLike other sources (NOR)',
      { ArnNotLike: { 'aws:SourceArn': ['arn:aws:s3:::a', 'arn:aws:s3:::b'] } },
      'explicit-deny',
    ],
    [
      'ForAllValues on an absent key',
      { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': 'team' } },
      'explicit-deny',
    ],
    ['ForAnyValue on an absent key', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'team' } }, 'allowed'],
    [
      'an unresolvable policy variable',
      { StringEquals: { 'aws:SourceAccount': iamVariable('aws:PrincipalOrgID') } },
      'explicit-deny',
    ],
    [
      'a negated unresolvable policy variable',
      { StringNotEquals: { 'aws:SourceAccount': iamVariable('aws:PrincipalOrgID') } },
      'explicit-deny',
    ],
    ['an escaped * that is literal', { StringLike: { 'aws:SourceAccount': iamVariable('*') } }, 'allowed'],
    ['a Null check that fails', { Null: { 'aws:SourceArn': 'true' } }, 'allowed'],
    [
      'a Date operator on aws:CurrentTime',
      { DateLessThan: { 'aws:CurrentTime': '2999-01-01T00:00:00Z' } },
      'explicit-deny',
    ],
    [
      'a DateNotEquals on an absent key',
      { DateNotEquals: { 'aws:TokenIssueTime': '2020-01-01' } },
      'explicit-deny',
    ],
  ];

  it.each(denyCases.map(([name, condition, verdict]) => ({ name, condition, verdict })))(
    'a Deny with $name → $verdict',
    ({ condition, verdict }) => {
      expect(evaluateDelivery(denyWhen(condition), source)).toBe(verdict);
    },
  );

  it('takes policy variables literally before the 2012-10-17 language', () => {
    const literal = { StringEquals: { 'aws:SourceAccount': iamVariable('aws:PrincipalOrgID') } };
    expect(evaluateDelivery(denyWhen(literal, '2008-10-17'), source)).toBe('allowed');
  });

  it('treats a Condition that is not an object as unknown', () => {
    const document = denyWhen('nonsense' as unknown as Condition);
    expect(evaluateDelivery(document, source)).toBe('explicit-deny');
  });
});
