import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TemplateDeclaration } from '../../../../lib/core/desired/resolveTemplates.js';
import { accountGrant } from '../../../../lib/core/grants/accountGrant.js';
import { grantReach } from '../../../../lib/core/grants/grantReach.js';
import type { GrantCatalog } from '../../../../lib/core/grants/types.js';
import { grantSources } from '../../../../lib/core/policy/grantShape.js';
import { findGrant } from '../../../../lib/core/policy/grantStatement.js';
import type { PolicyDocument } from '../../../../lib/core/policy/types.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import {
  accountDestinationGrant,
  foreignStatement,
  makePolicy,
} from '../../../helpers/reconcileFactories.js';

const POOL = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'];
const ORG = 'o-a1b2c3d4e5';
const OU = 'ou-ab12-cdef3456';
const membership = {
  organizationId: ORG,
  accounts: Object.fromEntries(POOL.map((account, at) => [account, at % 2 === 0 ? [ORG, OU] : [ORG]])),
};

const account = fc.constantFrom(...POOL);
const catalogArbitrary: fc.Arbitrary<GrantCatalog> = fc.record({
  declared: fc.array(
    fc.record({ bucket: fc.constantFrom('a', 'b', 'c', 'd'), account }).map(({ bucket, account: owner }) => ({
      bucket: `${bucket}-${owner}`,
      account: owner,
      mode: 'enforce' as const,
      prune: false,
      items: [{ bucket: `${bucket}-${owner}`, id: 'daily-csv', configuration: makeConfiguration() }],
    })),
    { maxLength: 6 },
  ),
  templates: fc
    .array(fc.subarray([...POOL, ORG, OU, '999999999999'], { minLength: 1 }), { maxLength: 3 })
    .map((lists) =>
      lists.map(
        (accounts, at) =>
          ({
            template: { name: `t${at}`, match: { accounts }, inventories: [makeConfiguration()] },
            defaults: {},
            origin: `t${at}`,
          }) as TemplateDeclaration,
      ),
    ),
  refusedTemplates: fc.constant(0),
});

const ourAccounts = (document: PolicyDocument | undefined) => {
  const ours = findGrant(document, 'destination-policy');
  return ours === undefined ? [] : grantSources(ours as Record<string, unknown>).sourceAccounts;
};

describe('the sweep grants (properties)', () => {
  it('never grants an account outside the allowed ones, never drops a foreign statement, never removes one still reached', () => {
    fc.assert(
      fc.property(
        catalogArbitrary,
        fc.subarray(POOL, { minLength: 1 }),
        fc.subarray(POOL),
        fc.boolean(),
        (catalog, allowedList, granted, prune) => {
          const allowed = new Set(allowedList);
          const reach = grantReach(catalog, { home: allowedList[0]!, allowed, membership });
          for (const policy of reach.policies) {
            for (const delivery of policy.deliveries) expect(allowed.has(delivery.account)).toBe(true);
            const before = makePolicy([
              foreignStatement(),
              ...(granted.length > 0 ? [accountDestinationGrant(granted)] : []),
            ]);
            const grant = accountGrant(policy, before, prune);
            const after = grant.kind === 'change' ? grant.after : before;
            const now = ourAccounts(after);
            const reached = new Set(policy.deliveries.map((delivery) => delivery.account));
            // Only reached accounts join; what was granted stays unless pruned and unreached.
            for (const value of now) expect(reached.has(value) || granted.includes(value)).toBe(true);
            for (const value of granted) {
              if (!prune || reached.has(value)) expect(now).toContain(value);
            }
            for (const value of reached) expect(now).toContain(value);
            expect((after!.Statement as unknown[])[0]).toEqual(foreignStatement());
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
