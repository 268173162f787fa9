import { describe, expect, it } from 'vitest';
import {
  accountTargets,
  noBucketsOf,
  parseAccounts,
  renderAccountFailures,
} from '../../../lib/cli/accountFilter.js';
import { UsageError } from '../../../lib/cli/errors.js';
import { PortError } from '../../../lib/core/reconcile/portError.js';
import type { DesiredCatalog } from '../../../lib/usecases/sweep/sweep.js';

const HOME = '123456789012';
const OTHER = '222233334444';
const RUN = 'cli-1';

/** The CLI's deps as accountTargets reads them, counting the desired-state reads. */
function service(catalog: DesiredCatalog, accountBuckets: string[] = []) {
  const reads = { catalog: 0 };
  return {
    reads,
    deps: {
      catalog: async () => {
        reads.catalog += 1;
        return catalog;
      },
      buckets: {
        accountBuckets: async () => accountBuckets,
        bucketsTagged: async () => accountBuckets,
        tagsOf: async () => ({}),
      },
      factory: { homeAccount: async () => HOME },
      members: {
        allowedAccounts: async () => new Set([HOME, OTHER]),
        homeAccount: async () => HOME,
        parentsOf: async () => [],
        bucketsOf: () => {
          throw new Error('no template names accounts: no member account is listed');
        },
      },
    } as unknown as Parameters<typeof accountTargets>[0],
  };
}

describe('parseAccounts()', () => {
  it('keeps 12-digit ids once each, in the order given', () => {
    expect(parseAccounts([OTHER, HOME, OTHER])).toEqual([OTHER, HOME]);
    expect(parseAccounts(undefined)).toEqual([]);
  });

  it.each(['12345', '1234567890123', 'o-abc1234567', 'ou-ab12-cdef3456', '12345678901a', ''])(
    'refuses %j as a usage error (exit 64) naming the flag and the value',
    (value) => {
      const error = (() => {
        try {
          parseAccounts([HOME, value]);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(64);
      expect((error as UsageError).message).toBe(
        `--account: expected a 12-digit AWS account id, got ${JSON.stringify(value)}`,
      );
    },
  );
});

describe('accountTargets()', () => {
  const catalog: DesiredCatalog = {
    buckets: ['home-a', 'other-b', 'where-c'],
    templates: [],
    locations: new Map([
      ['other-b', { region: 'eu-west-1', account: OTHER }],
      ['where-c', { region: 'us-east-1' }],
    ]),
  };

  it('places each bucket in its declared account, else the home account, reading the table once', async () => {
    const { deps, reads } = service(catalog);
    const { buckets, accountOf } = await accountTargets(deps, [], [], RUN);
    expect(buckets).toEqual(['home-a', 'other-b', 'where-c']);
    expect(buckets.map(await accountOf())).toEqual([HOME, OTHER, HOME]);
    expect(reads.catalog).toBe(1);
  });

  it('reads the table once for named buckets: to locate them, and for their accounts', async () => {
    const { deps, reads } = service(catalog);
    const { buckets, accountOf } = await accountTargets(deps, ['where-c', 'other-b'], [], RUN);
    expect(buckets).toEqual(['where-c', 'other-b']);
    expect(buckets.map(await accountOf())).toEqual([HOME, OTHER]);
    expect(reads.catalog).toBe(1);
  });

  it('takes named buckets as they are when the table cannot be read (planning says why)', async () => {
    const { deps } = service(catalog);
    const down = { ...deps, catalog: async () => Promise.reject(new Error('cannot reach')) };
    const targets = await accountTargets(down, ['where-c'], [], RUN);
    expect(targets).toMatchObject({ buckets: ['where-c'], failures: [] });
    expect(targets.locations.size).toBe(0);
  });

  it('keeps only the buckets of the accounts asked for, declared or named', async () => {
    expect((await accountTargets(service(catalog).deps, [], [OTHER], RUN)).buckets).toEqual(['other-b']);
    expect((await accountTargets(service(catalog).deps, [], [HOME], RUN)).buckets).toEqual([
      'home-a',
      'where-c',
    ]);
    const named = await accountTargets(
      service(catalog).deps,
      ['where-c', 'other-b', 'stranger'],
      [HOME],
      RUN,
    );
    // A named bucket nothing declares is the home account's, as the reconcile scopes it.
    expect(named.buckets).toEqual(['where-c', 'stranger']);
    expect((await accountTargets(service(catalog).deps, [], ['999900001111'], RUN)).buckets).toEqual([]);
  });

  it("counts a bucket a template selects in the home account's list as the home account's", async () => {
    const templated: DesiredCatalog = {
      buckets: ['other-b'],
      templates: [{ template: { name: 't', match: { names: ['logs-*'] }, inventories: [] } }] as never,
      locations: new Map([['other-b', { region: 'eu-west-1', account: OTHER }]]),
    };
    const { deps } = service(templated, ['logs-1', 'photos']);
    const { buckets, accountOf } = await accountTargets(deps, [], [HOME], RUN);
    expect(buckets).toEqual(['logs-1']);
    expect((await accountOf())('other-b')).toBe(OTHER);
  });
});

describe('accountTargets() over member accounts (#18)', () => {
  const MEMBER = '333344445555';
  const DENIED = '444455556666';
  const UNIT = 'ou-ab12-cdef3456';
  const catalog: DesiredCatalog = {
    buckets: ['home-a'],
    templates: [
      { template: { name: 'org', match: { names: ['*'], accounts: [UNIT] }, inventories: [] } },
    ] as never,
    locations: new Map(),
  };
  /** The CLI's deps with two member accounts in UNIT: MEMBER lists `member-x`, DENIED refuses its role. */
  function organization(listed: string[] = []) {
    const { deps } = service(catalog);
    const members = {
      allowedAccounts: async () => new Set([HOME, MEMBER, DENIED]),
      homeAccount: async () => HOME,
      parentsOf: async () => [UNIT],
      bucketsOf: (account: string) => {
        listed.push(account);
        const refused = () =>
          Promise.reject(new PortError('AssumeRole: Access Denied', { code: 'AccessDenied' }));
        return {
          bucketLocations: async () =>
            account === DENIED ? refused() : [{ name: 'member-x', region: 'eu-west-1' }],
          accountBuckets: async () => ['member-x'],
          bucketsTagged: async () => ['member-x'],
          regionOf: async () => 'eu-west-1',
        };
      },
    };
    return { ...deps, members } as unknown as Parameters<typeof accountTargets>[0];
  }

  it('adds the buckets templates select in member accounts, with where they live, and names a failed account', async () => {
    const targets = await accountTargets(organization(), [], [], RUN);
    expect(targets.buckets).toEqual(['home-a', 'member-x']);
    expect(targets.locations.get('member-x')).toEqual({ account: MEMBER, region: 'eu-west-1' });
    expect(['home-a', 'member-x'].map(await targets.accountOf())).toEqual([HOME, MEMBER]);
    expect(targets.failures).toEqual([{ account: DENIED, message: 'PortError: AssumeRole: Access Denied' }]);
    expect(renderAccountFailures(targets.failures)).toBe(
      `account ${DENIED}: its buckets could not be listed: PortError: AssumeRole: Access Denied\n`,
    );
  });

  it('asks only the accounts given with --account, and locates a named bucket the table does not declare', async () => {
    const listed: string[] = [];
    const only = await accountTargets(organization(listed), [], [MEMBER], RUN);
    expect(only).toMatchObject({ buckets: ['member-x'], failures: [] });
    expect(listed).toEqual([MEMBER]);
    const named = await accountTargets(organization(), ['member-x', 'home-a'], [], RUN);
    expect(named.buckets).toEqual(['member-x', 'home-a']);
    expect([...named.locations]).toEqual([['member-x', { account: MEMBER, region: 'eu-west-1' }]]);
    // Declared buckets only: nothing to look for, no member account is asked.
    const declared: string[] = [];
    await accountTargets(organization(declared), ['home-a'], [], RUN);
    expect(declared).toEqual([]);
  });
});

describe('noBucketsOf()', () => {
  it('names the accounts', () => {
    expect(noBucketsOf([OTHER])).toBe(
      `No bucket of account ${OTHER} is declared or selected by a template.\n`,
    );
    expect(noBucketsOf([HOME, OTHER])).toBe(
      `No bucket of accounts ${HOME}, ${OTHER} is declared or selected by a template.\n`,
    );
  });
});
