import { describe, expect, it } from 'vitest';
import {
  accountMatches,
  accountsSelectedBy,
  parentsOf,
  parseMembership,
} from '../../../../lib/core/organization/membership.js';
import {
  isAccountSelector,
  isOrganizationUnitId,
} from '../../../../lib/core/organization/organizationIds.js';
import type { OrganizationMembership } from '../../../../lib/core/organization/types.js';

const ORG = 'o-a1b2c3d4e5';
const SECURITY = 'ou-ab12-cdef3456';
const WORKLOADS = 'ou-ab12-99998888';
const PROD = 'ou-ab12-77776666';
const membership: OrganizationMembership = {
  organizationId: ORG,
  accounts: {
    '111111111111': [ORG],
    '222222222222': [ORG, SECURITY],
    '333333333333': [ORG, WORKLOADS, PROD],
  },
};

describe('isOrganizationUnitId()', () => {
  it('takes the organization and OU id formats and nothing else', () => {
    expect(isOrganizationUnitId(ORG)).toBe(true);
    expect(isOrganizationUnitId(SECURITY)).toBe(true);
    expect(isOrganizationUnitId('o-short')).toBe(false);
    expect(isOrganizationUnitId('ou-ab12-cd')).toBe(false);
    expect(isOrganizationUnitId('r-ab12')).toBe(false);
    expect(isOrganizationUnitId('111122223333')).toBe(false);
    expect(isAccountSelector('111122223333')).toBe(true);
    expect(isAccountSelector('11112222333')).toBe(false);
  });
});

describe('accountsSelectedBy()', () => {
  it('selects account ids as given and every account below an OU, at any depth', () => {
    expect([...accountsSelectedBy(['444444444444', WORKLOADS], membership)].sort()).toEqual([
      '333333333333',
      '444444444444',
    ]);
    expect([...accountsSelectedBy([ORG], membership)].sort()).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
    ]);
  });

  it('never widens for an OU the membership does not know, or without a membership', () => {
    expect([...accountsSelectedBy(['ou-zz99-00000000'], membership)]).toEqual([]);
    expect([...accountsSelectedBy([ORG, '444444444444'], undefined)]).toEqual(['444444444444']);
  });
});

describe('accountMatches()', () => {
  it('matches an account by id or by an organization or OU containing it', () => {
    const parents = parentsOf('333333333333', membership);
    expect(accountMatches('333333333333', parents, [PROD])).toBe(true);
    expect(accountMatches('333333333333', parents, ['333333333333'])).toBe(true);
    expect(accountMatches('333333333333', parents, [SECURITY])).toBe(false);
    expect(accountMatches(undefined, [], [ORG])).toBe(false);
    expect(parentsOf('999999999999', membership)).toEqual([]);
  });
});

describe('parseMembership()', () => {
  it('keeps a well-formed membership and refuses anything else', () => {
    expect(parseMembership(JSON.parse(JSON.stringify(membership)))).toEqual(membership);
    expect(parseMembership({ organizationId: 'nope', accounts: {} })).toBeUndefined();
    expect(parseMembership({ organizationId: ORG, accounts: { '12': [ORG] } })).toBeUndefined();
    expect(parseMembership({ organizationId: ORG, accounts: { '111111111111': ['*'] } })).toBeUndefined();
    expect(parseMembership(null)).toBeUndefined();
  });
});
