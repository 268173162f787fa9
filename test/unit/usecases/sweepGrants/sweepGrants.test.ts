import { describe, expect, it } from 'vitest';
import type { DeclaredSource, GrantCatalog } from '../../../../lib/core/grants/types.js';
import type { InventoryConfiguration } from '../../../../lib/core/inventory/types.js';
import type { ChangeBrake } from '../../../../lib/usecases/brake/ports.js';
import type { SweepGrantsDeps } from '../../../../lib/usecases/sweepGrants/ports.js';
import { sweepGrants } from '../../../../lib/usecases/sweepGrants/sweepGrants.js';
import { makeConfiguration, makeKmsConfiguration } from '../../../helpers/factories.js';
import { createMemoryEstate, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import { createMemoryIntentLog } from '../../../helpers/memoryIntentLog.js';
import {
  accountDestinationGrant,
  accountKeyGrant,
  DESTINATION_BUCKET,
  foreignStatement,
  KEY_ARN,
  makePolicy,
} from '../../../helpers/reconcileFactories.js';

const HOME = '111122223333';
const B = '222233334444';
const C = '333344445555';
const OTHER_DESTINATION = 'other-reports';
const context = { runId: 'sweep-1', actor: 's3ir-schedule', now: () => new Date('2026-12-06T12:00:00Z') };

function source(bucket: string, account: string, configurations: InventoryConfiguration[]): DeclaredSource {
  const items = configurations.map((configuration) => ({ bucket, id: configuration.Id!, configuration }));
  return { bucket, account, mode: 'enforce', prune: false, items };
}

/** Delivering to the home account's destination with its key: sources in other accounts name its owner. */
const shared = (() => {
  const base = makeKmsConfiguration(KEY_ARN);
  const destination = { ...base.Destination!.S3BucketDestination!, AccountId: HOME };
  return { ...base, Destination: { S3BucketDestination: destination } };
})();

/** Three accounts, two buckets each, one destination and one key. */
function catalogOf(accounts: readonly string[]): GrantCatalog {
  const declared = accounts.flatMap((account) =>
    [1, 2].map((n) => source(`src-${account}-${n}`, account, [shared])),
  );
  return { declared, templates: [], refusedTemplates: 0 };
}

function setUp(options: { brake?: ChangeBrake; failDestination?: string } = {}) {
  const estate: MemoryEstate = createMemoryEstate()
    .addBucket(DESTINATION_BUCKET, { policy: makePolicy([foreignStatement()]) })
    .addBucket(OTHER_DESTINATION)
    .addKey(KEY_ARN);
  const intents = createMemoryIntentLog({ log: [] });
  const deps: SweepGrantsDeps = {
    bounds: async () => ({ home: HOME, allowed: new Set([HOME, B, C]), membership: undefined }),
    portsForSweep: () => ({
      destination: async ({ bucket }) => {
        if (bucket === options.failDestination) throw new Error(`injected: GetBucketPolicy ${bucket} failed`);
        return estate.factsFor(DESTINATION_BUCKET).destinations[bucket]!;
      },
      key: async (keyArn) => estate.factsFor(DESTINATION_BUCKET).keys[keyArn]!,
      invalidate: () => undefined,
      applyPorts: () => estate,
    }),
    intents,
    leaseWait: { budgetMs: 0 },
    ...(options.brake !== undefined && { brake: options.brake }),
  };
  return { estate, deps, intents };
}

describe('sweepGrants()', () => {
  it('writes each shared policy once for three accounts, and nothing on the next sweep', async () => {
    const { estate, deps, intents } = setUp();
    const report = await sweepGrants(catalogOf([HOME, B, C]), deps, context);

    expect(estate.writes()).toEqual([`bucketPolicy.put ${DESTINATION_BUCKET}`, `keyPolicy.put ${KEY_ARN}`]);
    expect(estate.policyOf(DESTINATION_BUCKET)).toEqual(
      makePolicy([foreignStatement(), accountDestinationGrant([HOME, B, C])]),
    );
    expect(estate.keyPolicyOf(KEY_ARN).Statement).toContainEqual(accountKeyGrant([HOME, B, C]));
    expect(report.written.map((entry) => [entry.target, entry.added])).toEqual([
      ['destination-policy', [HOME, B, C]],
      ['key-policy', [HOME, B, C]],
    ]);
    // One audit event per write, on the destination's chain, in the past tense; intents completed.
    expect(estate.events.map((event) => [event.bucket, event.action, event.message])).toEqual([
      [
        DESTINATION_BUCKET,
        'destination-policy-updated',
        `set S3 delivery on ${DESTINATION_BUCKET} to accounts ${HOME}, ${B}, ${C} (added ${HOME}, ${B}, ${C})`,
      ],
      [
        DESTINATION_BUCKET,
        'key-policy-updated',
        `set S3 delivery on key ${KEY_ARN} to accounts ${HOME}, ${B}, ${C} (added ${HOME}, ${B}, ${C})`,
      ],
    ]);
    expect(await intents.pending(DESTINATION_BUCKET)).toEqual([]);
    expect(estate.events.every((event) => event.intentId === undefined)).toBe(true);

    const calls = estate.calls.length;
    const steady = await sweepGrants(catalogOf([HOME, B, C]), deps, context);
    expect(estate.calls.slice(calls)).toEqual([]); // facts came from the ports; apply was not called
    expect(steady.unchanged).toHaveLength(2);
    expect(steady.written).toEqual([]);
  });

  it('prunes an account whose last declaration left, with one write, keeping the foreign statement', async () => {
    const { estate, deps } = setUp();
    await sweepGrants(catalogOf([HOME, B, C]), deps, context);
    const report = await sweepGrants(catalogOf([HOME, C]), deps, context);
    expect(report.written.map((entry) => entry.removed)).toEqual([[B], [B]]);
    expect(estate.policyOf(DESTINATION_BUCKET)).toEqual(
      makePolicy([foreignStatement(), accountDestinationGrant([HOME, C])]),
    );
    expect(estate.writes()).toHaveLength(4);
  });

  it('removes nothing from a partial catalog (a refused template): only adds', async () => {
    const { estate, deps } = setUp();
    await sweepGrants(catalogOf([HOME, B, C]), deps, context);
    const report = await sweepGrants({ ...catalogOf([HOME]), refusedTemplates: 1 }, deps, context);
    expect(report.partial).toHaveLength(1);
    expect(report.written).toEqual([]);
    expect(estate.policyOf(DESTINATION_BUCKET)).toEqual(
      makePolicy([foreignStatement(), accountDestinationGrant([HOME, B, C])]),
    );
  });

  it('reports a failing destination and still grants the others', async () => {
    const { estate, deps } = setUp({ failDestination: DESTINATION_BUCKET });
    const other = makeConfiguration({
      Id: 'other',
      Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${OTHER_DESTINATION}`, Format: 'CSV' } },
    });
    const catalog = catalogOf([HOME]);
    const report = await sweepGrants(
      { ...catalog, declared: [...catalog.declared, source('src-other', HOME, [other])] },
      deps,
      context,
    );
    expect(report.failed).toEqual([
      { target: 'destination-policy', name: DESTINATION_BUCKET, reason: expect.stringContaining('injected') },
    ]);
    expect(report.written.map((entry) => entry.name).sort()).toEqual([KEY_ARN, OTHER_DESTINATION]);
    expect(estate.policyOf(OTHER_DESTINATION)).toEqual(
      makePolicy([accountDestinationGrant([HOME], OTHER_DESTINATION)]),
    );
  });

  it('only reports while the service is on hold: nothing written, each write reserved first', async () => {
    const asked: string[] = [];
    const hold = {
      since: '2026-12-06T11:00:00Z',
      reason: 'over 100 changes',
      runId: 'r',
      bucket: 'x',
      actor: 'a',
    };
    const brake: ChangeBrake = {
      reserve: async (request) => {
        asked.push(`${request.bucket}:${request.changes}`);
        return { granted: false, hold, started: false } as never;
      },
    };
    const { estate, deps } = setUp({ brake });
    const report = await sweepGrants(catalogOf([HOME, B]), deps, context);
    expect(asked).toEqual([`${DESTINATION_BUCKET}:1`, `${DESTINATION_BUCKET}:1`]);
    expect(estate.writes()).toEqual([]);
    expect(report.reportOnly.map((entry) => entry.reason)).toEqual([
      expect.stringContaining('service on hold'),
      expect.stringContaining('service on hold'),
    ]);
  });

  it('leaves a policy it may not write to the reconciles, which report it as today', async () => {
    const { estate, deps } = setUp();
    estate.addBucket(DESTINATION_BUCKET, { policy: makePolicy([foreignStatement()]), writable: false });
    const report = await sweepGrants(catalogOf([HOME, B]), deps, context);
    expect(report.left).toEqual([
      {
        target: 'destination-policy',
        name: DESTINATION_BUCKET,
        reason: 'this service may not change its policy',
      },
    ]);
    expect(estate.writes()).toEqual([`keyPolicy.put ${KEY_ARN}`]);
  });

  it("resolves a dead schedule's unfinished intent about a policy before planning it: the change recorded once", async () => {
    const { estate, deps, intents } = setUp();
    const first = await sweepGrants(catalogOf([HOME, B]), deps, context);
    expect(first.written).toHaveLength(2);
    // The dead worker's view: its write happened (the policy reads as its `after`), its event never recorded.
    const recorded = estate.events.find((event) => event.action === 'destination-policy-updated')!;
    estate.events.length = 0;
    const dead = {
      intentId: recorded.eventId,
      bucket: DESTINATION_BUCKET,
      runId: recorded.runId,
      subject: `grant-destination:${DESTINATION_BUCKET}`,
      recordedAt: '2026-12-06T11:00:00.000Z',
      event: recorded,
    };
    await intents.record(dead);

    const report = await sweepGrants(catalogOf([HOME, B]), deps, context);
    expect(report.unchanged).toHaveLength(2);
    expect(estate.events).toEqual([{ ...recorded, intentId: recorded.eventId }]);
    expect(await intents.pending(DESTINATION_BUCKET)).toEqual([]);
  });

  it('leaves a policy whose write another worker may still be making (a young intent) to the next sweep', async () => {
    const { estate, deps, intents } = setUp();
    const young = {
      intentId: 'young-1',
      bucket: DESTINATION_BUCKET,
      runId: 'run-live',
      subject: `grant-destination:${DESTINATION_BUCKET}`,
      recordedAt: '2026-12-06T11:59:30.000Z',
      event: {
        eventId: 'young-1',
        time: '2026-12-06T11:59:30.000Z',
        runId: 'run-live',
        bucket: DESTINATION_BUCKET,
        action: 'destination-policy-updated' as const,
        actor: 'worker',
        target: DESTINATION_BUCKET,
      },
    };
    await intents.record(young);
    const report = await sweepGrants(catalogOf([HOME, B]), deps, context);
    expect(report.failed).toEqual([
      {
        target: 'destination-policy',
        name: DESTINATION_BUCKET,
        reason: expect.stringContaining('not finished yet'),
      },
    ]);
    expect(estate.writes()).toEqual([`keyPolicy.put ${KEY_ARN}`]);
  });
});
