import { describe, expect, it } from 'vitest';
import { allowsDelivery } from '../../../../lib/core/policy/allowsDelivery.js';
import { POLICY_SIZE_LIMITS } from '../../../../lib/core/policy/constants.js';
import { ensureDelivery } from '../../../../lib/core/policy/ensureDelivery.js';
import { guardPolicyWrite } from '../../../../lib/core/policy/guardPolicyWrite.js';
import { serializePolicy } from '../../../../lib/core/policy/parsePolicy.js';
import type { DeliverySource, GrantTarget, PolicyDocument } from '../../../../lib/core/policy/types.js';
import { makeDeliverySource } from '../../../helpers/policyArbitraries.js';

const ACCOUNTS = Array.from({ length: 50 }, (_, index) => String(100000000000 + index * 7919));
const SOURCES: DeliverySource[] = Array.from({ length: 10_000 }, (_, index) =>
  makeDeliverySource({
    sourceBucket: `org-source-${String(index).padStart(5, '0')}`,
    sourceAccount: ACCOUNTS[index % ACCOUNTS.length]!,
    configurationId: 'org-daily',
  }),
);

function byteSize(document: PolicyDocument | undefined): number {
  return new TextEncoder().encode(serializePolicy(document!)).length;
}

/** Grants every source one at a time, as workers do, each write checked by the guard; counts the writes. */
function grantAll(target: GrantTarget): { document: PolicyDocument | undefined; writes: number } {
  let document: PolicyDocument | undefined;
  let writes = 0;
  for (const source of SOURCES) {
    const change = ensureDelivery(document, source, target);
    if (!change.changed) continue;
    guardPolicyWrite({
      target,
      name: target === 'key-policy' ? source.keyArn! : source.destinationBucket,
      before: document,
      after: change.document,
      source: { bucket: source.sourceBucket, account: source.sourceAccount },
    });
    document = change.document;
    writes += 1;
  }
  return { document, writes };
}

// Ten thousand evaluations take seconds on a loaded machine: a generous timeout, no timing assertion.
describe('the account-keyed grant at organization scale', { timeout: 120_000 }, () => {
  it.each<GrantTarget>(['destination-policy', 'key-policy'])(
    'keeps the %s of 10,000 sources in 50 accounts far under its limit, one change per account',
    (target) => {
      const { document, writes } = grantAll(target);
      expect(writes).toBe(50);
      const size = byteSize(document);
      // 50 accounts: about 16 bytes each beside one fixed statement; the limit is 20 or 32 KB.
      expect(size).toBeLessThan(1500);
      expect(size).toBeLessThan(POLICY_SIZE_LIMITS[target] / 10);
      for (const source of SOURCES.filter((_, index) => index % 97 === 0)) {
        expect(allowsDelivery(document, source, target)).toBe(true);
      }
      const outsider = makeDeliverySource({
        sourceAccount: '999999999999',
        sourceBucket: 'org-source-00000',
      });
      expect(allowsDelivery(document, outsider, target)).toBe(false);
    },
  );

  it('grows by account, not by bucket: five hundred more buckets of the same accounts add nothing', () => {
    const { document } = grantAll('destination-policy');
    const more = Array.from({ length: 500 }, (_, index) =>
      makeDeliverySource({ sourceBucket: `late-${index}`, sourceAccount: ACCOUNTS[index % 50]! }),
    );
    for (const source of more) {
      expect(ensureDelivery(document, source)).toEqual({ document, changed: false });
    }
  });
});
