import { describe, expect, it } from 'vitest';
import { evaluateDelivery } from '../../../../lib/core/policy/allowsDelivery.js';
import type { PolicyDocument, PolicyStatement } from '../../../../lib/core/policy/types.js';
import { makeDeliverySource } from '../../../helpers/policyArbitraries.js';

type Condition = NonNullable<PolicyStatement['Condition']>;

/** A policy variable as IAM writes it, built so that it is not mistaken for a template placeholder. */
const iamVariable = (body: string) => `$${'{'}${body}}`;

const source = makeDeliverySource();
const SOURCE_ARN = 'arn:aws:s3:::source-bucket';
const ACCOUNT = '111122223333';

/** A policy whose only statement allows the delivery under this condition. */
function allowWhen(condition: Condition): PolicyDocument {
  const statement: PolicyStatement = {
    Effect: 'Allow',
    Principal: { Service: 's3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: 'arn:aws:s3:::inventory-reports/*',
    Condition: condition,
  };
  return { Version: '2012-10-17', Statement: [statement] };
}

describe('evaluateDelivery() with conditional Allow statements', () => {
  const allowCases: Array<[string, Condition, boolean]> = [
    ['a source ARN as a string', { ArnLike: { 'aws:SourceArn': SOURCE_ARN } }, true],
    ['a source ARN in an array', { ArnLike: { 'aws:SourceArn': [SOURCE_ARN] } }, true],
    ['a condition key in upper case', { ArnLike: { 'AWS:SOURCEARN': SOURCE_ARN } }, true],
    ['an operator name in another case', { arnlike: { 'aws:SourceArn': SOURCE_ARN } }, true],
    ['ArnEquals', { ArnEquals: { 'aws:SourceArn': SOURCE_ARN } }, true],
    ['ArnLike with a wildcard in the name', { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::source-*' } }, true],
    ['ArnLike with a wildcard partition', { ArnLike: { 'aws:SourceArn': 'arn:*:s3:::source-bucket' } }, true],
    [
      'ArnLike whose * would need to cross a colon',
      { ArnLike: { 'aws:SourceArn': 'arn:aws*:::source-bucket' } },
      false,
    ],
    ['ArnLike in another case', { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::SOURCE-bucket' } }, false],
    ['ArnLike on a key that is not an ARN', { ArnLike: { 'aws:SourceAccount': 'arn:aws:s3:::x' } }, false],
    ['ArnLike with a value that is not an ARN', { ArnLike: { 'aws:SourceArn': '*' } }, false],
    ['ArnNotEquals another source', { ArnNotEquals: { 'aws:SourceArn': 'arn:aws:s3:::other' } }, true],
    ['ArnNotLike our source', { ArnNotLike: { 'aws:SourceArn': 'arn:aws:s3:::source-*' } }, false],
    ['StringLike on the account', { StringLike: { 'aws:SourceAccount': '1111*' } }, true],
    ['StringEquals does not expand *', { StringEquals: { 'aws:SourceAccount': '1111*' } }, false],
    [
      'StringEqualsIgnoreCase',
      { StringEqualsIgnoreCase: { 's3:x-amz-acl': 'BUCKET-OWNER-FULL-CONTROL' } },
      true,
    ],
    [
      'StringEquals is case-sensitive',
      { StringEquals: { 's3:x-amz-acl': 'BUCKET-OWNER-FULL-CONTROL' } },
      false,
    ],
    ['StringNotEqualsIgnoreCase', { StringNotEqualsIgnoreCase: { 's3:x-amz-acl': 'PRIVATE' } }, true],
    ['StringNotLike', { StringNotLike: { 'aws:SourceAccount': '9999*' } }, true],
    ['an account given as a number', { StringEquals: { 'aws:SourceAccount': 111122223333 } }, true],
    [
      'several keys, all true (AND)',
      { StringEquals: { 'aws:SourceAccount': ACCOUNT, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      true,
    ],
    [
      'several keys, one false (AND)',
      { StringEquals: { 'aws:SourceAccount': ACCOUNT, 's3:x-amz-acl': 'private' } },
      false,
    ],
    [
      'several operators, one false (AND)',
      { ArnLike: { 'aws:SourceArn': SOURCE_ARN }, StringEquals: { 'aws:SourceAccount': '999988887777' } },
      false,
    ],
    ['Bool on aws:SecureTransport', { Bool: { 'aws:SecureTransport': 'true' } }, true],
    ['Bool given as a JSON boolean', { Bool: { 'aws:SecureTransport': true } }, true],
    ['Bool on an absent key', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, false],
    ['BoolIfExists on an absent key', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } }, true],
    ['Bool on aws:PrincipalIsAWSService', { Bool: { 'aws:PrincipalIsAWSService': 'true' } }, true],
    [
      'StringEquals on aws:PrincipalServiceName',
      { StringEquals: { 'aws:PrincipalServiceName': 's3.amazonaws.com' } },
      true,
    ],
    ['StringEquals on an absent key', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } }, false],
    [
      'StringEqualsIfExists on an absent key',
      { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc' } },
      true,
    ],
    [
      'StringEqualsIfExists on a present key',
      { StringEqualsIfExists: { 'aws:SourceAccount': '999988887777' } },
      false,
    ],
    ['StringNotEquals on an absent key', { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc' } }, true],
    [
      'ForAnyValue:StringEquals',
      { 'ForAnyValue:StringEquals': { 'aws:SourceAccount': [ACCOUNT, '1'] } },
      true,
    ],
    [
      'ForAllValues:StringLike',
      { 'ForAllValues:StringLike': { 'aws:SourceArn': ['arn:aws:s3:::source-*'] } },
      true,
    ],
    ['ForAnyValue on an absent key', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'team' } }, false],
    [
      'ForAnyValue with a negated operator on an absent key',
      { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'team' } },
      false,
    ],
    ['ForAllValues on an absent key', { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'team' } }, true],
    ['an unknown set qualifier', { 'ForSomeValues:StringEquals': { 'aws:SourceAccount': ACCOUNT } }, false],
    ['Null false on a present key', { Null: { 'aws:SourceArn': 'false' } }, true],
    ['Null true on a present key', { Null: { 'aws:SourceArn': 'true' } }, false],
    ['Null true on an absent key', { Null: { 'aws:PrincipalOrgID': true } }, true],
    ['Null on a key always present with an unknown value', { Null: { 'aws:CurrentTime': 'false' } }, true],
    ['Null with a value that is neither true nor false', { Null: { 'aws:SourceArn': 'maybe' } }, false],
    ['Null with IfExists (not an IAM operator)', { NullIfExists: { 'aws:SourceArn': 'false' } }, false],
    ['an unknown operator', { StringMatchesRegex: { 'aws:SourceAccount': '.*' } }, false],
    [
      'an operator whose block is not an object',
      { StringEquals: 'nonsense' as unknown as Record<string, string> },
      false,
    ],
    [
      'a value that is an object',
      { StringEquals: { 'aws:SourceAccount': [{}] as unknown as string[] } },
      false,
    ],
    ['NumericLessThan on an absent key', { NumericLessThan: { 's3:max-keys': '10' } }, false],
    [
      'NumericLessThan on a present key (not compared)',
      { NumericLessThan: { 'aws:SourceAccount': '10' } },
      false,
    ],
    ['a condition on aws:SourceIp', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, false],
    [
      'a policy variable with a default inside an ARN',
      { ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${iamVariable("aws:PrincipalOrgID, 'source-bucket'")}` } },
      true,
    ],
    [
      'a policy variable from the context',
      { StringEquals: { 'aws:SourceAccount': iamVariable('aws:sourceaccount') } },
      true,
    ],
    [
      'a policy variable holding a colon inside an ARN component',
      { ArnLike: { 'aws:SourceArn': `arn:aws:s3:${iamVariable("aws:PrincipalOrgID, ''")}::source-bucket` } },
      true,
    ],
    [
      'a key with no values',
      { StringEquals: { 'aws:SourceAccount': undefined as unknown as string } },
      false,
    ],
    ['an escaped * in a StringLike value', { StringLike: { 'aws:SourceAccount': iamVariable('*') } }, false],
    [
      'an escaped * that must be literal',
      { StringLike: { 's3:x-amz-acl': `bucket-owner-${iamVariable('*')}` } },
      false,
    ],
    [
      'a malformed policy variable',
      { StringEquals: { 'aws:SourceAccount': iamVariable('aws:SourceAccount, "x"') } },
      false,
    ],
    [
      'an unresolvable policy variable',
      { StringEquals: { 'aws:SourceAccount': iamVariable('aws:PrincipalOrgID') } },
      false,
    ],
    ['an unclosed ${ taken literally', { StringLike: { 'aws:SourceAccount': '${1111*' } }, false],
  ];

  it.each(allowCases.map(([name, condition, allowed]) => ({ name, condition, allowed })))(
    'an Allow with $name allows: $allowed',
    ({ condition, allowed }) => {
      expect(evaluateDelivery(allowWhen(condition), source)).toBe(allowed ? 'allowed' : 'implicit-deny');
    },
  );
});
