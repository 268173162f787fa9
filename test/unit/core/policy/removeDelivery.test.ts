import { describe, expect, it } from 'vitest';
import { allowsDelivery } from '../../../../lib/core/policy/allowsDelivery.js';
import { ensureDelivery } from '../../../../lib/core/policy/ensureDelivery.js';
import { removeDelivery } from '../../../../lib/core/policy/removeDelivery.js';
import {
  requiredDestinationStatement,
  requiredKeyStatement,
} from '../../../../lib/core/policy/requiredStatements.js';
import type { PolicyDocument, PolicyStatement } from '../../../../lib/core/policy/types.js';
import { makeDeliverySource } from '../../../helpers/policyArbitraries.js';

const source = makeDeliverySource();
const alpha = makeDeliverySource({ sourceBucket: 'alpha', sourceAccount: '999988887777' });
const FOREIGN: PolicyStatement = {
  Sid: 'ReadForAnalytics',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:role/analytics' },
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::inventory-reports/*',
};

function grantFor(...sources: (typeof source)[]): PolicyDocument {
  let document: PolicyDocument | undefined;
  for (const each of sources) document = ensureDelivery(document, each).document;
  return document!;
}

/** Our statement as versions before the account-keyed shape wrote it: the source buckets' ARNs listed. */
function legacyStatement(arns: string | string[], accounts: string | string[]): PolicyStatement {
  return {
    ...requiredDestinationStatement(source),
    Condition: {
      ArnLike: { 'aws:SourceArn': arns },
      StringEquals: { 'aws:SourceAccount': accounts, 's3:x-amz-acl': 'bucket-owner-full-control' },
    },
  };
}

const SOURCE_ARN = 'arn:aws:s3:::source-bucket';

describe('removeDelivery()', () => {
  it('leaves the account-keyed statement: it serves every bucket of the account', () => {
    const granted = grantFor(source);
    expect(removeDelivery(granted, source)).toEqual({ document: granted, changed: false });
    const keyed = { Version: '2012-10-17', Statement: [requiredKeyStatement(source)] };
    expect(removeDelivery(keyed, source, 'key-policy')).toEqual({ document: keyed, changed: false });
  });

  it('deletes the bucket policy when the last listed source of an earlier version goes', () => {
    expect(removeDelivery({ Statement: legacyStatement(SOURCE_ARN, '111122223333') }, source)).toEqual({
      document: undefined,
      changed: true,
    });
  });

  it('keeps other listed sources, and every account while a source remains', () => {
    const both: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [legacyStatement(['arn:aws:s3:::alpha', SOURCE_ARN], ['111122223333', '999988887777'])],
    };
    const { document, changed } = removeDelivery(both, source);
    expect(changed).toBe(true);
    expect(document).toEqual({
      Version: '2012-10-17',
      Statement: [legacyStatement('arn:aws:s3:::alpha', ['111122223333', '999988887777'])],
    });
    expect(allowsDelivery(document, alpha)).toBe(true);
    expect(allowsDelivery(document, source)).toBe(false);
  });

  it('drops our listing statement and keeps foreign ones untouched', () => {
    const before: PolicyDocument = {
      Id: 'p',
      Statement: [FOREIGN, legacyStatement(SOURCE_ARN, '111122223333')],
    };
    const { document } = removeDelivery(before, source);
    expect(document).toEqual({ Id: 'p', Statement: [FOREIGN] });
    expect((document!.Statement as PolicyStatement[])[0]).toBe(FOREIGN);
    expect(before.Statement).toHaveLength(2);
  });

  it('never deletes a key policy', () => {
    const listing = {
      ...requiredKeyStatement(source),
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111122223333' },
        ArnLike: { 'aws:SourceArn': SOURCE_ARN },
      },
    };
    const before: PolicyDocument = { Version: '2012-10-17', Statement: [listing] };
    expect(removeDelivery(before, source, 'key-policy')).toEqual({
      document: { Version: '2012-10-17', Statement: [] },
      changed: true,
    });
  });

  it.each<[string, PolicyDocument | undefined]>([
    ['no policy', undefined],
    ['no statement of ours', { Statement: [FOREIGN] }],
    [
      'our statement for other sources',
      { Statement: [legacyStatement('arn:aws:s3:::alpha', '999988887777')] },
    ],
    [
      'our statement without a source list',
      { Statement: [{ ...requiredDestinationStatement(source), Condition: undefined }] },
    ],
    [
      'our statement with a Condition that is not an object',
      { Statement: [{ ...requiredDestinationStatement(source), Condition: 'x' as unknown as undefined }] },
    ],
    [
      'a foreign grant for this source',
      { Statement: [{ ...requiredDestinationStatement(source), Sid: 'Theirs' }] },
    ],
  ])('changes nothing given %s', (_name, document) => {
    const change = removeDelivery(document, source);
    expect(change.changed).toBe(false);
    expect(change.document).toBe(document);
  });

  it('looks for our key statement in a key policy only', () => {
    const destination = grantFor(source);
    expect(removeDelivery(destination, source, 'key-policy').changed).toBe(false);
  });
});
