import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowsDelivery, evaluateDelivery } from '../../../../lib/core/policy/allowsDelivery.js';
import { DESTINATION_GRANT_SID, KEY_GRANT_SID } from '../../../../lib/core/policy/constants.js';
import { ensureDelivery } from '../../../../lib/core/policy/ensureDelivery.js';
import { removeDelivery } from '../../../../lib/core/policy/removeDelivery.js';
import type { GrantTarget, PolicyDocument } from '../../../../lib/core/policy/types.js';
import {
  broadGrantArb,
  deliverySourceArb,
  foreignPolicyArb,
  mixedPolicyArb,
  sourcePairArb,
} from '../../../helpers/policyArbitraries.js';

const targetArb = fc.constantFrom<GrantTarget>('destination-policy', 'key-policy');
const OUR_SIDS = new Set<unknown>([DESTINATION_GRANT_SID, KEY_GRANT_SID]);

/** Each statement we did not write, serialized, in document order. */
function foreignStatements(document: PolicyDocument | undefined): string[] {
  if (document === undefined) return [];
  const list = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return list
    .filter((statement) => !OUR_SIDS.has(statement.Sid))
    .map((statement) => JSON.stringify(statement));
}

function topLevel(document: PolicyDocument | undefined): string {
  const { Statement: _statement, ...rest } = document ?? { Statement: [] };
  return JSON.stringify(rest);
}

describe('ensureDelivery() properties', () => {
  it('keeps every foreign statement byte-identical, in order, with the top-level members', () => {
    fc.assert(
      fc.property(foreignPolicyArb, deliverySourceArb, targetArb, (policy, source, target) => {
        const before = JSON.stringify(policy);
        const { document } = ensureDelivery(policy, source, target);
        expect(JSON.stringify(policy)).toBe(before);
        expect(foreignStatements(document)).toEqual(foreignStatements(policy));
        expect(topLevel(document)).toBe(topLevel(policy));
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(mixedPolicyArb, deliverySourceArb, targetArb, (policy, source, target) => {
        fc.pre(evaluateDelivery(policy, source, target) !== 'explicit-deny');
        const once = ensureDelivery(policy, source, target).document;
        const twice = ensureDelivery(once, source, target);
        expect(twice.changed).toBe(false);
        expect(twice.document).toBe(once);
      }),
    );
  });

  it('makes the delivery allowed whenever no Deny matches', () => {
    fc.assert(
      fc.property(mixedPolicyArb, deliverySourceArb, targetArb, (policy, source, target) => {
        fc.pre(evaluateDelivery(policy, source, target) !== 'explicit-deny');
        expect(allowsDelivery(ensureDelivery(policy, source, target).document, source, target)).toBe(true);
      }),
    );
  });

  it('changes nothing when a broader grant already allows the delivery', () => {
    fc.assert(
      fc.property(
        foreignPolicyArb,
        broadGrantArb,
        fc.nat(),
        deliverySourceArb,
        targetArb,
        (policy, grant, position, source, target) => {
          const list = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
          const at = position % (list.length + 1);
          const granted = { ...policy, Statement: [...list.slice(0, at), grant, ...list.slice(at)] };
          const change = ensureDelivery(granted, source, target);
          expect(change.changed).toBe(false);
          expect(change.document).toBe(granted);
        },
      ),
    );
  });
});

describe('removeDelivery() properties', () => {
  it('leaves the account-keyed grant ensureDelivery wrote, and foreign statements byte-identical', () => {
    fc.assert(
      fc.property(foreignPolicyArb, deliverySourceArb, targetArb, (policy, source, target) => {
        const granted = ensureDelivery(policy, source, target).document;
        // The statement serves every bucket of the account; one bucket's revoke cannot know the others left.
        expect(removeDelivery(granted, source, target)).toEqual({ document: granted, changed: false });
        expect(foreignStatements(granted)).toEqual(foreignStatements(policy));
        expect(
          allowsDelivery(granted, { ...source, sourceBucket: `${source.sourceBucket}-sibling` }, target),
        ).toBe(true);
      }),
    );
  });

  it('keeps the delivery of another source to the same destination', () => {
    fc.assert(
      fc.property(mixedPolicyArb, sourcePairArb, targetArb, (policy, [first, second], target) => {
        fc.pre(evaluateDelivery(policy, first, target) !== 'explicit-deny');
        fc.pre(evaluateDelivery(policy, second, target) !== 'explicit-deny');
        const withFirst = ensureDelivery(policy, first, target).document;
        const withBoth = ensureDelivery(withFirst, second, target).document;
        const { document } = removeDelivery(withBoth, first, target);
        expect(allowsDelivery(document, second, target)).toBe(true);
        expect(foreignStatements(document)).toEqual(foreignStatements(policy));
      }),
    );
  });
});
