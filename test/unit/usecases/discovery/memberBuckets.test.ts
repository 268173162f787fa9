import { describe, expect, it } from 'vitest';
import type { TemplateDeclaration } from '../../../../lib/core/desired/resolveTemplates.js';
import { PortError } from '../../../../lib/core/reconcile/portError.js';
import type { AccountBuckets } from '../../../../lib/usecases/discovery/discoverAccount.js';
import { type MemberBucketsDeps, memberBuckets } from '../../../../lib/usecases/discovery/memberBuckets.js';
import { makeConfiguration } from '../../../helpers/factories.js';

const ORG = 'o-a1b2c3d4e5';
const SEC = 'ou-ab12-cdef3456';
const APPS = 'ou-ab12-99998888';
const HOME = '111111111111';
const AUDIT = '222222222222';
const WEB = '333333333333';
const API = '444444444444';
const parents: Record<string, string[]> = { [AUDIT]: [ORG, SEC], [WEB]: [ORG, APPS], [API]: [ORG, APPS] };

function declared(name: string, match: Record<string, unknown>): TemplateDeclaration {
  return {
    template: {
      name,
      match,
      inventories: [makeConfiguration({ Id: name })],
    } as TemplateDeclaration['template'],
    defaults: {},
    origin: name,
  };
}

/** One account's buckets (name → region, tags); `refused`: its role cannot be assumed. */
function account(buckets: Record<string, [string, Record<string, string>]>, refused = false): AccountBuckets {
  const denied = () => new PortError('AssumeRole: Access Denied', { code: 'AccessDenied', status: 403 });
  return {
    async bucketLocations() {
      if (refused) throw denied();
      return Object.entries(buckets).map(([name, [region]]) => ({ name, region }));
    },
    async tagsIn(regions) {
      if (refused) throw denied();
      return new Map(
        Object.entries(buckets)
          .filter(([, [region, own]]) => regions.includes(region) && Object.keys(own).length > 0)
          .map(([name, [, own]]) => [name, own]),
      );
    },
    async regionOf() {
      return undefined;
    },
  };
}

function deps(accounts: Record<string, AccountBuckets>, listed: string[] = []): MemberBucketsDeps {
  return {
    allowedAccounts: async () => new Set([HOME, AUDIT, WEB, API]),
    homeAccount: async () => HOME,
    parentsOf: async (id) => parents[id] ?? [],
    bucketsOf: (id) => {
      listed.push(id);
      const source = accounts[id];
      if (!source) throw new Error(`account ${id} was not expected to be listed`);
      return source;
    },
  };
}

const byOuAndTag = [declared('org', { tags: { team: 'x' }, accounts: [SEC, APPS], regions: ['eu-west-1'] })];

describe('memberBuckets()', () => {
  it('lists every member account a template reaches with its own source, keeping what templates select', async () => {
    const listed: string[] = [];
    const found = await memberBuckets(
      byOuAndTag,
      deps(
        {
          [AUDIT]: account({ 'audit-logs': ['eu-west-1', { team: 'x' }], 'audit-tmp': ['eu-west-1', {}] }),
          [WEB]: account({ 'web-eu': ['eu-west-1', { team: 'x' }], 'web-us': ['us-east-1', { team: 'x' }] }),
          [API]: account({}),
        },
        listed,
      ),
      { runId: 'cli-1' },
    );
    expect(found).toEqual({
      accounts: [AUDIT, WEB, API],
      buckets: [
        { bucket: 'audit-logs', account: AUDIT, region: 'eu-west-1' },
        { bucket: 'web-eu', account: WEB, region: 'eu-west-1' },
      ],
      failures: [],
    });
    expect(listed.sort()).toEqual([AUDIT, WEB, API].sort());
  });

  it('names an account whose role is refused and still returns the others', async () => {
    const found = await memberBuckets(
      byOuAndTag,
      deps({
        [AUDIT]: account({ 'audit-logs': ['eu-west-1', { team: 'x' }] }),
        [WEB]: account({ 'web-eu': ['eu-west-1', { team: 'x' }] }, true),
        [API]: account({ 'api-eu': ['eu-west-1', { team: 'x' }] }),
      }),
      { runId: 'cli-1', concurrency: 1 },
    );
    expect(found.buckets.map((entry) => entry.bucket)).toEqual(['api-eu', 'audit-logs']);
    expect(found.failures).toEqual([{ account: WEB, message: 'PortError: AssumeRole: Access Denied' }]);
  });

  it('asks only the accounts given (--account), and nothing at all without a template naming accounts', async () => {
    const listed: string[] = [];
    const found = await memberBuckets(
      byOuAndTag,
      deps({ [API]: account({ 'api-eu': ['eu-west-1', { team: 'x' }] }) }, listed),
      { runId: 'cli-1', accounts: [API, HOME] },
    );
    expect(found.buckets).toEqual([{ bucket: 'api-eu', account: API, region: 'eu-west-1' }]);
    expect(listed).toEqual([API]);

    const untouched: MemberBucketsDeps = {
      allowedAccounts: () => Promise.reject(new Error('not asked')),
      homeAccount: () => Promise.reject(new Error('not asked')),
      parentsOf: () => Promise.reject(new Error('not asked')),
      bucketsOf: () => {
        throw new Error('not asked');
      },
    };
    expect(await memberBuckets([declared('home', { names: ['*'] })], untouched, { runId: 'r' })).toEqual({
      accounts: [],
      buckets: [],
      failures: [],
    });
  });

  it('rethrows what is not a port failure (a bug)', async () => {
    const broken = account({});
    broken.bucketLocations = async () => {
      throw new TypeError('boom');
    };
    await expect(
      memberBuckets(byOuAndTag, deps({ [AUDIT]: broken, [WEB]: account({}), [API]: account({}) }), {
        runId: 'r',
        accounts: [AUDIT],
      }),
    ).rejects.toThrow(TypeError);
  });
});
