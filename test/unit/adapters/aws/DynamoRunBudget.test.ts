import { describe, expect, it } from 'vitest';
import { ReconcileStatus } from '../../../../lib/core/reconcile/outcome.js';
import type {
  BudgetGrant,
  BudgetRequest,
  RunBudget,
  StoredDesiredBucket,
} from '../../../../lib/usecases/ports.js';
import { reconcileBucket } from '../../../../lib/usecases/reconcileBucket/reconcileBucket.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { createMemoryEstate, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import { DESTINATION_BUCKET, makeDesiredItem } from '../../../helpers/reconcileFactories.js';
import { depsFor } from '../../usecases/reconcileBucket/reconcileFakes.js';

/**
 * The run budget as DynamoRunBudget keeps it, in memory: totals and a grant per bucket, a reservation
 * adds only what exceeds the bucket's grant. `pause` lets a test interleave two workers.
 */
function memoryBudget(limits: { maxChanges?: number; maxDeletes?: number }) {
  const runs = new Map<string, { changes: number; deletes: number; grants: Map<string, BudgetRequest> }>();
  const budget = {
    asked: [] as BudgetRequest[],
    pause: async () => {},
    totals: (runId: string) => runs.get(runId),
    async reserve(runId: string, request: BudgetRequest): Promise<BudgetGrant> {
      budget.asked.push(request);
      await budget.pause();
      let run = runs.get(runId);
      if (!run) {
        run = { changes: 0, deletes: 0, grants: new Map() };
        runs.set(runId, run);
      }
      const grant = run.grants.get(request.bucket) ?? { bucket: request.bucket, changes: 0, deletes: 0 };
      const left = {
        changes: (limits.maxChanges ?? Number.POSITIVE_INFINITY) - run.changes + grant.changes,
        deletes: (limits.maxDeletes ?? Number.POSITIVE_INFINITY) - run.deletes + grant.deletes,
      };
      if (request.changes > left.changes || request.deletes > left.deletes) {
        return { granted: false, remainingChanges: left.changes, remainingDeletes: left.deletes };
      }
      run.changes += Math.max(0, request.changes - grant.changes);
      run.deletes += Math.max(0, request.deletes - grant.deletes);
      run.grants.set(request.bucket, {
        bucket: request.bucket,
        changes: Math.max(grant.changes, request.changes),
        deletes: Math.max(grant.deletes, request.deletes),
      });
      return { granted: true };
    },
  } satisfies RunBudget & Record<string, unknown>;
  return budget;
}

/** Two sources delivering to one destination that already grants them both: one create each. */
function twoSources(): MemoryEstate {
  return createMemoryEstate()
    .addBucket('src-a')
    .addBucket('src-b')
    .addBucket('src-c', { configurations: [makeConfiguration({ Id: 'stray' })] })
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

/** Deps for one bucket of a shared estate and budget. */
function depsOf(world: MemoryEstate, desired: StoredDesiredBucket, budget: RunBudget, maxChanges = 10) {
  return depsFor(world, desired, {
    budget,
    limits: { remainingChanges: maxChanges, remainingDeletes: maxChanges },
    desired: { getBucket: async () => desired },
  });
}

describe('reconcileBucket() with a run budget', () => {
  it('lets only one of two buckets racing for the last unit of budget apply', async () => {
    const world = twoSources();
    // Each bucket needs two changes (the destination grant, then the create); one unit is gone already
    // (an earlier bucket of the run), so two are left: enough for one of them.
    const budget = memoryBudget({ maxChanges: 3 });
    await budget.reserve('run-1', { bucket: 'earlier', changes: 1, deletes: 0 });
    // Both workers planned before either reserved: the reservation is what decides.
    let waiting = 0;
    let release: () => void = () => {};
    const bothPlanned = new Promise<void>((resolve) => {
      release = resolve;
    });
    budget.pause = async () => {
      if (++waiting === 2) release();
      await bothPlanned;
    };

    const [a, b] = await Promise.all([
      reconcileBucket('src-a', depsOf(world, desiredOf('src-a', ['inv']), budget)),
      reconcileBucket('src-b', depsOf(world, desiredOf('src-b', ['inv']), budget)),
    ]);

    const outcomes = [a, b].sort((x, y) => (x.status < y.status ? -1 : 1));
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      ReconcileStatus.Converged,
      ReconcileStatus.DriftReported,
    ]);
    const refused = outcomes[1]!;
    expect(refused.plan!.guard).toMatchObject({ kind: 'blast-radius' });
    expect(refused.plan!.findings).toEqual([
      expect.objectContaining({
        kind: 'blast-radius',
        message: expect.stringContaining('2 changes (0 left in this run)'),
      }),
    ]);
    expect(world.configurationsOf(refused.bucket)).toEqual([]);
    expect(world.configurationsOf(outcomes[0]!.bucket).map((c) => c.Id)).toEqual(['inv']);
    expect(budget.totals('run-1')).toMatchObject({ changes: 3 });
  });

  it('holds deletes to their own limit across the run', async () => {
    const world = twoSources();
    const budget = memoryBudget({ maxChanges: 10, maxDeletes: 0 });
    const outcome = await reconcileBucket('src-c', depsOf(world, desiredOf('src-c', ['inv'], true), budget));
    expect(outcome.status).toBe(ReconcileStatus.DriftReported);
    expect(outcome.plan!.findings[0]!.message).toContain('1 deletes (0 left in this run)');
    expect(world.configurationsOf('src-c').map((c) => c.Id)).toEqual(['stray']);
  });

  it('asks nothing for a plan that changes nothing or that the per-run limit already stops', async () => {
    const world = twoSources();
    const budget = memoryBudget({ maxChanges: 10 });
    const inSync = await reconcileBucket('src-a', depsOf(world, desiredOf('src-a', []), budget));
    expect(inSync.status).toBe(ReconcileStatus.InSync);
    const tooBig = await reconcileBucket('src-b', depsOf(world, desiredOf('src-b', ['x', 'y']), budget, 1));
    expect(tooBig.plan!.guard).toMatchObject({ kind: 'blast-radius' });
    expect(budget.asked).toEqual([]);
  });

  it('does not count a redelivered bucket twice: its earlier grant covers it', async () => {
    const world = twoSources();
    const budget = memoryBudget({ maxChanges: 2 });
    await budget.reserve('run-1', { bucket: 'src-a', changes: 2, deletes: 0 }); // the first delivery
    const outcome = await reconcileBucket('src-a', depsOf(world, desiredOf('src-a', ['inv']), budget));
    expect(outcome.status).toBe(ReconcileStatus.Converged);
    expect(budget.totals('run-1')).toMatchObject({ changes: 2 });
  });

  it('keeps a learned region with the desired state, once, and does not fail when keeping it fails', async () => {
    const world = twoSources();
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
