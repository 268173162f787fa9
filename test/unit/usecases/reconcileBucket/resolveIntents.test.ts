import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import { changeEvent } from '../../../../lib/core/reconcile/auditEvents.js';
import { intentOf } from '../../../../lib/core/reconcile/intents.js';
import { RetryableReconcileError } from '../../../../lib/core/reconcile/reconcileErrors.js';
import type { PlanAction } from '../../../../lib/core/reconcile/types.js';
import { reconcileBucket } from '../../../../lib/usecases/reconcileBucket/reconcileBucket.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { createMemoryEstate, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import {
  createMemoryIntentLog,
  dedupingAudit,
  type MemoryIntentLog,
} from '../../../helpers/memoryIntentLog.js';
import { DESTINATION_BUCKET, makeDesiredBucket, SOURCE_BUCKET } from '../../../helpers/reconcileFactories.js';
import { depsFor } from './reconcileFakes.js';

const DEAD = { runId: 'run-dead', actor: 'worker-1', now: () => new Date('2026-01-02T03:00:00.000Z') };
const NEXT = { runId: 'run-next', actor: 'worker-2', now: () => new Date('2026-01-02T03:10:00.000Z') };
const desired = makeDesiredBucket([makeConfiguration()]);
const create: PlanAction = {
  key: 'create-configuration:daily-csv',
  kind: 'create-configuration',
  id: 'daily-csv',
  mode: 'enforce',
  dependsOn: [],
  reason: 'Configuration daily-csv is declared but missing',
  after: makeConfiguration(),
};

/** An estate whose destination already grants delivery, so the plan is the one configuration put. */
async function world(): Promise<{ estate: MemoryEstate; intents: MemoryIntentLog; events: AuditEvent[] }> {
  const estate = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
  const events: AuditEvent[] = [];
  const intents = createMemoryIntentLog();
  // The grant, made and recorded by an earlier run: what is left is the configuration.
  await reconcileBucket(
    SOURCE_BUCKET,
    depsFor(estate, makeDesiredBucket([makeConfiguration()], { mode: 'enforce' }), {
      context: { runId: 'run-grant', actor: 'w', now: DEAD.now },
    }),
  );
  estate.buckets.get(SOURCE_BUCKET)!.configurations.clear();
  estate.events.length = 0;
  return { estate, intents, events };
}

/** What a worker leaves when it dies after recording the intent of `action` (and maybe after writing). */
async function deadWorker(estate: MemoryEstate, intents: MemoryIntentLog, wrote: boolean) {
  const event = changeEvent(create, { bucket: SOURCE_BUCKET, context: DEAD });
  const intent = intentOf(event, create.key, event.time);
  await intents.record(intent);
  if (wrote) await estate.inventory.put(SOURCE_BUCKET, makeConfiguration());
  return intent;
}

function next(estate: MemoryEstate, intents: MemoryIntentLog, events: AuditEvent[], graceMs = 60_000) {
  const audit = dedupingAudit(events);
  return depsFor(estate, desired, {
    context: NEXT,
    intents,
    intentGraceMs: graceMs,
    applyPortsFor: () => ({ ...estate, audit }),
    audit,
  });
}

describe('reconcileBucket() with unfinished intents', () => {
  it('records a dead worker’s change once, under its run, and then finds the bucket in sync', async () => {
    const { estate, intents, events } = await world();
    const intent = await deadWorker(estate, intents, true);

    const outcome = await reconcileBucket(SOURCE_BUCKET, next(estate, intents, events));

    expect(outcome.status).toBe('in-sync');
    expect(outcome.resolvedIntents).toEqual([
      { intentId: intent.intentId, runId: 'run-dead', verdict: 'applied', eventId: intent.intentId },
    ]);
    expect(events.map((event) => [event.action, event.runId, event.eventId])).toEqual([
      ['inventory-created', 'run-dead', intent.intentId],
    ]);
    expect(intents.intents.size).toBe(0);
    // The dead worker's own append, had it got that far, is the same event: recorded once.
    await dedupingAudit(events).record(intent.event);
    expect(events).toHaveLength(1);
  });

  it('records change-not-applied for a change that never reached AWS, then makes it under its own run', async () => {
    const { estate, intents, events } = await world();
    const intent = await deadWorker(estate, intents, false);

    const outcome = await reconcileBucket(SOURCE_BUCKET, next(estate, intents, events));

    expect(outcome.status).toBe('converged');
    expect(events.map((event) => [event.action, event.runId, event.intentId])).toEqual([
      ['change-not-applied', 'run-dead', intent.intentId],
      ['inventory-created', 'run-next', undefined],
    ]);
    expect(estate.configurationsOf(SOURCE_BUCKET).map((c) => c.Id)).toEqual(['daily-csv']);
    expect(intents.intents.size).toBe(0);
  });

  it('leaves a bucket alone while an intent is younger than the grace: its worker may still be writing', async () => {
    const { estate, intents, events } = await world();
    await deadWorker(estate, intents, false);
    const writes = estate.writes().length;

    const attempt = reconcileBucket(SOURCE_BUCKET, next(estate, intents, events, 15 * 60_000));

    await expect(attempt).rejects.toBeInstanceOf(RetryableReconcileError);
    await expect(attempt).rejects.toMatchObject({ reason: 'conflict' });
    expect(estate.writes()).toHaveLength(writes);
    expect(events).toEqual([]);
    expect(intents.intents.size).toBe(1);
  });

  it('resolves at once an intent its worker abandoned (its audit append failed), whatever the grace', async () => {
    const { estate, intents, events } = await world();
    const failing = createMemoryEstate();
    failing.injectFault({ operation: 'audit.record', detail: 'inventory-created' });
    const first = await reconcileBucket(SOURCE_BUCKET, {
      ...next(estate, intents, events, 15 * 60_000),
      context: DEAD,
      applyPortsFor: () => ({ ...estate, audit: failing.audit }),
    }).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(RetryableReconcileError);
    expect([...intents.intents.values()].map((intent) => intent.abandoned)).toEqual([true]);

    // The redelivered message, seconds later: the change is recorded once, under the run that made it.
    const outcome = await reconcileBucket(SOURCE_BUCKET, next(estate, intents, events, 15 * 60_000));

    expect(outcome.status).toBe('in-sync');
    expect(events.map((event) => [event.action, event.runId])).toEqual([['inventory-created', 'run-dead']]);
    expect(intents.intents.size).toBe(0);
  });

  it('reads no intent target and writes no intent in steady state', async () => {
    const { estate, intents, events } = await world();
    await estate.inventory.put(SOURCE_BUCKET, makeConfiguration());
    estate.calls.length = 0;
    const log: string[] = [];
    const logged = createMemoryIntentLog({ log });

    const outcome = await reconcileBucket(SOURCE_BUCKET, {
      ...next(estate, intents, events),
      intents: logged,
    });

    expect(outcome.status).toBe('in-sync');
    expect(log).toEqual([]);
    expect(estate.writes()).toEqual([]);
  });
});

describe('reconcileBucket() after a write that failed', () => {
  it('records no change-not-applied for an abandoned intent whose write did not happen: its worker recorded the failure', async () => {
    const { estate, intents, events } = await world();
    const audit = dedupingAudit(events);
    estate.injectFault({ operation: 'inventory.put', times: 1 });
    const failed = await reconcileBucket(SOURCE_BUCKET, {
      ...next(estate, intents, events),
      context: DEAD,
      applyPortsFor: () => ({ ...estate, audit }),
    }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(RetryableReconcileError);

    const outcome = await reconcileBucket(SOURCE_BUCKET, next(estate, intents, events));

    expect(outcome.status).toBe('converged');
    expect(outcome.resolvedIntents).toMatchObject([{ runId: 'run-dead', verdict: 'not-applied' }]);
    expect(outcome.resolvedIntents![0]).not.toHaveProperty('eventId');
    expect(events.map((event) => [event.action, event.runId])).toEqual([
      ['reconcile-failed', 'run-dead'],
      ['inventory-created', 'run-next'],
    ]);
  });
});
