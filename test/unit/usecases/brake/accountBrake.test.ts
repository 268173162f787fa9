import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../lib/core/alerts/types.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import { ReconcileStatus } from '../../../../lib/core/reconcile/outcome.js';
import { accountBrake } from '../../../../lib/usecases/brake/accountBrake.js';
import { releaseHold } from '../../../../lib/usecases/brake/releaseHold.js';
import type { StoredDesiredBucket } from '../../../../lib/usecases/ports.js';
import { reconcileBucket } from '../../../../lib/usecases/reconcileBucket/reconcileBucket.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { memoryChangeWindow } from '../../../helpers/memoryChangeWindow.js';
import { createMemoryEstate, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import { DESTINATION_BUCKET, makeDesiredItem } from '../../../helpers/reconcileFactories.js';
import { depsFor } from '../reconcileBucket/reconcileFakes.js';

const T0 = Date.parse('2026-12-06T15:00:10.000Z');
const MINUTE = 60_000;

/** Buckets delivering to one destination: each needs its grant there, then its creates. */
function estate(): MemoryEstate {
  return createMemoryEstate()
    .addBucket('src-a')
    .addBucket('src-b')
    .addBucket('src-c')
    .addBucket('src-d', { configurations: [makeConfiguration({ Id: 'stray' })] })
    .addBucket(DESTINATION_BUCKET);
}

function desiredOf(bucket: string, ids: string[], prune = false): StoredDesiredBucket {
  return {
    bucket,
    mode: 'enforce',
    prune,
    region: 'us-east-1',
    items: ids.map((Id) => makeDesiredItem(makeConfiguration({ Id }), { bucket })),
  };
}

/** One brake shared by every run, as the state table shares it; a clock the test moves. */
function brakeWorld(limits: { maxChanges?: number; maxDeletes?: number }, windowMinutes = 60) {
  const store = memoryChangeWindow();
  const audit: AuditEvent[] = [];
  const alerts: Alert[] = [];
  const clock = { now: T0 };
  const brake = accountBrake({
    store,
    limits: { ...limits, windowMinutes },
    audit: { record: async (event) => void audit.push(event) },
    announce: async (alert) => void alerts.push(alert),
    now: () => clock.now,
  });
  return { store, audit, alerts, clock, brake };
}

type BrakeWorld = ReturnType<typeof brakeWorld>;

function run(
  world: MemoryEstate,
  brakes: BrakeWorld,
  bucket: string,
  ids: string[],
  runId: string,
  prune = false,
) {
  const desired = desiredOf(bucket, ids, prune);
  return reconcileBucket(
    bucket,
    depsFor(world, desired, {
      brake: brakes.brake,
      context: { runId, actor: `worker-${runId}` },
      desired: { getBucket: async () => desired },
    }),
  );
}

describe('accountBrake() through reconcileBucket()', () => {
  it('counts changes across runs: the run that would cross the limit writes nothing and puts the service on hold, once', async () => {
    const world = estate();
    const brakes = brakeWorld({ maxChanges: 5 });
    // Two different runs (a sweep, then a desired-state change): one window. Each bucket makes two changes:
    // src-a its account's destination grant and a create, the others two creates (the grant is keyed by
    // account, so their account is granted already).
    expect((await run(world, brakes, 'src-a', ['inv'], 'sweep-1')).status).toBe(ReconcileStatus.Converged);
    brakes.clock.now += 5 * MINUTE;
    expect((await run(world, brakes, 'src-b', ['x', 'y'], 'stream-7')).status).toBe(
      ReconcileStatus.Converged,
    );
    brakes.clock.now += MINUTE;
    const crossing = await run(world, brakes, 'src-c', ['inv', 'z'], 'event-9');

    expect(crossing.status).toBe(ReconcileStatus.DriftReported);
    expect(crossing.plan!.guard).toMatchObject({ kind: 'hold' });
    expect(crossing.plan!.actions.every((action) => action.mode === 'detect')).toBe(true);
    expect(world.configurationsOf('src-c')).toEqual([]);
    // Its drift is reported (the status step records and alerts it as for detect mode).
    expect(crossing.result!.outcomes.map((outcome) => outcome.status)).toEqual([
      'report-only',
      'report-only',
    ]);
    expect(brakes.store.hold).toMatchObject({
      since: new Date(T0 + 6 * MINUTE).toISOString(),
      bucket: 'src-c',
      runId: 'event-9',
      counts: { changes: 4, deletes: 0 },
      requested: { changes: 2, deletes: 0 },
      reason: '6 changes in the last 60 min (limit 5, S3IR_MAX_CHANGES)',
    });
    expect(brakes.audit).toEqual([
      expect.objectContaining({
        bucket: '#hold',
        action: 'hold-started',
        actor: 'worker-event-9',
        after: expect.objectContaining({ counts: { changes: 4, deletes: 0 }, bucket: 'src-c' }),
      }),
    ]);
    expect(brakes.alerts).toHaveLength(1);
    expect(brakes.alerts[0]).toMatchObject({ type: 'action-required', bucket: 'src-c' });
    expect(brakes.alerts[0]!.summary).toContain('`s3ir hold release`');
  });

  it('holds every later run, even one that would fit, and even after the window slid past', async () => {
    const world = estate();
    const brakes = brakeWorld({ maxChanges: 1 });
    await run(world, brakes, 'src-a', ['x', 'y'], 'sweep-1'); // a grant and two creates: 3 > 1, holds at once
    expect(brakes.store.hold).toBeDefined();
    brakes.clock.now += 120 * MINUTE;
    const later = await run(world, brakes, 'src-b', ['inv'], 'sweep-2');
    expect(later.status).toBe(ReconcileStatus.DriftReported);
    expect(later.plan!.guard).toMatchObject({
      kind: 'hold',
      reason: expect.stringContaining('service on hold since'),
    });
    expect(world.configurationsOf('src-b')).toEqual([]);
    // One hold, one event, one alert: the second run did not start another.
    expect(brakes.audit.map((event) => event.action)).toEqual(['hold-started']);
    expect(brakes.alerts).toHaveLength(1);
  });

  it('holds deletes to their own limit (a prune)', async () => {
    const world = estate();
    const brakes = brakeWorld({ maxChanges: 100, maxDeletes: 0 });
    const outcome = await run(world, brakes, 'src-d', [], 'sweep-1', true);
    expect(outcome.plan!.guard).toMatchObject({ kind: 'hold' });
    expect(world.configurationsOf('src-d').map((c) => c.Id)).toEqual(['stray']);
    expect(brakes.store.hold!.reason).toBe('1 deletes in the last 60 min (limit 0, S3IR_MAX_DELETES)');
  });

  it('lets changes through again once the window slides past them, without a hold', async () => {
    const world = estate();
    const brakes = brakeWorld({ maxChanges: 3 }, 10);
    await run(world, brakes, 'src-a', ['x', 'y'], 'sweep-1');
    brakes.clock.now += 10 * MINUTE;
    expect((await run(world, brakes, 'src-b', ['x', 'y'], 'sweep-2')).status).toBe(ReconcileStatus.Converged);
    expect(brakes.store.hold).toBeUndefined();
  });

  it('asks nothing for a plan that changes nothing, or that the bucket\u2019s own limit already stopped', async () => {
    const world = estate();
    const brakes = brakeWorld({ maxChanges: 10 });
    expect((await run(world, brakes, 'src-a', [], 'sweep-1')).status).toBe(ReconcileStatus.InSync);
    const desired = desiredOf('src-b', ['x', 'y']);
    const tooBig = await reconcileBucket(
      'src-b',
      depsFor(world, desired, {
        brake: brakes.brake,
        limits: { remainingChanges: 1 },
        desired: { getBucket: async () => desired },
      }),
    );
    expect(tooBig.plan!.guard).toMatchObject({ kind: 'blast-radius' });
    expect(brakes.store.asked).toEqual([]);
  });

  it('without limits counts nothing, but still honours a hold in force', async () => {
    const world = estate();
    const brakes = brakeWorld({});
    expect((await run(world, brakes, 'src-a', ['x', 'y', 'z'], 'cli-1')).status).toBe(
      ReconcileStatus.Converged,
    );
    expect(brakes.store.asked).toEqual([]);
    expect(brakes.store.slots.size).toBe(0);
    brakes.store.hold = {
      since: '2026-12-06T14:00:00.000Z',
      reason: 'set by the deployed service',
      counts: { changes: 100, deletes: 0 },
      requested: { changes: 1, deletes: 0 },
      limits: { maxChanges: 100, windowMinutes: 60 },
      bucket: 'elsewhere',
      runId: 'sweep-0',
      actor: 'reconcile',
    };
    const held = await run(world, brakes, 'src-b', ['inv'], 'cli-2');
    expect(held.plan!.guard).toMatchObject({ kind: 'hold' });
    expect(world.configurationsOf('src-b')).toEqual([]);
  });

  it('release lifts the hold and resets the window, audited with who released it', async () => {
    const world = estate();
    const brakes = brakeWorld({ maxChanges: 2 });
    await run(world, brakes, 'src-a', ['x', 'y'], 'sweep-1');
    const hold = brakes.store.hold!;
    brakes.clock.now += 30 * MINUTE;
    const released = await releaseHold({
      store: brakes.store,
      audit: { record: async (event) => void brakes.audit.push(event) },
      windowMinutes: 60,
      actor: 'arn:aws:sts::111122223333:assumed-role/ops/alice',
      runId: 'cli-release',
      now: () => brakes.clock.now,
    });
    expect(released).toEqual(hold);
    expect(brakes.audit.at(-1)).toMatchObject({
      bucket: '#hold',
      action: 'hold-released',
      actor: 'arn:aws:sts::111122223333:assumed-role/ops/alice',
      time: new Date(brakes.clock.now).toISOString(),
      message: expect.stringContaining(`since ${hold.since}`),
    });
    expect((await run(world, brakes, 'src-b', ['inv'], 'sweep-2')).status).toBe(ReconcileStatus.Converged);
    expect(world.configurationsOf('src-b').map((c) => c.Id)).toEqual(['inv']);
    // Nothing to release any more: nothing recorded.
    const events = brakes.audit.length;
    const again = await releaseHold({
      store: brakes.store,
      audit: { record: async (e) => void brakes.audit.push(e) },
      windowMinutes: 60,
      actor: 'a',
      runId: 'r',
    });
    expect(again).toBeUndefined();
    expect(brakes.audit).toHaveLength(events);
  });

  it('lets only one of two writers crossing at once put the hold and announce it', async () => {
    const brakes = brakeWorld({ maxChanges: 0 });
    const request = { changes: 1, deletes: 0, runId: 'r', actor: 'w' };
    const [a, b] = await Promise.all([
      brakes.brake.reserve({ ...request, bucket: 'src-a' }),
      brakes.brake.reserve({ ...request, bucket: 'src-b' }),
    ]);
    expect([a.granted, b.granted]).toEqual([false, false]);
    expect([a, b].filter((answer) => !answer.granted && answer.started)).toHaveLength(1);
    expect(brakes.alerts).toHaveLength(1);
    expect(brakes.audit).toHaveLength(1);
  });
});

describe('reconcileBucket() and the desired state', () => {
  it('keeps a learned region with the desired state, once, and does not fail when keeping it fails', async () => {
    const world = estate();
    const kept: [string, string][] = [];
    const { region: _, ...noRegion } = desiredOf('src-a', []);
    const deps = depsFor(world, noRegion, {
      desired: {
        getBucket: async () => noRegion,
        keepRegion: async (bucket, region) => void kept.push([bucket, region]),
      },
    });
    await reconcileBucket('src-a', deps);
    expect(kept).toEqual([['src-a', 'us-east-1']]);

    deps.desired.keepRegion = async () => {
      throw new Error('AccessDenied');
    };
    expect((await reconcileBucket('src-a', deps)).status).toBe(ReconcileStatus.InSync);
  });
});
