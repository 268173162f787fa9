import { describe, expect, it } from 'vitest';
import type { TemplateDeclaration } from '../../../../lib/core/desired/resolveTemplates.js';
import {
  type AccountBuckets,
  AccountNotDiscoverableError,
  accountsToDiscover,
  discoverAccount,
} from '../../../../lib/usecases/discovery/discoverAccount.js';
import { parseDiscoveryMessage } from '../../../../lib/usecases/discovery/discoveryMessage.js';
import { sweepAccounts } from '../../../../lib/usecases/discovery/sweepAccounts.js';
import type { BucketMessage } from '../../../../lib/usecases/reconcileMessage/bucketMessage.js';
import { makeConfiguration } from '../../../helpers/factories.js';

const ORG = 'o-a1b2c3d4e5';
const SEC = 'ou-ab12-cdef3456';
const APPS = 'ou-ab12-99998888';
const HOME = '111111111111';
const AUDIT = '222222222222';
const WEB = '333333333333';
const parents: Record<string, string[]> = { [AUDIT]: [ORG, SEC], [WEB]: [ORG, APPS] };

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

/** An account's buckets: name → [region | undefined (ListBuckets did not say), tags]. */
function bucketsOf(buckets: Record<string, [string | undefined, Record<string, string>]>) {
  const calls: string[] = [];
  const source: AccountBuckets = {
    async bucketLocations() {
      calls.push('ListBuckets');
      return Object.entries(buckets).map(([name, [region]]) => (region ? { name, region } : { name }));
    },
    async tagsIn(regions) {
      calls.push(`GetResources ${regions.join(',')}`);
      return new Map(
        Object.entries(buckets)
          .filter(
            ([, [region, own]]) => regions.includes(region ?? 'us-west-2') && Object.keys(own).length > 0,
          )
          .map(([name, [, own]]) => [name, own]),
      );
    },
    async regionOf(bucket) {
      calls.push(`HeadBucket ${bucket}`);
      return 'us-west-2';
    },
  };
  return { source, calls };
}

function queue() {
  const sent: BucketMessage[] = [];
  return {
    sent,
    queue: { enqueue: async (messages: readonly BucketMessage[]) => void sent.push(...messages) },
  };
}

describe('discoverAccount()', () => {
  it('enqueues the buckets a template selects by OU, tag and region, with their account and region', async () => {
    const { source, calls } = bucketsOf({
      'audit-logs': ['eu-west-1', { team: 'sec' }],
      'audit-tmp': ['eu-west-1', {}],
      'audit-us': ['us-east-1', { team: 'sec' }],
      'audit-old': [undefined, { team: 'sec' }],
    });
    const { sent, queue: reconcileQueue } = queue();
    const report = await discoverAccount(
      { account: AUDIT, runId: 'sweep-1' },
      {
        templates: async () => [
          declared('sec', { tags: { team: 'sec' }, accounts: [SEC], regions: ['eu-west-1', 'us-west-2'] }),
          declared('home-only', { names: ['*'] }),
          declared('web', { names: ['*'], accounts: [APPS] }),
        ],
        allowedAccounts: async () => new Set([HOME, AUDIT, WEB]),
        parentsOf: async (account) => parents[account] ?? [],
        bucketsOf: () => source,
        queue: reconcileQueue,
      },
    );
    expect(report).toEqual({
      account: AUDIT,
      buckets: ['audit-logs', 'audit-old'],
      regionsAsked: ['audit-old'],
    });
    const sec = { team: 'sec' };
    expect(sent).toEqual([
      {
        bucket: 'audit-logs',
        runId: 'sweep-1',
        reason: 'discovery',
        account: AUDIT,
        region: 'eu-west-1',
        tags: sec,
      },
      {
        bucket: 'audit-old',
        runId: 'sweep-1',
        reason: 'discovery',
        account: AUDIT,
        region: 'us-west-2',
        tags: sec,
      },
    ]);
    // One listing; HeadBucket only for the bucket ListBuckets gave no region; one tag walk over every region.
    expect(calls).toEqual([
      'ListBuckets',
      'HeadBucket audit-old',
      'GetResources eu-west-1,us-east-1,us-west-2',
    ]);
  });

  it('reads no tags when no template selects by tag, and carries none (nor a tag set over the message budget)', async () => {
    const big = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, '€'.repeat(256)]));
    const { source, calls } = bucketsOf({
      'web-1': ['us-east-1', { team: 'web' }],
      'web-2': ['eu-west-1', big],
    });
    const byName = { names: ['web-*'], accounts: [APPS] };
    const run = async (templates: TemplateDeclaration[]) => {
      const { sent, queue: reconcileQueue } = queue();
      await discoverAccount(
        { account: WEB, runId: 'r' },
        {
          templates: async () => templates,
          allowedAccounts: async () => new Set([HOME, WEB]),
          parentsOf: async (account) => parents[account] ?? [],
          bucketsOf: () => source,
          queue: reconcileQueue,
        },
      );
      return sent;
    };

    const untagged = await run([declared('web', byName)]);
    expect(untagged.map((message) => Object.hasOwn(message, 'tags'))).toEqual([false, false]);
    expect(calls).toEqual(['ListBuckets']);

    // A tag template anywhere (here the home account's): every selected bucket carries its whole tag set,
    // but one whose tags would not fit the message goes without (the worker looks them up).
    calls.length = 0;
    const tagged = await run([declared('web', byName), declared('home-tags', { tags: { team: 'x' } })]);
    expect(tagged.map(({ bucket, tags }) => [bucket, tags])).toEqual([
      ['web-1', { team: 'web' }],
      ['web-2', undefined],
    ]);
    expect(calls).toEqual(['ListBuckets', 'GetResources us-east-1,eu-west-1']);
  });

  it('asks nothing of an account no template selects, and refuses an account that is not allowed', async () => {
    const { source, calls } = bucketsOf({ 'web-1': ['us-east-1', {}] });
    const deps = {
      templates: async () => [declared('sec', { names: ['*'], accounts: [SEC] })],
      allowedAccounts: async () => new Set([HOME, WEB]),
      parentsOf: async (account: string) => parents[account] ?? [],
      bucketsOf: () => source,
      queue: queue().queue,
    };
    expect(await discoverAccount({ account: WEB, runId: 'r' }, deps)).toEqual({ account: WEB, buckets: [] });
    await expect(discoverAccount({ account: AUDIT, runId: 'r' }, deps)).rejects.toBeInstanceOf(
      AccountNotDiscoverableError,
    );
    expect(calls).toEqual([]);
  });

  it('keeps what it selected before it enqueues anything (the cleanup must know a bucket before its status exists)', async () => {
    const { source } = bucketsOf({ 'web-1': ['us-east-1', {}], 'web-2': ['us-east-1', {}] });
    const order: string[] = [];
    const deps = {
      templates: async () => [declared('apps', { names: ['web-1'], accounts: [APPS] })],
      allowedAccounts: async () => new Set([HOME, WEB]),
      parentsOf: async (account: string) => parents[account] ?? [],
      bucketsOf: () => source,
      queue: {
        enqueue: async (messages: readonly BucketMessage[]) => void order.push(`enqueue ${messages.length}`),
      },
      keepSelected: async (account: string, buckets: readonly string[], runId: string) =>
        void order.push(`keep ${account} ${buckets.join(',')} ${runId}`),
    };
    await discoverAccount({ account: WEB, runId: 'r' }, deps);
    expect(order).toEqual([`keep ${WEB} web-1 r`, 'enqueue 1']);
    // An account no template selects any more: its record says so (nothing of it is kept by the cleanup).
    order.length = 0;
    await discoverAccount({ account: WEB, runId: 'r2' }, { ...deps, templates: async () => [] });
    expect(order).toEqual([`keep ${WEB}  r2`]);
  });

  it('reads the membership again before refusing an account its copy does not know (the sweep stored it first)', async () => {
    const { source } = bucketsOf({ 'audit-1': ['us-east-1', {}] });
    let known = new Set([HOME, WEB]);
    const forgotten: string[] = [];
    const deps = {
      templates: async () => [declared('sec', { names: ['*'], accounts: [SEC] })],
      allowedAccounts: async () => known,
      forgetMembership: () => {
        forgotten.push('forget');
        known = new Set([HOME, WEB, AUDIT]);
      },
      parentsOf: async (account: string) => parents[account] ?? [],
      bucketsOf: () => source,
      queue: queue().queue,
    };
    expect(await discoverAccount({ account: AUDIT, runId: 'r' }, deps)).toEqual({
      account: AUDIT,
      buckets: ['audit-1'],
    });
    expect(forgotten).toEqual(['forget']);
    // Known at once: nothing forgotten.
    await discoverAccount({ account: AUDIT, runId: 'r' }, deps);
    expect(forgotten).toEqual(['forget']);
  });
});

describe('accountsToDiscover() and sweepAccounts()', () => {
  it('sends one discovery message per allowed member account some template selects, never home', async () => {
    const templates = [declared('sec', { names: ['*'], accounts: [SEC, HOME] })];
    const allowed = new Set([HOME, AUDIT, WEB]);
    expect(accountsToDiscover(templates, allowed, HOME, (account) => parents[account] ?? [])).toEqual([
      AUDIT,
    ]);
    const sent: unknown[] = [];
    const report = await sweepAccounts(
      {
        refresh: async () => ({
          membership: { organizationId: ORG, accounts: {} },
          allowed: [],
          dropped: ['444444444444'],
          added: [],
        }),
        templates: async () => templates,
        allowedAccounts: async () => allowed,
        homeAccount: async () => HOME,
        parentsOf: async (account) => parents[account] ?? [],
        queue: { enqueueDiscovery: async (messages) => void sent.push(...messages) },
      },
      'sweep-9',
    );
    expect(report).toEqual({ accounts: [AUDIT], dropped: ['444444444444'], added: [] });
    expect(sent).toEqual([{ account: AUDIT, runId: 'sweep-9' }]);
  });
});

describe('parseDiscoveryMessage()', () => {
  it('reads an account and a run, and refuses anything else', () => {
    expect(parseDiscoveryMessage('{"account":"222222222222","runId":"r"}')).toEqual({
      account: AUDIT,
      runId: 'r',
    });
    expect(() => parseDiscoveryMessage('{"account":"2222","runId":"r"}')).toThrow(/no 12-digit account/);
    expect(() => parseDiscoveryMessage('{"account":"222222222222"}')).toThrow(/no runId/);
    expect(() => parseDiscoveryMessage('nope')).toThrow(/not JSON/);
  });
});
