import { describe, expect, it } from 'vitest';
import { observeOutcome } from '../../../../lib/core/alerts/observation.js';
import type { Hold } from '../../../../lib/core/brake/types.js';
import { ReconcileStatus } from '../../../../lib/core/reconcile/outcome.js';
import { accountBrake } from '../../../../lib/usecases/brake/accountBrake.js';
import type { StoredDesiredBucket } from '../../../../lib/usecases/ports.js';
import { reconcileBucket } from '../../../../lib/usecases/reconcileBucket/reconcileBucket.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { memoryChangeWindow } from '../../../helpers/memoryChangeWindow.js';
import { createMemoryEstate, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import { createMemoryIntentLog } from '../../../helpers/memoryIntentLog.js';
import { DESTINATION_BUCKET, makeDesiredItem } from '../../../helpers/reconcileFactories.js';
import { depsFor } from '../reconcileBucket/reconcileFakes.js';

const HOLD: Hold = {
  since: '2026-12-06T14:00:00.000Z',
  reason: 'set by another writer',
  counts: { changes: 100, deletes: 0 },
  requested: { changes: 1, deletes: 0 },
  limits: { maxChanges: 100, windowMinutes: 60 },
  bucket: 'elsewhere',
  runId: 'sweep-0',
  actor: 'reconcile',
};

const desired: StoredDesiredBucket = {
  bucket: 'src-a',
  mode: 'enforce',
  prune: false,
  region: 'us-east-1',
  items: ['x', 'y'].map((Id) => makeDesiredItem(makeConfiguration({ Id }), { bucket: 'src-a' })),
};

/**
 * A brake without limits (the default) over a window store that counts its hold reads, and intents whose
 * record checks the hold as DynamoIntentLog's transaction does; `holdAtRecord`: the record (1-based) at
 * which another writer's hold is found in force.
 */
function world(holdAtRecord: number | undefined) {
  const estate: MemoryEstate = createMemoryEstate().addBucket('src-a').addBucket(DESTINATION_BUCKET);
  const store = memoryChangeWindow();
  let holdReads = 0;
  const currentHold = store.currentHold.bind(store);
  store.currentHold = () => {
    holdReads++;
    return currentHold();
  };
  let records = 0;
  const intents = createMemoryIntentLog({
    log: estate.calls,
    confirmInto: estate.audit,
    hold: () => {
      records++;
      if (records === holdAtRecord) store.hold = structuredClone(HOLD);
      return store.hold;
    },
  });
  const brake = accountBrake({ store, limits: { windowMinutes: 60 }, audit: estate.audit });
  const deps = depsFor(estate, desired, {
    brake,
    intents,
    context: { runId: 'run-1', actor: 'worker' },
    desired: { getBucket: async () => desired },
  });
  return { estate, store, intents, deps, holdReads: () => holdReads };
}

describe('the hold checked at each write’s intent record (#18 point 4), brake without limits', () => {
  it('reads no hold before the plan: the intents’ records check it', async () => {
    const { estate, deps, holdReads, intents } = world(undefined);

    const outcome = await reconcileBucket('src-a', deps);

    expect(outcome.status).toBe(ReconcileStatus.Converged);
    expect(holdReads()).toBe(0);
    expect(estate.configurationsOf('src-a').map((c) => c.Id)).toEqual(['x', 'y']);
    expect(intents.intents.size).toBe(0);
  });

  it('a hold found at a later write: the bucket ends held, that write and the rest not made, the earlier one kept', async () => {
    const { estate, deps, intents } = world(2);

    const outcome = await reconcileBucket('src-a', deps);

    expect(outcome.status).toBe(ReconcileStatus.DriftReported);
    expect(outcome.plan!.guard).toEqual({
      kind: 'hold',
      reason: `service on hold since ${HOLD.since}: ${HOLD.reason}`,
    });
    expect(outcome.result!.outcomes.map(({ key, status }) => [key, status])).toEqual([
      [`grant-destination:${DESTINATION_BUCKET}`, 'applied'],
      ['create-configuration:x', 'report-only'],
      ['create-configuration:y', 'report-only'],
    ]);
    // The grant made before the hold stands, applied and recorded; it keeps its mode, the rest are detect.
    expect(outcome.plan!.actions.map((action) => [action.key, action.mode])).toEqual([
      [`grant-destination:${DESTINATION_BUCKET}`, 'enforce'],
      ['create-configuration:x', 'detect'],
      ['create-configuration:y', 'detect'],
    ]);
    expect(estate.configurationsOf('src-a')).toEqual([]);
    expect(estate.events.map((event) => event.action)).toEqual(['destination-policy-updated']);
    expect(intents.intents.size).toBe(0);
    // Reported as a held bucket's drift: the two creates, "service on hold"; the grant as applied.
    const observed = observeOutcome(outcome)!;
    expect(observed.applied.map((entry) => entry.key)).toEqual([`grant-destination:${DESTINATION_BUCKET}`]);
    expect(observed.drift?.why).toBe('service on hold');
    expect(observed.drift?.actions.map((action) => action.key)).toEqual([
      'create-configuration:x',
      'create-configuration:y',
    ]);
  });

  it('a hold found at the first write ends the bucket exactly as a plan held before apply', async () => {
    const atWrite = world(1);
    const before = world(undefined);
    before.store.hold = structuredClone(HOLD);
    // Held before apply: the brake's own read (as without intents that check the hold) finds it.
    const beforeDeps = { ...before.deps, intents: createMemoryIntentLog() };

    const heldAtWrite = await reconcileBucket('src-a', atWrite.deps);
    const heldBefore = await reconcileBucket('src-a', beforeDeps);

    expect(heldAtWrite.status).toBe(ReconcileStatus.DriftReported);
    expect(heldAtWrite.plan).toEqual(heldBefore.plan);
    expect(heldAtWrite.result!.outcomes).toEqual(heldBefore.result!.outcomes);
    expect(observeOutcome(heldAtWrite)).toEqual(observeOutcome(heldBefore));
    expect(atWrite.estate.writes()).toEqual([]);
    expect(atWrite.estate.events).toEqual([]);
  });
});
