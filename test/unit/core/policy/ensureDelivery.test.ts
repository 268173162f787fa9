import { describe, expect, it } from 'vitest';
import { allowsDelivery } from '../../../../lib/core/policy/allowsDelivery.js';
import { DESTINATION_GRANT_SID } from '../../../../lib/core/policy/constants.js';
import { ensureDelivery } from '../../../../lib/core/policy/ensureDelivery.js';
import { DeliveryDeniedError, GrantStatementEditedError } from '../../../../lib/core/policy/errors.js';
import { requiredDestinationStatement } from '../../../../lib/core/policy/requiredStatements.js';
import type { PolicyDocument, PolicyStatement } from '../../../../lib/core/policy/types.js';
import { deepFreeze } from '../../../helpers/deepFreeze.js';
import { makeDeliverySource } from '../../../helpers/policyArbitraries.js';

const source = makeDeliverySource();
const alpha = makeDeliverySource({ sourceBucket: 'alpha', sourceAccount: '999988887777' });
const ANY_SOURCE = 'arn:aws:s3:::*';

const FOREIGN: PolicyStatement = {
  Sid: 'ReadForAnalytics',
  Effect: 'Allow',
  Principal: { AWS: ['arn:aws:iam::123456789012:role/analytics'] },
  Action: ['s3:GetObject', 's3:ListBucket'],
  Resource: ['arn:aws:s3:::inventory-reports', 'arn:aws:s3:::inventory-reports/*'],
};
const DENY_INSECURE: PolicyStatement = {
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: 'arn:aws:s3:::inventory-reports/*',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

function statements(document: PolicyDocument | undefined): PolicyStatement[] {
  return document!.Statement as PolicyStatement[];
}

describe('ensureDelivery()', () => {
  it('creates a policy when the bucket has none', () => {
    expect(ensureDelivery(undefined, source)).toEqual({
      document: { Version: '2012-10-17', Statement: [requiredDestinationStatement(source)] },
      changed: true,
    });
  });

  it('returns the same document when delivery is already allowed', () => {
    const exact = deepFreeze({ Version: '2012-10-17', Statement: [requiredDestinationStatement(source)] });
    const broad: PolicyDocument = deepFreeze({
      Statement: {
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:*',
        Resource: 'arn:aws:s3:::inventory-reports/*',
      },
    });
    for (const document of [exact, broad]) {
      const change = ensureDelivery(document, source);
      expect(change.changed).toBe(false);
      expect(change.document).toBe(document);
    }
  });

  it('keeps foreign statements byte-identical', () => {
    const before: PolicyDocument = deepFreeze({
      Id: 'ReportsPolicy',
      Version: '2012-10-17',
      Statement: [FOREIGN, DENY_INSECURE],
      Custom: { note: 'kept' },
    });
    const text = JSON.stringify(before);
    const { document, changed } = ensureDelivery(before, source);
    expect(changed).toBe(true);
    expect(JSON.stringify(before)).toBe(text);
    expect(document).not.toBe(before);
    expect(Object.keys(document!)).toEqual(['Id', 'Version', 'Statement', 'Custom']);
    expect(statements(document)[0]).toBe(FOREIGN);
    expect(statements(document)[1]).toBe(DENY_INSECURE);
    expect(JSON.stringify(statements(document).slice(0, 2))).toBe(JSON.stringify([FOREIGN, DENY_INSECURE]));
    expect(statements(document)[2]).toEqual(requiredDestinationStatement(source));
    expect(document!.Custom).toBe(before.Custom);
  });

  it('turns a single-object Statement into an array with that object first', () => {
    const before = deepFreeze({ Version: '2008-10-17', Statement: FOREIGN });
    const { document } = ensureDelivery(before, source);
    expect(document).toEqual({
      Version: '2008-10-17',
      Statement: [FOREIGN, requiredDestinationStatement(source)],
    });
    expect(statements(document)[0]).toBe(FOREIGN);
  });

  it('adds a source account to our statement as a sorted, de-duplicated list', () => {
    const before = deepFreeze({
      Version: '2012-10-17',
      Statement: [FOREIGN, requiredDestinationStatement(alpha)],
    });
    const { document } = ensureDelivery(before, source);
    expect(statements(document)).toEqual([
      FOREIGN,
      {
        ...requiredDestinationStatement(alpha),
        Condition: {
          ArnLike: { 'aws:SourceArn': ANY_SOURCE },
          StringEquals: {
            'aws:SourceAccount': ['111122223333', '999988887777'],
            's3:x-amz-acl': 'bucket-owner-full-control',
          },
        },
      },
    ]);
    expect(allowsDelivery(document, alpha)).toBe(true);
  });

  it('migrates a statement of an earlier version listing bucket ARNs to the account-keyed one, in one change', () => {
    const legacy: PolicyStatement = {
      ...requiredDestinationStatement(alpha),
      Condition: {
        ArnLike: { 'aws:SourceArn': ['arn:aws:s3:::alpha', 'arn:aws:s3:::beta'] },
        StringEquals: { 'aws:SourceAccount': '999988887777', 's3:x-amz-acl': 'bucket-owner-full-control' },
      },
    };
    const before = deepFreeze({ Version: '2012-10-17', Statement: [FOREIGN, legacy, DENY_INSECURE] });
    const { document, changed } = ensureDelivery(before, source);
    expect(changed).toBe(true);
    expect(statements(document)).toEqual([
      FOREIGN,
      {
        ...legacy,
        Condition: {
          ArnLike: { 'aws:SourceArn': ANY_SOURCE },
          StringEquals: {
            'aws:SourceAccount': ['111122223333', '999988887777'],
            's3:x-amz-acl': 'bucket-owner-full-control',
          },
        },
      },
      DENY_INSECURE,
    ]);
    expect(statements(document)[0]).toBe(FOREIGN);
    expect(statements(document)[2]).toBe(DENY_INSECURE);
    // Every bucket the old statement listed still delivers, and so does any other bucket of those accounts.
    for (const bucket of ['alpha', 'beta', 'gamma']) {
      expect(allowsDelivery(document, { ...alpha, sourceBucket: bucket })).toBe(true);
    }
    expect(allowsDelivery(document, { ...alpha, sourceAccount: '444455556666' })).toBe(false);
  });

  it('changes nothing for another bucket of an account already listed', () => {
    const sibling = makeDeliverySource({ sourceBucket: 'zeta' });
    const before = { Statement: [requiredDestinationStatement(source)] };
    expect(ensureDelivery(before, sibling)).toEqual({ document: before, changed: false });
  });

  it('keeps edits someone made to our statement', () => {
    const edited: PolicyStatement = {
      ...requiredDestinationStatement(alpha),
      Condition: {
        ...requiredDestinationStatement(alpha).Condition,
        Bool: { 'aws:SecureTransport': 'true' },
        StringLike: { 'aws:SourceArn': 'arn:aws:s3:::*' },
      },
    };
    const { document } = ensureDelivery({ Statement: [edited] }, source);
    expect(statements(document)[0]!.Condition).toEqual({
      ArnLike: { 'aws:SourceArn': ANY_SOURCE },
      StringEquals: {
        'aws:SourceAccount': ['111122223333', '999988887777'],
        's3:x-amz-acl': 'bucket-owner-full-control',
      },
      Bool: { 'aws:SecureTransport': 'true' },
      StringLike: { 'aws:SourceArn': 'arn:aws:s3:::*' },
    });
  });

  it('never adds a condition key our statement does not have (that would narrow it)', () => {
    const noArnList: PolicyStatement = {
      ...requiredDestinationStatement(alpha),
      Condition: { StringEquals: { 'aws:SourceAccount': '999988887777' } },
    };
    const { document } = ensureDelivery({ Statement: [noArnList] }, source);
    expect(statements(document)[0]!.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': ['111122223333', '999988887777'] },
    });
  });

  it('never adds a source to a negated operator (that would exclude it)', () => {
    const excluding: PolicyStatement = {
      ...requiredDestinationStatement(alpha),
      Condition: {
        ...requiredDestinationStatement(alpha).Condition,
        ArnNotLike: { 'aws:SourceArn': 'arn:aws:s3:::blocked' },
      },
    };
    const { document } = ensureDelivery({ Statement: [excluding] }, source);
    expect(statements(document)[0]!.Condition!.ArnNotLike).toEqual({
      'aws:SourceArn': 'arn:aws:s3:::blocked',
    });
    expect(allowsDelivery(document, source)).toBe(true);
  });

  it('refuses when our statement was edited so that it cannot grant the delivery', () => {
    const narrowed: PolicyStatement = { ...requiredDestinationStatement(alpha), Action: 's3:GetObject' };
    expect(() => ensureDelivery({ Statement: [narrowed] }, source)).toThrow(GrantStatementEditedError);
    const withoutCondition: PolicyStatement = { ...narrowed, Condition: undefined };
    expect(() => ensureDelivery({ Statement: [withoutCondition] }, source)).toThrow(
      expect.objectContaining({ name: 'GrantStatementEditedError', sid: DESTINATION_GRANT_SID }),
    );
  });

  it('throws DeliveryDeniedError naming the statement that denies', () => {
    const denyAll: PolicyStatement = { ...DENY_INSECURE, Sid: 'NoWrites', Condition: undefined };
    const call = () => ensureDelivery({ Statement: [FOREIGN, denyAll] }, source);
    expect(call).toThrow(DeliveryDeniedError);
    expect(call).toThrow(
      expect.objectContaining({ sid: 'NoWrites', statementIndex: 1, target: 'destination-policy' }),
    );
    expect(() => ensureDelivery({ Statement: { ...denyAll, Sid: undefined } }, source)).toThrow(
      'Statement #0 of the destination-policy explicitly denies the inventory delivery',
    );
  });

  it('leaves alone a foreign statement shaped like ours but without our Sid', () => {
    const { Sid: _sid, ...lookalike } = requiredDestinationStatement(alpha);
    const forOther = deepFreeze({ Statement: [lookalike] });
    const { document } = ensureDelivery(forOther, source);
    expect(statements(document)).toEqual([lookalike, requiredDestinationStatement(source)]);
    expect(statements(document)[0]).toBe(lookalike);

    const { Sid: _ours, ...sameSource } = requiredDestinationStatement(source);
    const forThis = { Statement: [sameSource] };
    expect(ensureDelivery(forThis, source)).toEqual({ document: forThis, changed: false });
  });

  it('grants in the aws-cn partition', () => {
    const china = makeDeliverySource({ partition: 'aws-cn' });
    const { document } = ensureDelivery(undefined, china);
    expect(statements(document)[0]!.Resource).toEqual(['arn:aws-cn:s3:::inventory-reports/*']);
    expect(allowsDelivery(document, china)).toBe(true);
    expect(allowsDelivery(document, source)).toBe(false);
  });

  it('is idempotent', () => {
    const once = ensureDelivery({ Statement: [FOREIGN] }, source).document;
    const twice = ensureDelivery(once, source);
    expect(twice).toEqual({ document: once, changed: false });
    expect(twice.document).toBe(once);
  });
});
