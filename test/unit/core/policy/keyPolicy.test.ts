import { describe, expect, it } from 'vitest';
import { evaluateDelivery } from '../../../../lib/core/policy/allowsDelivery.js';
import { KEY_GRANT_SID } from '../../../../lib/core/policy/constants.js';
import { ensureDelivery } from '../../../../lib/core/policy/ensureDelivery.js';
import {
  requiredDestinationStatement,
  requiredKeyStatement,
} from '../../../../lib/core/policy/requiredStatements.js';
import type { DeliveryVerdict, PolicyDocument, PolicyStatement } from '../../../../lib/core/policy/types.js';
import { makeDeliverySource } from '../../../helpers/policyArbitraries.js';

const source = makeDeliverySource();
const KEY_ARN = source.keyArn!;
const SOURCE_ARN = 'arn:aws:s3:::source-bucket';

/** The default key policy KMS writes: the key's account administers it. */
const ROOT_STATEMENT: PolicyStatement = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::444455556666:root' },
  Action: 'kms:*',
  Resource: '*',
};

function keyPolicy(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Id: 'key-default-1', Statement: [ROOT_STATEMENT, ...statements] };
}

function s3Allow(overrides: Partial<PolicyStatement> = {}): PolicyStatement {
  return {
    Effect: 'Allow',
    Principal: { Service: 's3.amazonaws.com' },
    Action: 'kms:GenerateDataKey',
    Resource: '*',
    ...overrides,
  };
}

describe('evaluateDelivery() for a key policy', () => {
  const cases: Array<[string, PolicyDocument, DeliveryVerdict]> = [
    ['the default key policy', keyPolicy(), 'implicit-deny'],
    ['the required statement', keyPolicy(requiredKeyStatement(source)), 'allowed'],
    [
      'aws:SourceARN in upper case',
      keyPolicy(s3Allow({ Condition: { ArnLike: { 'aws:SourceARN': SOURCE_ARN } } })),
      'allowed',
    ],
    ['kms:GenerateDataKey*', keyPolicy(s3Allow({ Action: 'kms:GenerateDataKey*' })), 'allowed'],
    ['kms:*', keyPolicy(s3Allow({ Action: ['kms:Decrypt', 'kms:*'] })), 'allowed'],
    ['only kms:Encrypt', keyPolicy(s3Allow({ Action: 'kms:Encrypt' })), 'implicit-deny'],
    ['Resource naming this key', keyPolicy(s3Allow({ Resource: KEY_ARN })), 'allowed'],
    [
      'Resource naming another key',
      keyPolicy(s3Allow({ Resource: 'arn:aws:kms:us-east-1:444455556666:key/other' })),
      'implicit-deny',
    ],
    [
      'the destination statement (s3:PutObject)',
      keyPolicy(requiredDestinationStatement(source)),
      'implicit-deny',
    ],
    [
      'a condition on s3:x-amz-acl, which KMS requests do not carry',
      keyPolicy(s3Allow({ Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } })),
      'implicit-deny',
    ],
    [
      'a wrong account',
      keyPolicy(s3Allow({ Condition: { StringEquals: { 'aws:SourceAccount': '999988887777' } } })),
      'implicit-deny',
    ],
    [
      'a Deny of kms:* for S3',
      keyPolicy(requiredKeyStatement(source), { ...s3Allow({ Action: 'kms:*' }), Effect: 'Deny' }),
      'explicit-deny',
    ],
  ];

  it.each(cases.map(([name, document, verdict]) => ({ name, document, verdict })))(
    '$name → $verdict',
    ({ document, verdict }) => {
      expect(evaluateDelivery(document, source, 'key-policy')).toBe(verdict);
    },
  );

  it('without the key ARN, trusts only Resource "*"', () => {
    const unknownKey = makeDeliverySource({ keyArn: undefined });
    expect(evaluateDelivery(keyPolicy(s3Allow()), unknownKey, 'key-policy')).toBe('allowed');
    expect(evaluateDelivery(keyPolicy(s3Allow({ Resource: KEY_ARN })), unknownKey, 'key-policy')).toBe(
      'implicit-deny',
    );
    const denyThisKey = { ...s3Allow({ Resource: KEY_ARN }), Effect: 'Deny' };
    expect(evaluateDelivery(keyPolicy(s3Allow(), denyThisKey), unknownKey, 'key-policy')).toBe(
      'explicit-deny',
    );
  });
});

describe('ensureDelivery() for a key policy', () => {
  it('appends the key statement and keeps the default statement', () => {
    const before = keyPolicy();
    const { document, changed } = ensureDelivery(before, source, 'key-policy');
    expect(changed).toBe(true);
    expect(document).toEqual({
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        ROOT_STATEMENT,
        {
          Sid: KEY_GRANT_SID,
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: ['kms:GenerateDataKey'],
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111122223333' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' },
          },
        },
      ],
    });
  });

  it('adds a second account to our key statement, migrating its ARN list and keeping its key casing', () => {
    const ours: PolicyStatement = {
      ...requiredKeyStatement(makeDeliverySource({ sourceBucket: 'alpha', sourceAccount: '999988887777' })),
      Condition: {
        StringEquals: { 'AWS:SourceAccount': '999988887777' },
        ArnLike: { 'aws:SourceARN': 'arn:aws:s3:::alpha' },
      },
    };
    const { document } = ensureDelivery(keyPolicy(ours), source, 'key-policy');
    expect((document!.Statement as PolicyStatement[])[1]!.Condition).toEqual({
      StringEquals: { 'AWS:SourceAccount': ['111122223333', '999988887777'] },
      ArnLike: { 'aws:SourceARN': 'arn:aws:s3:::*' },
    });
  });

  it('creates a key policy when none is given', () => {
    const { document } = ensureDelivery(undefined, source, 'key-policy');
    expect(document).toEqual({ Version: '2012-10-17', Statement: [requiredKeyStatement(source)] });
  });
});
