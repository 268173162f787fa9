import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../lib/core/alerts/types.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import type { BucketDeliveryStatus } from '../../../../lib/core/delivery/deliveryTransition.js';
import type { TemplateDeclaration } from '../../../../lib/core/desired/resolveTemplates.js';
import type { InventoryConfiguration } from '../../../../lib/core/inventory/types.js';
import { PortError } from '../../../../lib/core/reconcile/portError.js';
import type { ReportLocation } from '../../../../lib/usecases/deliveryCheck/ports.js';
import { runDeliveryCheck } from '../../../../lib/usecases/deliveryCheck/runDeliveryCheck.js';
import type { AccountBuckets } from '../../../../lib/usecases/discovery/discoverAccount.js';
import { type MemberBucketsDeps, memberBuckets } from '../../../../lib/usecases/discovery/memberBuckets.js';
import type { BucketScope, StoredDesiredBucket } from '../../../../lib/usecases/ports.js';
import type { BucketLocation } from '../../../../lib/usecases/reconcileBucket/readBucketState.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { makeBucketFacts } from '../../../helpers/reconcileFactories.js';
import { MemoryReports } from './memoryReports.js';

// #18: the scheduled delivery check covers the buckets templates select in member accounts.
const now = new Date('2026-11-26T12:00:00Z');
const ORG = 'o-a1b2c3d4e5';
const SEC = 'ou-ab12-cdef3456';
const APPS = 'ou-ab12-99998888';
const HOME = '111111111111';
const AUDIT = '222222222222';
const WEB = '333333333333';
const API = '444444444444';
const parents: Record<string, string[]> = { [AUDIT]: [ORG, SEC], [WEB]: [ORG, APPS], [API]: [ORG, APPS] };

/** Into the home account's central destination (AccountId names it). */
const central = makeConfiguration({
  Id: 'central',
  Destination: {
    S3BucketDestination: {
      Bucket: 'arn:aws:s3:::central-reports',
      AccountId: HOME,
      Format: 'CSV',
      Prefix: 'inv',
    },
  },
});
/** Into a destination of the source's own account (no AccountId). */
const local = makeConfiguration({
  Id: 'local',
  Destination: {
    S3BucketDestination: { Bucket: 'arn:aws:s3:::audit-reports', Format: 'CSV', Prefix: 'inv' },
  },
});

const template: TemplateDeclaration = {
  template: {
    name: 'org',
    match: { tags: { team: 'x' }, accounts: [SEC, APPS] },
    inventories: [central],
  } as TemplateDeclaration['template'],
  defaults: {},
  origin: 'org',
};

/** One member account's buckets, all tagged team=x (name → region); `refused`: its role cannot be assumed. */
function accountOf(buckets: Record<string, string>, refused = false): AccountBuckets {
  const denied = () => new PortError('AssumeRole: Access Denied', { code: 'AccessDenied', status: 403 });
  return {
    async bucketLocations() {
      if (refused) throw denied();
      return Object.entries(buckets).map(([name, region]) => ({ name, region }));
    },
    async tagsIn(regions) {
      if (refused) throw denied();
      const tagged = Object.entries(buckets).filter(([, region]) => regions.includes(region));
      return new Map(tagged.map(([name]) => [name, { team: 'x' }]));
    },
    async regionOf() {
      return undefined;
    },
  };
}

function world() {
  const statuses = new Map<string, BucketDeliveryStatus>();
  const events: AuditEvent[] = [];
  const sent: Alert[] = [];
  const reports = new MemoryReports();
  const reportReads: ReportLocation[] = [];
  const inventoryScopes: BucketScope[] = [];
  const locationsSeen = new Map<string, BucketLocation | undefined>();
  const configurations: Record<string, InventoryConfiguration[]> = {
    'home-src': [central],
    'audit-logs': [central, local],
    'api-logs': [central],
    'web-logs': [central],
  };
  const members: MemberBucketsDeps = {
    allowedAccounts: async () => new Set([HOME, AUDIT, WEB, API]),
    homeAccount: async () => HOME,
    parentsOf: async (id) => parents[id] ?? [],
    bucketsOf: (id) =>
      ({
        [AUDIT]: accountOf({ 'audit-logs': 'eu-west-1' }),
        [WEB]: accountOf({ 'web-logs': 'us-east-1' }, true),
        [API]: accountOf({ 'api-logs': 'us-east-1' }),
      })[id]!,
  };
  const deps = {
    buckets: async () => ['home-src'],
    memberBuckets: () => memberBuckets([template], members, { runId: 'delivery-1', concurrency: 1 }),
    depsFor: () => ({
      reconcile: {
        desired: {
          // Resolved where discovery found the bucket, as the desired store resolves a template there.
          getBucket: async (bucket: string, location?: BucketLocation): Promise<StoredDesiredBucket> => {
            locationsSeen.set(bucket, location);
            return {
              bucket,
              mode: 'enforce',
              prune: false,
              region: location?.region ?? 'us-east-1',
              ...(location?.account !== undefined && { account: location.account }),
              items: configurations[bucket]!.map((configuration) => ({
                bucket,
                id: configuration.Id!,
                configuration,
              })),
            };
          },
        },
        facts: {
          bucketRegion: async () => 'us-east-1',
          read: async () => makeBucketFacts(),
          invalidate: () => {},
        },
        allowedAccounts: async () => new Set([HOME, AUDIT, WEB, API]),
        inventoryFor: (scope: BucketScope) => {
          inventoryScopes.push(scope);
          return {
            list: async () => configurations[scope.bucket]!,
            get: async () => undefined,
            put: async () => {},
            delete: async () => {},
          };
        },
      },
      reports: {
        listFolders: (location: ReportLocation, base: string, startAfter?: string) => {
          reportReads.push(location);
          return reports.listFolders(location, base, startAfter);
        },
        readText: (location: ReportLocation, key: string) => reports.readText(location, key),
        objectSize: (location: ReportLocation, key: string) => reports.objectSize(location, key),
      },
      history: { lastChange: async () => undefined },
      now,
    }),
    transitions: {
      statuses: {
        get: async (bucket: string) => statuses.get(bucket),
        put: async (status: BucketDeliveryStatus) => {
          statuses.set(status.bucket, status);
          return true;
        },
      },
      audit: { record: async (event: AuditEvent) => void events.push(event) },
      deliverAlerts: async (alerts: readonly Alert[]) => {
        sent.push(...alerts);
        return { sent: alerts.length, queued: [] };
      },
      now,
      runId: 'delivery-1',
      actor: 'delivery-check',
      reminderMs: 0,
    },
  };
  return { deps, statuses, events, sent, reports, reportReads, inventoryScopes, locationsSeen };
}

/** A report of `source`/`id` delivered this morning into `bucket`. */
function delivered(w: ReturnType<typeof world>, bucket: string, source: string, id: string) {
  w.reports.deliver({
    bucket,
    base: `inv/${source}/${id}/`,
    folder: '2026-11-26T06-00Z',
    source,
  });
}

describe('runDeliveryCheck over member accounts (#18)', () => {
  it("checks the member accounts' buckets beside the home account's, each where it lives", async () => {
    const w = world();
    delivered(w, 'central-reports', 'home-src', 'central');
    delivered(w, 'central-reports', 'audit-logs', 'central');
    delivered(w, 'audit-reports', 'audit-logs', 'local');
    const report = await runDeliveryCheck(w.deps);

    expect(report.results.map((result) => [result.bucket, result.id, result.status])).toEqual([
      ['home-src', 'central', 'ok'],
      ['api-logs', 'central', 'missing'],
      ['audit-logs', 'central', 'ok'],
      ['audit-logs', 'local', 'ok'],
    ]);
    // Templates resolve where discovery found the bucket; the home bucket is resolved as before.
    expect(Object.fromEntries(w.locationsSeen)).toEqual({
      'home-src': undefined,
      'api-logs': { account: API, region: 'us-east-1' },
      'audit-logs': { account: AUDIT, region: 'eu-west-1' },
    });
    // Reports in the destination's account: its AccountId, else the source's own account, in its region.
    const read = [...new Set(w.reportReads.map((location) => JSON.stringify(location)))].sort();
    expect(read.map((location) => JSON.parse(location))).toEqual([
      { bucket: 'audit-reports', account: AUDIT, region: 'eu-west-1' },
      { bucket: 'central-reports', account: HOME, region: 'eu-west-1' },
      { bucket: 'central-reports', account: HOME, region: 'us-east-1' },
    ]);
    // The failing bucket's configurations are read in its own account and region (the likely cause).
    expect(w.inventoryScopes).toEqual([{ bucket: 'api-logs', region: 'us-east-1', account: API }]);
  });

  it("keys a member bucket's status by its name and says the account in its alert", async () => {
    const w = world();
    delivered(w, 'central-reports', 'home-src', 'central');
    delivered(w, 'central-reports', 'audit-logs', 'central');
    delivered(w, 'audit-reports', 'audit-logs', 'local');
    const report = await runDeliveryCheck(w.deps);

    expect(w.sent).toEqual([
      expect.objectContaining({
        type: 'delivery-failed',
        bucket: 'api-logs',
        account: API,
        region: 'us-east-1',
      }),
    ]);
    expect(report.alerts).toEqual(w.sent);
    expect(w.events.map((event) => [event.action, event.bucket, event.configId])).toEqual([
      ['delivery-failed', 'api-logs', 'central'],
    ]);
    expect([...w.statuses.keys()].sort()).toEqual(['api-logs', 'audit-logs', 'home-src']);
    expect(w.statuses.get('api-logs')?.configurations.central?.status).toBe('missing');

    // Once: the next check finds the same failure and sends nothing.
    const again = await runDeliveryCheck(w.deps);
    expect(again.alerts).toEqual([]);
    expect(w.sent).toHaveLength(1);
  });

  it('reports a member account whose buckets cannot be listed, and checks every other account', async () => {
    const w = world();
    const report = await runDeliveryCheck(w.deps);
    expect(report.accountErrors).toEqual([{ account: WEB, message: 'PortError: AssumeRole: Access Denied' }]);
    expect(report.errors).toEqual([]);
    expect([...new Set(report.results.map((result) => result.bucket))]).toEqual([
      'home-src',
      'api-logs',
      'audit-logs',
    ]);
    // Its bucket is not judged: no status written, no alert, so nothing is claimed about its delivery.
    expect(w.statuses.has('web-logs')).toBe(false);
    expect(w.sent.map((alert) => alert.bucket)).not.toContain('web-logs');
  });

  it('checks a bucket the table declares and a template also selects in a member account once, there', async () => {
    const w = world();
    w.deps.buckets = async () => ['home-src', 'audit-logs'];
    const report = await runDeliveryCheck(w.deps);
    expect(report.results.filter((result) => result.bucket === 'audit-logs')).toHaveLength(2);
    expect(w.locationsSeen.get('audit-logs')).toEqual({ account: AUDIT, region: 'eu-west-1' });
  });

  it('without member buckets, checks the home account as before and reports no account', async () => {
    const w = world();
    const { memberBuckets: _, ...homeOnly } = w.deps;
    const report = await runDeliveryCheck(homeOnly);
    expect(report.results.map((result) => result.bucket)).toEqual(['home-src']);
    expect(report.accountErrors).toEqual([]);
    expect(w.sent.map((alert) => [alert.bucket, alert.account])).toEqual([['home-src', undefined]]);
  });
});
