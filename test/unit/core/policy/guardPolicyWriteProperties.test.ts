import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../../../lib/core/json/jsonEqual.js';
import { GRANT_SIDS } from '../../../../lib/core/policy/constants.js';
import { ensureDelivery } from '../../../../lib/core/policy/ensureDelivery.js';
import { guardPolicyWrite, type PolicyWrite } from '../../../../lib/core/policy/guardPolicyWrite.js';
import { PolicyWriteRefusedError } from '../../../../lib/core/policy/PolicyWriteRefusedError.js';
import { statementsOf } from '../../../../lib/core/policy/policyValues.js';
import { removeDelivery } from '../../../../lib/core/policy/removeDelivery.js';
import type {
  DeliverySource,
  GrantTarget,
  PolicyDocument,
  PolicyStatement,
} from '../../../../lib/core/policy/types.js';
import {
  broadGrantArb,
  deliverySourceArb,
  foreignAllowArb,
  mixedPolicyArb,
  s3RelatedStatementArb,
} from '../../../helpers/policyArbitraries.js';

const targetArb = fc.constantFrom<GrantTarget>('destination-policy', 'key-policy');
const otherBucketArb = fc.constantFrom('other-source-a', 'other-source-b', 'other-source-c');
const otherAccountArb = fc.constantFrom('222233334444', '555566667777');

/** What the planner hands the guard: a grant or a revoke as ensureDelivery/removeDelivery make them. */
interface PlannedWrite {
  write: PolicyWrite;
  source: DeliverySource;
}

function nameOf(source: DeliverySource, target: GrantTarget): string {
  return target === 'key-policy' ? source.keyArn! : source.destinationBucket;
}

/** Folds ensureDelivery over sources, skipping those a Deny blocks, as earlier runs of ours would have. */
function granted(
  document: PolicyDocument | undefined,
  sources: DeliverySource[],
  target: GrantTarget,
): PolicyDocument | undefined {
  let current = document;
  for (const source of sources) {
    try {
      current = ensureDelivery(current, source, target).document;
    } catch {
      // a Deny or an oversized policy: that earlier grant was never written
    }
  }
  return current;
}

/**
 * A policy as found (foreign statements, perhaps our statement for other sources), and the grant or
 * revoke the planner would write for `source`; only writes that change something.
 */
const plannedWriteArb: fc.Arbitrary<PlannedWrite> = fc
  .record({
    source: deliverySourceArb,
    target: targetArb,
    found: fc.option(mixedPolicyArb, { nil: undefined, freq: 5 }),
    others: fc.array(fc.tuple(otherBucketArb, otherAccountArb), { maxLength: 2 }),
    revoke: fc.boolean(),
  })
  .map(({ source, target, found, others, revoke }) => {
    const earlier = others.map(([sourceBucket, sourceAccount]) => ({
      ...source,
      sourceBucket,
      sourceAccount,
    }));
    // A key policy always exists.
    const base = target === 'key-policy' ? (found ?? { Statement: [] }) : found;
    const withOthers = granted(base, earlier, target);
    const before = revoke ? granted(withOthers, [source], target) : withOthers;
    let after: PolicyDocument | undefined;
    try {
      after = revoke
        ? removeDelivery(before, source, target).document
        : ensureDelivery(before, source, target).document;
    } catch {
      after = before; // refused by ensureDelivery: no write
    }
    const write: PolicyWrite = {
      target,
      name: nameOf(source, target),
      before,
      after,
      source: { bucket: source.sourceBucket, account: source.sourceAccount },
    };
    return { write, source };
  })
  .filter(({ write }) => !jsonEqual(write.before, write.after));

function refuses(write: PolicyWrite): boolean {
  try {
    guardPolicyWrite(write);
    return false;
  } catch (error) {
    if (error instanceof PolicyWriteRefusedError) return true;
    throw error;
  }
}

const isOurs = (statement: unknown, target: GrantTarget) =>
  (statement as PolicyStatement | undefined)?.Sid === GRANT_SIDS[target];

/** `after` with its statements replaced (always as an array). */
function withStatements(after: PolicyDocument, statements: unknown[]): PolicyDocument {
  return { ...after, Statement: statements as PolicyStatement[] };
}

/** Our statement in `after`, edited; `undefined` when the write drops it. */
function editOurs(
  write: PolicyWrite,
  edit: (statement: PolicyStatement) => PolicyStatement,
): PolicyWrite | undefined {
  if (write.after === undefined) return undefined;
  const statements = statementsOf(write.after);
  const index = statements.findIndex((statement) => isOurs(statement, write.target));
  if (index === -1) return undefined;
  const edited = statements.map((statement, i) =>
    i === index ? edit(structuredClone(statement)) : statement,
  );
  return { ...write, after: withStatements(write.after, edited) };
}

const widenings: fc.Arbitrary<[string, (statement: PolicyStatement) => PolicyStatement]> = fc.constantFrom<
  [string, (statement: PolicyStatement) => PolicyStatement]
>(
  ['principal *', (s) => ({ ...s, Principal: '*' })],
  ['AWS *', (s) => ({ ...s, Principal: { AWS: '*' } })],
  [
    'an account beside S3',
    (s) => ({ ...s, Principal: { Service: 's3.amazonaws.com', AWS: 'arn:aws:iam::999999999999:root' } }),
  ],
  [
    'another service',
    (s) => ({ ...s, Principal: { Service: ['s3.amazonaws.com', 'cloudtrail.amazonaws.com'] } }),
  ],
  ['NotPrincipal', (s) => ({ ...s, NotPrincipal: { AWS: 'arn:aws:iam::999999999999:root' } })],
  ['every action', (s) => ({ ...s, Action: '*' })],
  ['a service wildcard', (s) => ({ ...s, Action: [s.Action, 's3:*', 'kms:*'].flat() as string[] })],
  ['a read action', (s) => ({ ...s, Action: [s.Action, 's3:GetObject', 'kms:Decrypt'].flat() as string[] })],
  ['every resource', (s) => ({ ...s, Resource: ['*', 'arn:aws:s3:::*'] })],
  ['another bucket', (s) => ({ ...s, Resource: 'arn:aws:s3:::someone-elses-bucket/*' })],
  ['Deny', (s) => ({ ...s, Effect: 'Deny' })],
  ['no condition', ({ Condition: _, ...s }) => s],
  ['no source ARN', (s) => ({ ...s, Condition: { ...s.Condition, ArnLike: {} } })],
  [
    'no source account',
    (s) => ({
      ...s,
      Condition: { ...s.Condition, StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }),
  ],
  [
    'a partial wildcard source',
    (s) => ({ ...s, Condition: { ...s.Condition, ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::prod-*' } } }),
  ],
  [
    'StringLike',
    (s) => ({ ...s, Condition: { ...s.Condition, StringLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } } }),
  ],
  [
    'a negated operator',
    (s) => ({
      ...s,
      Condition: { ...s.Condition, StringNotEquals: { 'aws:SourceAccount': '999999999999' } },
    }),
  ],
  [
    'an intruder source',
    (s) => ({
      ...s,
      Condition: { ...s.Condition, ArnLike: { 'aws:SourceArn': ['arn:aws:s3:::intruder-bucket-zz'] } },
    }),
  ],
  [
    'an intruder account',
    (s) => ({
      ...s,
      Condition: {
        ...s.Condition,
        StringEquals: { ...s.Condition!.StringEquals, 'aws:SourceAccount': ['999999999999'] },
      },
    }),
  ],
);

const intruderStatementArb = fc.oneof(foreignAllowArb, broadGrantArb, s3RelatedStatementArb);

describe('guardPolicyWrite() over arbitrary policies', () => {
  it('lets through every grant and revoke ensureDelivery and removeDelivery make', () => {
    fc.assert(
      fc.property(plannedWriteArb, ({ write }) => {
        expect(refuses(write)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a changed foreign statement', () => {
    fc.assert(
      fc.property(
        plannedWriteArb,
        fc.nat(),
        fc.constantFrom('Effect', 'Action', 'Resource', 'Principal'),
        ({ write }, pick, member) => {
          const statements = write.after ? statementsOf(write.after) : [];
          const foreign = statements.flatMap((statement, index) =>
            isOurs(statement, write.target) ? [] : [index],
          );
          fc.pre(foreign.length > 0);
          const index = foreign[pick % foreign.length]!;
          const mutated = statements.map((statement, i) =>
            i === index
              ? { ...statement, [member]: member === 'Effect' ? 'Allow-ish' : '*mutated*' }
              : statement,
          );
          expect(refuses({ ...write, after: withStatements(write.after!, mutated) })).toBe(true);
        },
      ),
    );
  });

  it('refuses a dropped foreign statement', () => {
    fc.assert(
      fc.property(plannedWriteArb, fc.nat(), ({ write }, pick) => {
        const statements = write.after ? statementsOf(write.after) : [];
        const foreign = statements.flatMap((statement, index) =>
          isOurs(statement, write.target) ? [] : [index],
        );
        fc.pre(foreign.length > 0);
        const dropped = foreign[pick % foreign.length]!;
        const kept = statements.filter((_, index) => index !== dropped);
        expect(refuses({ ...write, after: withStatements(write.after!, kept) })).toBe(true);
      }),
    );
  });

  it('refuses an added foreign statement, wherever it goes', () => {
    fc.assert(
      fc.property(plannedWriteArb, intruderStatementArb, fc.nat(), ({ write }, intruder, at) => {
        const statements = write.after ? statementsOf(write.after) : [];
        const position = at % (statements.length + 1);
        const added = [...statements.slice(0, position), intruder, ...statements.slice(position)];
        const after = write.after ?? { Version: '2012-10-17', Statement: [] };
        expect(refuses({ ...write, after: withStatements(after, added) })).toBe(true);
      }),
    );
  });

  it('refuses our statement widened in principal, action, resource or conditions', () => {
    fc.assert(
      fc.property(plannedWriteArb, widenings, ({ write }, [, widen]) => {
        const widened = editOurs(write, widen);
        fc.pre(widened !== undefined);
        expect(refuses(widened!)).toBe(true);
      }),
    );
  });

  it('refuses a second statement with our Sid', () => {
    fc.assert(
      fc.property(plannedWriteArb, ({ write }) => {
        const statements = write.after ? statementsOf(write.after) : [];
        const ours = statements.find((statement) => isOurs(statement, write.target));
        fc.pre(ours !== undefined);
        expect(refuses({ ...write, after: withStatements(write.after!, [...statements, ours]) })).toBe(true);
      }),
    );
  });

  it('refuses a changed top-level member', () => {
    fc.assert(
      fc.property(plannedWriteArb, fc.constantFrom('Version', 'Id', 'Extra'), ({ write }, member) => {
        fc.pre(write.after !== undefined);
        expect(refuses({ ...write, after: { ...write.after!, [member]: 'changed-by-someone' } })).toBe(true);
      }),
    );
  });

  it('refuses to delete a policy that held statements it did not write, and any key policy', () => {
    fc.assert(
      fc.property(plannedWriteArb, ({ write }) => {
        const read = write.before ? statementsOf(write.before) : [];
        fc.pre(write.target === 'key-policy' || read.some((statement) => !isOurs(statement, write.target)));
        expect(refuses({ ...write, after: undefined })).toBe(true);
      }),
    );
  });
});
