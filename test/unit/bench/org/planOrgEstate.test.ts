import { describe, expect, it } from 'vitest';
import {
  actualOrgConfigurations,
  ORG_ESTATE,
  OrgDrift,
  orgConfiguration,
  orgTemplate,
  planOrgEstate,
} from '../../../../bench/org/planOrgEstate.js';
import { matchesTemplate } from '../../../../lib/core/desired/resolveTemplates.js';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

describe('planOrgEstate()', () => {
  it('deals N buckets round A accounts, each holding ⌊N/A⌋ or ⌈N/A⌉ with names unique over the estate', () => {
    const plan = planOrgEstate(50, 10_003);
    expect(plan.buckets).toBe(10_003);
    expect(plan.accounts).toHaveLength(50);
    const sizes = plan.accounts.map((account) => account.buckets.length);
    expect(Math.min(...sizes)).toBe(200);
    expect(Math.max(...sizes)).toBe(201);
    expect(sizes.reduce((sum, n) => sum + n, 0)).toBe(10_003);
    const names = plan.accounts.flatMap((account) => [
      ...account.buckets.map((bucket) => bucket.bucket),
      account.untagged,
    ]);
    expect(new Set(names).size).toBe(10_003 + 50);
    expect(plan.accounts[1]).toMatchObject({ name: 'bench-org-002', untagged: 'bench-org-002-untagged' });
    expect(planOrgEstate(2, 4).accounts[1]!.buckets.map((bucket) => bucket.bucket)).toEqual([
      'bench-org-002-00002',
      'bench-org-002-00004',
    ]);
  });

  it('gives 100 buckets the adoption mix exactly, and every account every drift kind once it holds twenty', () => {
    expect(planOrgEstate(5, 100).mix).toEqual({ missing: 70, changed: 20, ungranted: 10 });
    for (const account of planOrgEstate(3, 300).accounts) {
      const kinds = new Set(account.buckets.map((bucket) => bucket.drift));
      expect([...kinds].sort()).toEqual(Object.values(OrgDrift).sort());
    }
  });

  it('puts the accounts round the leaf OUs, all below the OUs the template names', () => {
    const plan = planOrgEstate(4, 4);
    expect(plan.accounts.map((account) => account.unit)).toEqual(['prod', 'dev', 'sandbox', 'prod']);
    const below = (unit: keyof typeof ORG_ESTATE.units): string[] => {
      const parent = ORG_ESTATE.units[unit].parent;
      return parent === 'root' ? [unit] : [unit, ...below(parent)];
    };
    for (const account of plan.accounts) {
      expect(
        below(account.unit).some((unit) => (ORG_ESTATE.templateUnits as readonly string[]).includes(unit)),
      ).toBe(true);
    }
  });

  it.each([
    [0, 10, 'accounts must be ≥ 1, not 0'],
    [5, 4, 'buckets must be a whole number ≥ accounts (5), not 4'],
    [2, 2.5, 'buckets must be a whole number ≥ accounts (2), not 2.5'],
  ])('refuses %s accounts with %s buckets', (accounts, buckets, message) => {
    expect(() => planOrgEstate(accounts, buckets)).toThrow(message);
  });
});

describe('actualOrgConfigurations()', () => {
  const declared = orgConfiguration('123456789012', KEY);

  it('leaves a missing bucket empty, changes the schedule of a changed one, keeps an ungranted one as declared', () => {
    expect(actualOrgConfigurations(OrgDrift.Missing, declared)).toEqual([]);
    expect(actualOrgConfigurations(OrgDrift.Changed, declared)).toEqual([
      { ...declared, Schedule: { Frequency: 'Weekly' } },
    ]);
    expect(actualOrgConfigurations(OrgDrift.Ungranted, declared)).toEqual([declared]);
  });
});

describe('orgTemplate()', () => {
  const template = orgTemplate(
    ['ou-ab12-workload1', 'ou-ab12-sandbox1'],
    orgConfiguration('123456789012', KEY),
  );

  it('delivers to the one destination of the home account, encrypted with the one key', () => {
    expect(template.inventories[0]!.Destination?.S3BucketDestination).toMatchObject({
      Bucket: `arn:aws:s3:::${ORG_ESTATE.destination}`,
      AccountId: '123456789012',
      Encryption: { SSEKMS: { KeyId: KEY } },
    });
  });

  it('selects a tagged bucket of a member account below a named OU in the region, and nothing else', () => {
    const bucket = {
      name: 'bench-org-001-00001',
      tags: { [ORG_ESTATE.tag.Key]: ORG_ESTATE.tag.Value },
      account: '111122223333',
      parents: ['o-abc1234567', 'ou-ab12-workload1', 'ou-ab12-prod0001'],
      region: ORG_ESTATE.region,
      home: false,
    };
    expect(matchesTemplate(template.match, bucket)).toBe(true);
    expect(matchesTemplate(template.match, { ...bucket, tags: {} })).toBe(false);
    expect(matchesTemplate(template.match, { ...bucket, region: 'eu-west-1' })).toBe(false);
    expect(matchesTemplate(template.match, { ...bucket, parents: ['o-abc1234567'] })).toBe(false);
  });
});
