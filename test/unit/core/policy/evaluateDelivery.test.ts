import { describe, expect, it } from 'vitest';
import { allowsDelivery, evaluateDelivery } from '../../../../lib/core/policy/allowsDelivery.js';
import { requiredDestinationStatement } from '../../../../lib/core/policy/requiredStatements.js';
import type { DeliveryVerdict, PolicyDocument, PolicyStatement } from '../../../../lib/core/policy/types.js';
import { makeDeliverySource } from '../../../helpers/policyArbitraries.js';

const source = makeDeliverySource();
const SOURCE_ARN = 'arn:aws:s3:::source-bucket';
const ACCOUNT = '111122223333';
const DEST_OBJECTS = 'arn:aws:s3:::inventory-reports/*';
const S3 = { Service: 's3.amazonaws.com' };

function policy(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

function allow(overrides: Partial<PolicyStatement> = {}): PolicyStatement {
  return { Effect: 'Allow', Principal: S3, Action: 's3:PutObject', Resource: DEST_OBJECTS, ...overrides };
}

function deny(overrides: Partial<PolicyStatement> = {}): PolicyStatement {
  return { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: DEST_OBJECTS, ...overrides };
}

const grant = requiredDestinationStatement(source);

describe('evaluateDelivery()', () => {
  it('treats a missing policy as an implicit deny', () => {
    expect(evaluateDelivery(undefined, source)).toBe('implicit-deny');
    expect(allowsDelivery(undefined, source)).toBe(false);
  });

  const cases: Array<[string, PolicyDocument, DeliveryVerdict]> = [
    ['the exact required statement', policy(grant), 'allowed'],
    [
      'one statement listing several sources and accounts',
      policy(
        allow({
          Condition: {
            ArnLike: { 'aws:SourceArn': ['arn:aws:s3:::other', SOURCE_ARN] },
            StringEquals: { 'aws:SourceAccount': ['999988887777', ACCOUNT] },
          },
        }),
      ),
      'allowed',
    ],
    ['DEST/* with no source condition', policy(allow()), 'allowed'],
    [
      'a wrong source ARN',
      policy(allow({ Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::other' } } })),
      'implicit-deny',
    ],
    [
      'a wrong account',
      policy(allow({ Condition: { StringEquals: { 'aws:SourceAccount': '999988887777' } } })),
      'implicit-deny',
    ],
    [
      'a resource scoped to the report prefix',
      policy(allow({ Resource: 'arn:aws:s3:::inventory-reports/inventory/*' })),
      'allowed',
    ],
    [
      'a resource scoped to the data files, leaving out the manifest and the Hive symlink',
      policy(allow({ Resource: 'arn:aws:s3:::inventory-reports/inventory/source-bucket/daily-csv/data/*' })),
      'implicit-deny',
    ],
    [
      'resources listing every folder of the report',
      policy(
        allow({
          Resource: [
            'arn:aws:s3:::inventory-reports/inventory/source-bucket/daily-csv/data/*',
            'arn:aws:s3:::inventory-reports/inventory/source-bucket/daily-csv/hive/*',
            'arn:aws:s3:::inventory-reports/inventory/source-bucket/daily-csv/20*',
          ],
        }),
      ),
      'allowed',
    ],
    [
      'a resource scoped to another prefix',
      policy(allow({ Resource: 'arn:aws:s3:::inventory-reports/logs/*' })),
      'implicit-deny',
    ],
    [
      'the bucket ARN without /*',
      policy(allow({ Resource: 'arn:aws:s3:::inventory-reports' })),
      'implicit-deny',
    ],
    ['a resource with ?', policy(allow({ Resource: 'arn:aws:s3:::inventory-report?/*' })), 'allowed'],
    [
      'a resource in another case',
      policy(allow({ Resource: 'arn:aws:s3:::Inventory-Reports/*' })),
      'implicit-deny',
    ],
    ['Resource "*"', policy(allow({ Resource: '*' })), 'allowed'],
    ['Action s3:*', policy(allow({ Action: 's3:*' })), 'allowed'],
    ['Action "*"', policy(allow({ Action: '*' })), 'allowed'],
    ['an action in another case, with a wildcard', policy(allow({ Action: ['S3:put*'] })), 'allowed'],
    ['an action with ?', policy(allow({ Action: 's3:PutObjec?' })), 'allowed'],
    ['only other actions', policy(allow({ Action: ['s3:GetObject', 's3:PutObjectAcl'] })), 'implicit-deny'],
    [
      'NotAction that spares PutObject',
      policy(allow({ Action: undefined, NotAction: 's3:Delete*' })),
      'allowed',
    ],
    [
      'NotAction that excludes PutObject',
      policy(allow({ Action: undefined, NotAction: 's3:Put*' })),
      'implicit-deny',
    ],
    [
      'NotResource excluding another bucket',
      policy(allow({ Resource: undefined, NotResource: 'arn:aws:s3:::other/*' })),
      'allowed',
    ],
    [
      'NotResource excluding the destination',
      policy(allow({ Resource: undefined, NotResource: DEST_OBJECTS })),
      'implicit-deny',
    ],
    ['Principal "*"', policy(allow({ Principal: '*' })), 'allowed'],
    ['Principal {"AWS": "*"}', policy(allow({ Principal: { AWS: '*' } })), 'allowed'],
    [
      'Principal of several services',
      policy(allow({ Principal: { Service: ['cloudtrail.amazonaws.com', 's3.amazonaws.com'] } })),
      'allowed',
    ],
    [
      'Principal of an account',
      policy(allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })),
      'implicit-deny',
    ],
    [
      'Principal of another service',
      policy(allow({ Principal: { Service: 'logging.s3.amazonaws.com' } })),
      'implicit-deny',
    ],
    [
      'Principal of a federated user',
      policy(allow({ Principal: { Federated: 'cognito-identity.amazonaws.com' } })),
      'implicit-deny',
    ],
    [
      'an Allow with NotPrincipal naming someone else',
      policy(allow({ Principal: undefined, NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })),
      'allowed',
    ],
    [
      'an Allow with NotPrincipal naming S3',
      policy(allow({ Principal: undefined, NotPrincipal: S3 })),
      'implicit-deny',
    ],
    [
      'an Allow with NotPrincipal "*"',
      policy(allow({ Principal: undefined, NotPrincipal: '*' })),
      'implicit-deny',
    ],
    ['an Effect in the wrong case (ignored)', policy(allow({ Effect: 'allow' })), 'implicit-deny'],
    ['an Allow without Action (malformed)', policy(allow({ Action: undefined })), 'implicit-deny'],
    [
      'a Deny without Action (malformed, counted)',
      policy(grant, deny({ Action: undefined })),
      'explicit-deny',
    ],
    [
      'an Allow with both Resource and NotResource',
      policy(allow({ NotResource: 'arn:aws:s3:::x/*' })),
      'implicit-deny',
    ],
    [
      'an Allow with a string Principal other than "*"',
      policy(allow({ Principal: 's3.amazonaws.com' as '*' })),
      'implicit-deny',
    ],
    [
      'an Allow whose Principal holds a non-string',
      policy(allow({ Principal: { AWS: [7 as unknown as string] } })),
      'implicit-deny',
    ],
    [
      'an Allow whose Resource holds a non-string',
      policy(allow({ Resource: [null as unknown as string] })),
      'implicit-deny',
    ],
    [
      'an Allow whose Action holds a non-string',
      policy(allow({ Action: [42 as unknown as string] })),
      'implicit-deny',
    ],
    [
      'a statement that is not an object',
      { Statement: ['nonsense' as unknown as PolicyStatement, grant] },
      'allowed',
    ],
  ];

  it.each(cases.map(([name, document, verdict]) => ({ name, document, verdict })))(
    '$name → $verdict',
    ({ document, verdict }) => {
      expect(evaluateDelivery(document, source)).toBe(verdict);
      expect(allowsDelivery(document, source)).toBe(verdict === 'allowed');
    },
  );

  it('reads Statement given as a single object', () => {
    expect(evaluateDelivery({ Version: '2012-10-17', Statement: grant }, source)).toBe('allowed');
  });

  it('treats a policy without Statement as granting nothing', () => {
    expect(evaluateDelivery({} as PolicyDocument, source)).toBe('implicit-deny');
  });

  it('checks the path without a prefix when the destination has none', () => {
    const unprefixed = makeDeliverySource({ destinationPrefix: undefined });
    const scoped = policy(allow({ Resource: 'arn:aws:s3:::inventory-reports/source-bucket/daily-csv/*' }));
    expect(evaluateDelivery(scoped, unprefixed)).toBe('allowed');
    expect(evaluateDelivery(scoped, source)).toBe('implicit-deny');
  });

  it('matches many wildcards in linear time', () => {
    const pathological = `arn:aws:s3:::${'*a'.repeat(40)}*b`;
    const started = performance.now();
    expect(evaluateDelivery(policy(allow({ Resource: pathological })), source)).toBe('implicit-deny');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('evaluates in the aws-cn partition', () => {
    const china = makeDeliverySource({ partition: 'aws-cn' });
    expect(evaluateDelivery(policy(requiredDestinationStatement(china)), china)).toBe('allowed');
    expect(evaluateDelivery(policy(grant), china)).toBe('implicit-deny');
  });
});
