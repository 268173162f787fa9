import { describe, expect, it } from 'vitest';
import { ensureDelivery } from '../../../../lib/core/policy/ensureDelivery.js';
import { guardPolicyWrite, type PolicyWrite } from '../../../../lib/core/policy/guardPolicyWrite.js';
import { PolicyWriteRefusedError } from '../../../../lib/core/policy/PolicyWriteRefusedError.js';
import { removeDelivery } from '../../../../lib/core/policy/removeDelivery.js';
import type { PolicyDocument, PolicyStatement } from '../../../../lib/core/policy/types.js';
import { makeDeliverySource } from '../../../helpers/policyArbitraries.js';
import {
  denyServiceStatement,
  foreignStatement,
  makePolicy,
  ourDestinationGrant,
  ourKeyGrant,
  rootStatement,
} from '../../../helpers/reconcileFactories.js';

const SOURCE = { bucket: 'source-bucket', account: '111122223333' };
const DEST = 'inventory-reports';
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function destinationWrite(
  before: PolicyDocument | undefined,
  after: PolicyDocument | undefined,
): PolicyWrite {
  return { target: 'destination-policy', name: DEST, before, after, source: SOURCE };
}

function keyWrite(before: PolicyDocument, after: PolicyDocument | undefined): PolicyWrite {
  return { target: 'key-policy', name: KEY, before, after, source: SOURCE };
}

/** The guard's refusal reason, or `undefined` when it lets the write through. */
function refusal(write: PolicyWrite): string | undefined {
  try {
    guardPolicyWrite(write);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyWriteRefusedError);
    return (error as PolicyWriteRefusedError).reason;
  }
}

/** Our destination statement for the source, with one member replaced. */
function ourWith(overrides: Partial<PolicyStatement>): PolicyStatement {
  return { ...ourDestinationGrant(), ...overrides };
}

describe('guardPolicyWrite()', () => {
  it('lets through the writes ensureDelivery and removeDelivery make', () => {
    const source = makeDeliverySource({ destinationBucket: DEST, sourceBucket: SOURCE.bucket });
    const before = makePolicy([foreignStatement(), ourDestinationGrant(['other-source'])]);
    const granted = ensureDelivery(before, source).document;
    expect(refusal(destinationWrite(before, granted))).toBeUndefined();
    expect(refusal(destinationWrite(granted, removeDelivery(granted, source).document))).toBeUndefined();
    const fresh = ensureDelivery(undefined, source).document;
    expect(refusal(destinationWrite(undefined, fresh))).toBeUndefined();
    expect(refusal(destinationWrite(fresh, undefined))).toBeUndefined();

    const keyBefore = makePolicy([rootStatement()]);
    const keyAfter = ensureDelivery(keyBefore, { ...source, keyArn: KEY }, 'key-policy').document!;
    expect(refusal(keyWrite(keyBefore, keyAfter))).toBeUndefined();
  });

  it('compares as parsed JSON: member order and a one-statement object are no change', () => {
    const foreign = foreignStatement();
    const reordered = Object.fromEntries(Object.entries(foreign).reverse()) as PolicyStatement;
    const before = { Statement: foreign, Version: '2012-10-17' };
    const after = { Version: '2012-10-17', Statement: [reordered, ourDestinationGrant()] };
    expect(refusal(destinationWrite(before, after))).toBeUndefined();
  });

  it('refuses a changed, dropped, added or moved foreign statement, naming it', () => {
    const before = makePolicy([foreignStatement('Read'), foreignStatement('Audit')]);
    const changed = { ...foreignStatement('Read'), Action: 's3:*' };
    expect(refusal(destinationWrite(before, makePolicy([changed, foreignStatement('Audit')])))).toBe(
      'statement #0 ("Read") of the policy read would be changed or removed; this service did not write it',
    );
    expect(refusal(destinationWrite(before, makePolicy([foreignStatement('Read')])))).toBe(
      'statement #1 ("Audit") of the policy read would be changed or removed; this service did not write it',
    );
    const added = makePolicy([...(before.Statement as PolicyStatement[]), foreignStatement('Extra')]);
    expect(refusal(destinationWrite(before, added))).toBe(
      'statement #2 ("Extra") would be added, and it is not a statement of this service',
    );
    const moved = makePolicy([foreignStatement('Audit'), foreignStatement('Read')]);
    expect(refusal(destinationWrite(before, moved))).toMatch(/^statement #0 \("Read"\)/);
  });

  it('refuses a change of a top-level member, and a new policy with more than Version and Statement', () => {
    const before = { ...makePolicy([foreignStatement()]), Id: 'Owners' };
    expect(refusal(destinationWrite(before, { ...before, Id: 'Mine' }))).toBe(
      'its Id would change from "Owners" to "Mine"',
    );
    expect(refusal(destinationWrite(undefined, { ...makePolicy([ourDestinationGrant()]), Id: 'X' }))).toBe(
      'a new policy would have a Id member',
    );
    expect(
      refusal(destinationWrite(undefined, { Version: '2008-10-17', Statement: [ourDestinationGrant()] })),
    ).toBe('a new policy\'s Version would be "2008-10-17", not "2012-10-17"');
  });

  it.each<[string, Partial<PolicyStatement>, string]>([
    ['a Deny', { Effect: 'Deny' }, 'its Effect is "Deny", not "Allow"'],
    ['any principal', { Principal: '*' }, 'its Principal is "*", not the s3.amazonaws.com service alone'],
    [
      'an AWS principal beside the service',
      { Principal: { Service: 's3.amazonaws.com', AWS: 'arn:aws:iam::999999999999:root' } },
      'its Principal is {"Service":"s3.amazonaws.com","AWS":"arn:aws:iam::999999999999:root"}, not the s3.amazonaws.com service alone',
    ],
    [
      'another service',
      { Principal: { Service: ['s3.amazonaws.com', 'logging.s3.amazonaws.com'] } },
      'its Principal is {"Service":["s3.amazonaws.com","logging.s3.amazonaws.com"]}, not the s3.amazonaws.com service alone',
    ],
    [
      'another action',
      { Action: ['s3:PutObject', 's3:GetObject'] },
      'its Action is ["s3:PutObject","s3:GetObject"], not "s3:PutObject" alone',
    ],
    ['a wildcard action', { Action: 's3:Put*' }, 'its Action is "s3:Put*", not "s3:PutObject" alone'],
    ['NotAction', { NotAction: 's3:GetObject' }, 'it has a NotAction member'],
    [
      'every resource',
      { Resource: '*' },
      'its Resource "*" is not inside the destination bucket inventory-reports',
    ],
    [
      'the bucket itself',
      { Resource: ['arn:aws:s3:::inventory-reports/*', 'arn:aws:s3:::inventory-reports'] },
      'its Resource "arn:aws:s3:::inventory-reports" is not inside the destination bucket inventory-reports',
    ],
    [
      'a bucket whose name starts alike',
      { Resource: 'arn:aws:s3:::inventory-reports-evil/*' },
      'its Resource "arn:aws:s3:::inventory-reports-evil/*" is not inside the destination bucket inventory-reports',
    ],
    ['no condition', { Condition: undefined }, 'its Condition is absent, not the source conditions'],
    [
      'a StringLike source',
      {
        Condition: { ...ourDestinationGrant().Condition, StringLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } },
      },
      'its Condition has a StringLike block',
    ],
    [
      'a partial wildcard source ARN',
      {
        Condition: {
          ...ourDestinationGrant().Condition,
          ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::prod-*' },
        },
      },
      'its aws:SourceArn "arn:aws:s3:::prod-*" is neither "arn:…:s3:::*" alone nor a list of whole S3 bucket ARNs',
    ],
    [
      'the any-bucket pattern beside bucket ARNs',
      {
        Condition: {
          ...ourDestinationGrant().Condition,
          ArnLike: { 'aws:SourceArn': ['arn:aws:s3:::*', 'arn:aws:s3:::source-bucket'] },
        },
      },
      'its aws:SourceArn "arn:aws:s3:::*" is neither "arn:…:s3:::*" alone nor a list of whole S3 bucket ARNs',
    ],
    [
      'no source account',
      {
        Condition: {
          ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::source-bucket' },
          StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' },
        },
      },
      'its StringEquals condition has no aws:SourceAccount key',
    ],
    [
      'no ACL condition',
      {
        Condition: {
          ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::source-bucket' },
          StringEquals: { 'aws:SourceAccount': '111122223333' },
        },
      },
      'its StringEquals condition has no s3:x-amz-acl key',
    ],
    [
      'a wildcard account',
      {
        Condition: {
          ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::source-bucket' },
          StringEquals: { 'aws:SourceAccount': '*', 's3:x-amz-acl': 'bucket-owner-full-control' },
        },
      },
      'its aws:SourceAccount "*" is not a list of account ids',
    ],
    [
      'another ACL',
      {
        Condition: {
          ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::source-bucket' },
          StringEquals: {
            'aws:SourceAccount': '111122223333',
            's3:x-amz-acl': ['bucket-owner-full-control', 'public-read'],
          },
        },
      },
      'its s3:x-amz-acl is ["bucket-owner-full-control","public-read"], not "bucket-owner-full-control"',
    ],
  ])('refuses our statement with %s', (_, overrides, problem) => {
    const before = makePolicy([foreignStatement()]);
    const statement = JSON.parse(JSON.stringify(ourWith(overrides))) as PolicyStatement;
    expect(refusal(destinationWrite(before, makePolicy([foreignStatement(), statement])))).toBe(
      `statement #1 ("S3irInventoryDelivery") would be written, but ${problem}`,
    );
  });

  it('holds a key statement to its own shape: kms:GenerateDataKey on "*", no ACL condition', () => {
    const before = makePolicy([rootStatement()]);
    const withKey = (statement: PolicyStatement) => makePolicy([rootStatement(), statement]);
    expect(refusal(keyWrite(before, withKey(ourKeyGrant())))).toBeUndefined();
    expect(refusal(keyWrite(before, withKey({ ...ourKeyGrant(), Action: 'kms:*' })))).toMatch(
      /its Action is "kms:\*", not "kms:GenerateDataKey" alone$/,
    );
    expect(refusal(keyWrite(before, withKey({ ...ourKeyGrant(), Resource: KEY })))).toMatch(
      /its Resource is ".*", not "\*"$/,
    );
    const withAcl = ourKeyGrant();
    withAcl.Condition!.StringEquals!['s3:x-amz-acl'] = 'bucket-owner-full-control';
    expect(refusal(keyWrite(before, withKey(withAcl)))).toMatch(
      /its StringEquals condition has a s3:x-amz-acl key$/,
    );
    // The destination's Sid is not ours in a key policy: a foreign statement, so it cannot be added.
    expect(
      refusal(keyWrite(before, withKey({ ...ourDestinationGrant(), Sid: 'S3irInventoryDelivery' }))),
    ).toBe(
      'statement #1 ("S3irInventoryDelivery") would be added, and it is not a statement of this service',
    );
  });

  it('refuses a second statement with our Sid', () => {
    const after = makePolicy([ourDestinationGrant(), ourDestinationGrant(['another'])]);
    expect(refusal(destinationWrite(undefined, after))).toBe(
      'it would hold 2 statements with Sid "S3irInventoryDelivery"; this service writes one',
    );
  });

  it('lets a grant add only the reconciled bucket and its account', () => {
    const before = makePolicy([ourDestinationGrant(['other-source'])]);
    expect(
      refusal(destinationWrite(before, makePolicy([ourDestinationGrant(['other-source', 'intruder'])]))),
    ).toBe(
      'statement #0 ("S3irInventoryDelivery") would newly grant arn:aws:s3:::intruder, which is not the bucket reconciled (source-bucket)',
    );
    const otherAccount = ourDestinationGrant(['other-source', 'source-bucket'], DEST, '999988887777');
    expect(refusal(destinationWrite(before, makePolicy([otherAccount])))).toBe(
      'statement #0 ("S3irInventoryDelivery") would newly grant account 999988887777, not the source\'s account 111122223333',
    );
  });

  it('refuses to change or drop a Deny that carries our Sid', () => {
    const planted = { ...denyServiceStatement(), Sid: 'S3irInventoryDelivery' };
    const before = makePolicy([foreignStatement(), planted]);
    expect(refusal(destinationWrite(before, makePolicy([foreignStatement()])))).toBe(
      'statement #1 ("S3irInventoryDelivery") of the policy read would be changed or removed, and its Effect is "Deny": only an Allow of ours may be taken back',
    );
    expect(refusal(destinationWrite(makePolicy([planted]), undefined))).toMatch(/its Effect is "Deny"/);
  });

  it('deletes a bucket policy only when every statement read was ours; never a key policy', () => {
    expect(refusal(destinationWrite(makePolicy([ourDestinationGrant()]), undefined))).toBeUndefined();
    expect(
      refusal(destinationWrite(makePolicy([ourDestinationGrant(), foreignStatement()]), undefined)),
    ).toBe(
      'deleting it would remove statement #1 ("AnalyticsRead") of the policy read, which this service did not write',
    );
    expect(refusal(destinationWrite(makePolicy([]), undefined))).toBe(
      'the policy read holds no statement of this service',
    );
    expect(refusal(destinationWrite(undefined, undefined))).toBe('there is no policy to delete');
    expect(refusal(keyWrite(makePolicy([ourKeyGrant()]), undefined))).toBe('a key policy is never deleted');
  });

  it('names the target in its message and is not retryable', () => {
    const error = (() => {
      try {
        guardPolicyWrite(keyWrite(makePolicy([rootStatement()]), makePolicy([])));
      } catch (caught) {
        return caught as PolicyWriteRefusedError;
      }
      throw new Error('the guard let the write through');
    })();
    expect(error.message).toBe(
      `Refused to write the policy of KMS key ${KEY}: statement #0 ("EnableRoot") of the policy read would be changed or removed; this service did not write it`,
    );
    expect(error).toMatchObject({
      name: 'PolicyWriteRefusedError',
      target: 'key-policy',
      targetName: KEY,
      retryable: false,
    });
  });
});
