import { describe, expect, it } from 'vitest';
import {
  type GrantRecord,
  grantRecordId,
  unnamedPolicies,
} from '../../../../lib/core/grants/grantRecords.js';
import type { ReachedPolicy } from '../../../../lib/core/grants/types.js';

const KEY = 'arn:aws:kms:us-east-1:222233334444:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const record = (overrides: Partial<GrantRecord>): GrantRecord => ({
  target: 'destination-policy',
  name: 'central-reports',
  account: '222233334444',
  partition: 'aws',
  home: 'central-reports',
  region: 'eu-west-1',
  enforce: true,
  managed: true,
  ...overrides,
});
const reached = (name: string): ReachedPolicy => ({
  target: 'destination-policy',
  name,
  partition: 'aws',
  deliveries: [{ account: '111122223333', configurationId: 'daily', enforce: true }],
  destinations: [name],
  sourceRegions: [],
});

describe('unnamedPolicies()', () => {
  it('turns each managed record the catalog no longer names into a policy with no delivery (a prune)', () => {
    const records = [
      record({ target: 'key-policy', name: KEY, home: 'old-reports', region: 'us-east-1', enforce: false }),
      record({ name: 'still-named' }),
      record({ name: 'old-reports', home: 'old-reports' }),
      record({ name: 'never-written', managed: false }),
    ];
    expect(unnamedPolicies(records, [reached('still-named')])).toEqual([
      {
        target: 'destination-policy',
        name: 'old-reports',
        partition: 'aws',
        deliveries: [],
        owner: '222233334444',
        destinations: ['old-reports'],
        sourceRegions: ['eu-west-1'],
        unnamed: { enforce: true },
      },
      {
        target: 'key-policy',
        name: KEY,
        partition: 'aws',
        deliveries: [],
        destinations: ['old-reports'],
        sourceRegions: ['us-east-1'],
        unnamed: { enforce: false },
      },
    ]);
  });

  it('keys records by target and name', () => {
    expect([grantRecordId('destination-policy', 'a'), grantRecordId('key-policy', KEY)]).toEqual([
      'destination:a',
      `key:${KEY}`,
    ]);
  });
});
