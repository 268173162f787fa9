import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../lib/core/alerts/types.js';
import type { DeclaredSource, GrantCatalog } from '../../../../lib/core/grants/types.js';
import type { InventoryConfiguration } from '../../../../lib/core/inventory/types.js';
import type { PolicyDocument, PolicyStatement } from '../../../../lib/core/policy/types.js';
import type { SweepGrantsDeps } from '../../../../lib/usecases/sweepGrants/ports.js';
import { sweepGrants } from '../../../../lib/usecases/sweepGrants/sweepGrants.js';
import { makeKmsConfiguration } from '../../../helpers/factories.js';
import { createMemoryEstate, EstateError } from '../../../helpers/memoryEstate.js';
import { memoryGrantRecords } from '../../../helpers/memoryGrantRecords.js';
import {
  accountDestinationGrant,
  accountKeyGrant,
  DESTINATION_BUCKET,
  foreignStatement,
  KEY_ARN,
  makePolicy,
} from '../../../helpers/reconcileFactories.js';

// #18: the grant step's records (`#grants`): a destination and key no declaration names any more are pruned,
// and the step's own failures are said once, reminded and resolved.
const HOME = '111122223333';
const B = '222233334444';
const DAY = 24 * 3_600_000;
const statements = (document: PolicyDocument | undefined) => (document?.Statement ?? []) as PolicyStatement[];
const at = (hours: number) => ({
  runId: `sweep-${hours}`,
  actor: 's3ir-schedule',
  now: () => new Date(Date.parse('2026-12-06T12:00:00Z') + hours * 3_600_000),
});

function source(bucket: string, account: string, configurations: InventoryConfiguration[]): DeclaredSource {
  const items = configurations.map((configuration) => ({ bucket, id: configuration.Id!, configuration }));
  return { bucket, account, mode: 'enforce', prune: false, items };
}

const shared = (() => {
  const base = makeKmsConfiguration(KEY_ARN);
  const destination = { ...base.Destination!.S3BucketDestination!, AccountId: HOME };
  return { ...base, Destination: { S3BucketDestination: destination } };
})();

function catalogOf(accounts: readonly string[]): GrantCatalog {
  return {
    declared: accounts.map((account) => source(`src-${account}`, account, [shared])),
    templates: [],
    refusedTemplates: 0,
  };
}

function setUp() {
  const foreign = foreignStatement();
  const estate = createMemoryEstate()
    .addBucket(DESTINATION_BUCKET, { policy: makePolicy([foreign]) })
    .addKey(KEY_ARN);
  const records = memoryGrantRecords();
  const alerts: Alert[] = [];
  const unreadable = new Set<string>();
  const deps: SweepGrantsDeps = {
    bounds: async () => ({ home: HOME, allowed: new Set([HOME, B]), membership: undefined }),
    portsForSweep: () => ({
      destination: async ({ bucket }) => {
        const facts = estate.factsFor(DESTINATION_BUCKET).destinations[bucket]!;
        return unreadable.has(bucket)
          ? { ...facts, policy: { state: 'unreadable', reason: 'AccessDenied on GetBucketPolicy (403)' } }
          : facts;
      },
      key: async (keyArn) => estate.factsFor(DESTINATION_BUCKET).keys[keyArn]!,
      invalidate: () => undefined,
      applyPorts: () => estate,
    }),
    leaseWait: { budgetMs: 0 },
    records,
    failures: {
      audit: estate.audit,
      deliver: async (sent) => {
        alerts.push(...sent);
        return { sent: sent.length, queued: [] };
      },
      reminderMs: DAY,
    },
  };
  return { estate, deps, records, alerts, foreign, unreadable };
}

describe('sweepGrants() with its records', () => {
  it('prunes a destination and a key no declaration names any more: our statements only, then forgets them', async () => {
    const { estate, deps, records, foreign } = setUp();
    const first = await sweepGrants(catalogOf([HOME, B]), deps, at(0));
    expect(first.remembered).toEqual([`destination:${DESTINATION_BUCKET}`, `key:${KEY_ARN}`]);
    expect(records.records.get(`destination:${DESTINATION_BUCKET}`)).toEqual({
      target: 'destination-policy',
      name: DESTINATION_BUCKET,
      account: HOME,
      partition: 'aws',
      home: DESTINATION_BUCKET,
      region: 'us-east-1',
      enforce: true,
      managed: true,
    });
    const keyBefore = statements(estate.keyPolicyOf(KEY_ARN));
    expect(keyBefore).toContainEqual(accountKeyGrant([HOME, B]));
    const foreignBefore = JSON.stringify(statements(estate.policyOf(DESTINATION_BUCKET))[0]);

    // Every declaration gone: the catalog names neither the destination nor the key.
    const writes = estate.writes().length;
    const report = await sweepGrants(catalogOf([]), deps, at(1));
    expect(report.unnamed).toEqual([`destination:${DESTINATION_BUCKET}`, `key:${KEY_ARN}`]);
    expect(report.written.map((entry) => [entry.name, entry.accounts, entry.removed])).toEqual([
      [DESTINATION_BUCKET, [], [HOME, B]],
      [KEY_ARN, [], [HOME, B]],
    ]);
    expect(estate.writes().slice(writes)).toEqual([
      `bucketPolicy.put ${DESTINATION_BUCKET}`,
      `keyPolicy.put ${KEY_ARN}`,
    ]);
    expect(JSON.stringify(statements(estate.policyOf(DESTINATION_BUCKET))[0])).toBe(foreignBefore);
    expect(estate.policyOf(DESTINATION_BUCKET)).toEqual(makePolicy([foreign]));
    expect(statements(estate.keyPolicyOf(KEY_ARN))).toEqual(
      keyBefore.filter((statement) => statement.Sid !== accountKeyGrant([HOME]).Sid),
    );
    // Through apply, as every grant: one audit event each, on the destination's chain, by the schedule.
    expect(estate.events.slice(-2).map((event) => [event.bucket, event.action, event.actor])).toEqual([
      [DESTINATION_BUCKET, 'destination-policy-updated', 's3ir-schedule'],
      [DESTINATION_BUCKET, 'key-policy-updated', 's3ir-schedule'],
    ]);
    expect(report.forgotten).toEqual([`destination:${DESTINATION_BUCKET}`, `key:${KEY_ARN}`]);
    expect(records.records.size).toBe(0);

    const after = estate.writes().length;
    const steady = await sweepGrants(catalogOf([]), deps, at(2));
    expect(steady.unnamed).toEqual([]);
    expect(estate.writes().length).toBe(after);
  });

  it('deletes a destination policy that held only our statement', async () => {
    const { estate, deps } = setUp();
    estate.addBucket(DESTINATION_BUCKET, {});
    await sweepGrants(catalogOf([HOME]), deps, at(0));
    expect(estate.policyOf(DESTINATION_BUCKET)).toEqual(makePolicy([accountDestinationGrant([HOME])]));
    await sweepGrants(catalogOf([]), deps, at(1));
    expect(estate.policyOf(DESTINATION_BUCKET)).toBeUndefined();
    expect(estate.writes()).toContain(`bucketPolicy.delete ${DESTINATION_BUCKET}`);
  });

  it('prunes nothing from an incomplete catalog, and keeps the records', async () => {
    const { estate, deps, records } = setUp();
    await sweepGrants(catalogOf([HOME, B]), deps, at(0));
    const writes = estate.writes().length;
    const report = await sweepGrants({ ...catalogOf([]), refusedTemplates: 1 }, deps, at(1));
    expect(report.unnamed).toEqual([]);
    expect(estate.writes().length).toBe(writes);
    expect([...records.records.keys()]).toEqual([`destination:${DESTINATION_BUCKET}`, `key:${KEY_ARN}`]);
    const incomplete = await sweepGrants({ ...catalogOf([]), incomplete: 'no items' }, deps, at(2));
    expect(incomplete.unnamed).toEqual([]);
    expect(estate.writes().length).toBe(writes);
  });

  it('keeps the record of an unnamed destination whose policy it cannot read, alerts once, and prunes it once readable', async () => {
    const { estate, deps, records, alerts, unreadable } = setUp();
    await sweepGrants(catalogOf([HOME]), deps, at(0));
    unreadable.add(DESTINATION_BUCKET);
    const report = await sweepGrants(catalogOf([]), deps, at(1));
    expect(report.left.map((entry) => entry.name)).toEqual([DESTINATION_BUCKET]);
    expect(records.records.get(`destination:${DESTINATION_BUCKET}`)?.managed).toBe(true);
    expect(alerts.map((alert) => [alert.type, alert.bucket])).toEqual([
      ['reconcile-failed', DESTINATION_BUCKET],
    ]);
    unreadable.clear();
    const writes = estate.writes().length;
    const retried = await sweepGrants(catalogOf([]), deps, at(2));
    expect(estate.writes().slice(writes)).toEqual([`bucketPolicy.put ${DESTINATION_BUCKET}`]);
    expect(alerts.map((alert) => alert.type)).toEqual(['reconcile-failed', 'drift-resolved']);
    expect(retried.forgotten).toContain(`destination:${DESTINATION_BUCKET}`);
    expect(records.records.has(`destination:${DESTINATION_BUCKET}`)).toBe(false);
  });

  it('alerts once when a grant write is refused (AccessDenied), reminds after the interval, resolves once', async () => {
    const { estate, deps, alerts, records } = setUp();
    estate.injectFault({
      operation: 'bucketPolicy.put',
      target: DESTINATION_BUCKET,
      error: new EstateError('AccessDenied', 'User is not authorized to perform: s3:PutBucketPolicy'),
      times: 3, // three sweeps refused, then the role is fixed
    });
    await sweepGrants(catalogOf([HOME, B]), deps, at(0));
    expect(alerts).toEqual([
      expect.objectContaining({
        type: 'reconcile-failed',
        bucket: DESTINATION_BUCKET,
        account: HOME,
        target: DESTINATION_BUCKET,
        summary: expect.stringContaining('(AccessDenied)'),
      }),
    ]);
    const failedEvents = () =>
      estate.events.filter(
        (event) => event.action === 'reconcile-failed' && event.bucket === DESTINATION_BUCKET,
      );
    expect(failedEvents()).toHaveLength(1);
    expect(records.records.get(`destination:${DESTINATION_BUCKET}`)?.status?.state).toBe('failing');

    await sweepGrants(catalogOf([HOME, B]), deps, at(1));
    expect(alerts).toHaveLength(1); // unchanged: nothing said again
    expect(failedEvents()).toHaveLength(1);

    await sweepGrants(catalogOf([HOME, B]), deps, at(25));
    expect(alerts.map((alert) => alert.summary.endsWith('(reminder)'))).toEqual([false, true]);

    // The role is fixed: written, one drift-resolved, the record now says the statement is ours.
    const report = await sweepGrants(catalogOf([HOME, B]), deps, at(26));
    expect(report.written.map((entry) => entry.name)).toEqual([DESTINATION_BUCKET]);
    expect(alerts.map((alert) => alert.type)).toEqual([
      'reconcile-failed',
      'reconcile-failed',
      'drift-resolved',
    ]);
    expect(alerts[2]!.bucket).toBe(DESTINATION_BUCKET);
    const record = records.records.get(`destination:${DESTINATION_BUCKET}`)!;
    expect([record.managed, record.status?.state]).toEqual([true, 'ok']);
  });

  it('only logs a passing failure (throttled): no alert, no status', async () => {
    const { estate, deps, alerts, records } = setUp();
    estate.injectFault({
      operation: 'bucketPolicy.put',
      target: DESTINATION_BUCKET,
      error: Object.assign(new EstateError('SlowDown', 'Please reduce your request rate'), {
        retryable: true,
      }),
    });
    const report = await sweepGrants(catalogOf([HOME]), deps, at(0));
    expect(report.failed.map((entry) => entry.name)).toEqual([DESTINATION_BUCKET]);
    expect(alerts).toEqual([]);
    expect(records.records.get(`destination:${DESTINATION_BUCKET}`)).toBeUndefined();
  });

  it('alerts a key that cannot be read for good (AccessDenied) on `#key:<arn>`', async () => {
    const { deps, alerts } = setUp();
    const ports = deps.portsForSweep;
    deps.portsForSweep = () => {
      const inner = ports();
      return {
        ...inner,
        key: async () => {
          throw Object.assign(new Error('DescribeKey: AccessDenied'), {
            code: 'AccessDenied',
            retryable: false,
          });
        },
      };
    };
    await sweepGrants(catalogOf([HOME]), deps, at(0));
    expect(alerts.map((alert) => [alert.type, alert.bucket])).toEqual([
      ['reconcile-failed', `#key:${KEY_ARN}`],
    ]);
  });
});
