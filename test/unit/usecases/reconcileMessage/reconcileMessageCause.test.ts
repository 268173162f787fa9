import { describe, expect, it } from 'vitest';
import type { ChangeCause } from '../../../../lib/core/reconcile/changeCause.js';
import type { StoredDesiredBucket } from '../../../../lib/usecases/ports.js';
import { reconcileMessage } from '../../../../lib/usecases/reconcileMessage/reconcileMessage.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { memoryOutbox, memorySender, memoryStatusStore } from '../../../helpers/memoryAlerts.js';
import { createMemoryEstate, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import {
  accountDestinationGrant,
  DESTINATION_BUCKET,
  makeDesiredBucket,
  makePolicy,
  SOURCE_BUCKET,
} from '../../../helpers/reconcileFactories.js';
import { depsFor, RUN } from '../reconcileBucket/reconcileFakes.js';

const ANA = 'arn:aws:iam::111122223333:user/ana';
const BOB = 'arn:aws:iam::111122223333:user/bob';

/** Ana deleted the destination's policy (our grant with it), Bob edited `daily-csv` a minute later. */
const policyDeleted: ChangeCause = {
  actor: ANA,
  sourceIp: '203.0.113.7',
  time: '2026-01-02T03:00:00.000Z',
  eventId: '00000000-0000-4000-8000-00000000000a',
  eventName: 'DeleteBucketPolicy',
  scope: { kind: 'destination-policy', bucket: DESTINATION_BUCKET },
};
const configurationEdited: ChangeCause = {
  actor: BOB,
  time: '2026-01-02T03:01:00.000Z',
  eventId: '00000000-0000-4000-8000-00000000000b',
  eventName: 'PutBucketInventoryConfiguration',
  scope: { kind: 'configuration', bucket: SOURCE_BUCKET, configId: 'daily-csv' },
};
const { scope: _a, ...anaRecorded } = policyDeleted;
const { scope: _b, ...bobRecorded } = configurationEdited;

/** The estate after both hand-made changes: no policy on the destination, `daily-csv` disabled. */
function drifted(): MemoryEstate {
  return createMemoryEstate()
    .addBucket(SOURCE_BUCKET, { configurations: [makeConfiguration({ IsEnabled: false })] })
    .addBucket(DESTINATION_BUCKET);
}

async function run(world: MemoryEstate, desired: StoredDesiredBucket, causes?: ChangeCause[]) {
  return reconcileMessage(
    { bucket: SOURCE_BUCKET, runId: 'change-1' },
    {
      deps: depsFor(world, desired, { context: { ...RUN, runId: 'change-1', ...(causes && { causes }) } }),
      status: {
        status: memoryStatusStore(),
        alerts: { sender: memorySender(), outbox: memoryOutbox(), now: RUN.now },
        reminderMs: 0,
      },
    },
  );
}

const causesOf = (world: MemoryEstate) =>
  world.events.map((event) => [event.action, event.configId ?? event.target, event.cause]);

describe('the cause of drift, through reconcileMessage()', () => {
  it('records each change that reverted drift with the call that made that drift', async () => {
    const world = drifted();
    await run(world, makeDesiredBucket([makeConfiguration()]), [policyDeleted, configurationEdited]);
    expect(causesOf(world)).toEqual([
      ['destination-policy-updated', DESTINATION_BUCKET, anaRecorded],
      ['inventory-updated', 'daily-csv', bobRecorded],
    ]);
    expect(world.events.map((event) => event.actor)).toEqual([RUN.actor, RUN.actor]);
    expect(world.policyOf(DESTINATION_BUCKET)).toEqual(makePolicy([accountDestinationGrant()]));
  });

  it('records detect-mode drift (drift-detected, from the status transition) with its cause', async () => {
    const world = drifted();
    await run(world, makeDesiredBucket([makeConfiguration()], { mode: 'detect' }), [configurationEdited]);
    expect(causesOf(world)).toEqual([
      ['drift-detected', DESTINATION_BUCKET, undefined],
      ['drift-detected', 'daily-csv', bobRecorded],
    ]);
  });

  it('stays level-triggered: the plan and every change are the same with and without a cause', async () => {
    const desired = makeDesiredBucket([makeConfiguration()]);
    const without = drifted();
    const withCause = drifted();
    const plain = await run(without, desired);
    const caused = await run(withCause, desired, [policyDeleted, configurationEdited]);

    expect(caused.outcome.plan).toEqual(plain.outcome.plan);
    expect(caused.outcome.status).toBe(plain.outcome.status);
    expect(withCause.writes()).toEqual(without.writes());
    const strip = (world: MemoryEstate) => world.events.map(({ cause: _, ...event }) => event);
    expect(strip(withCause)).toEqual(strip(without));
    expect(without.events.every((event) => event.cause === undefined)).toBe(true);
  });
});
