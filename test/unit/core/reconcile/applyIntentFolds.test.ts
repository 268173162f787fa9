import { describe, expect, it } from 'vitest';
import { apply } from '../../../../lib/core/reconcile/apply.js';
import type { HoldFound } from '../../../../lib/core/reconcile/intents.js';
import { plan } from '../../../../lib/core/reconcile/plan.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { createMemoryEstate, EstateError, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import { createMemoryIntentLog } from '../../../helpers/memoryIntentLog.js';
import {
  DESTINATION_BUCKET,
  foreignStatement,
  makeDesiredBucket,
  makePolicy,
  SOURCE_BUCKET,
} from '../../../helpers/reconcileFactories.js';

const context = { runId: 'run-1', actor: 'reconciler', now: () => new Date('2026-01-02T03:04:05.000Z') };
const HOLD: HoldFound = { since: '2026-01-02T03:00:00.000Z', reason: 'changes 101 of 100 in 60 minutes' };

/** A plan of three writes: the destination grant, a configuration created, one deleted (prune). */
function world(): MemoryEstate {
  return createMemoryEstate()
    .addBucket(SOURCE_BUCKET, { configurations: [makeConfiguration({ Id: 'old' })] })
    .addBucket(DESTINATION_BUCKET, { policy: makePolicy([foreignStatement()]) });
}
const desired = makeDesiredBucket([makeConfiguration()], { prune: true });
const planOf = (estate: MemoryEstate) =>
  plan(desired, estate.configurationsOf(SOURCE_BUCKET), estate.factsFor(SOURCE_BUCKET));
const steps = (estate: MemoryEstate) =>
  estate.calls.filter((call) => /^(intent\.|audit\.|\w+\.(put|delete) )/.test(call));

describe('apply() with an intent log that folds its steps (#18 point 4)', () => {
  it('records each change event and completes its intent in one act (confirm), never one after the other', async () => {
    const estate = world();
    const intents = createMemoryIntentLog({ log: estate.calls, confirmInto: estate.audit });

    const result = await apply(planOf(estate), { ...estate, intents }, context);

    expect(result.converged).toBe(true);
    expect(steps(estate)).toEqual([
      `intent.record destination-policy-updated ${DESTINATION_BUCKET}`,
      `bucketPolicy.put ${DESTINATION_BUCKET}`,
      `intent.confirm destination-policy-updated ${DESTINATION_BUCKET}`,
      'audit.record source-bucket destination-policy-updated',
      'intent.record inventory-created daily-csv',
      'inventory.put source-bucket daily-csv',
      'intent.confirm inventory-created daily-csv',
      'audit.record source-bucket inventory-created',
      'intent.record inventory-deleted old',
      'inventory.delete source-bucket old',
      'intent.confirm inventory-deleted old',
      'audit.record source-bucket inventory-deleted',
    ]);
    expect(estate.events.map((event) => event.action)).toEqual([
      'destination-policy-updated',
      'inventory-created',
      'inventory-deleted',
    ]);
    expect(intents.intents.size).toBe(0);
  });

  it('leaves the intent open (abandoned) when the confirm fails: the event is an audit error, the write stands', async () => {
    const estate = world();
    const intents = createMemoryIntentLog({ log: estate.calls, confirmInto: estate.audit });
    estate.injectFault({
      operation: 'audit.record',
      detail: 'inventory-created',
      error: new EstateError('ThrottlingException', 'slow down'),
    });

    const result = await apply(planOf(estate), { ...estate, intents }, context);

    expect(result.converged).toBe(false);
    expect(result.auditErrors).toEqual([
      expect.stringMatching(/^recording inventory-created \S+ failed: .*slow down/),
    ]);
    expect(estate.configurationsOf(SOURCE_BUCKET).map((c) => c.Id)).toEqual(['daily-csv']);
    expect([...intents.intents.values()].map((i) => [i.event.action, i.abandoned])).toEqual([
      ['inventory-created', true],
    ]);
  });

  it('a hold found at a write’s record: that write and every later one are not made, the earlier one stands', async () => {
    const estate = world();
    let records = 0;
    // The hold is put after the first write's record: found at the second.
    const intents = createMemoryIntentLog({
      log: estate.calls,
      confirmInto: estate.audit,
      hold: () => (++records > 1 ? HOLD : undefined),
    });

    const result = await apply(planOf(estate), { ...estate, intents }, context);

    expect(result.held).toEqual(HOLD);
    expect(result.outcomes.map(({ key, status }) => [key, status])).toEqual([
      [`grant-destination:${DESTINATION_BUCKET}`, 'applied'],
      ['create-configuration:daily-csv', 'report-only'],
      ['delete-configuration:old', 'report-only'],
    ]);
    // Only the grant was written and recorded; the held record wrote no intent, and nothing after it was tried.
    expect(steps(estate)).toEqual([
      `intent.record destination-policy-updated ${DESTINATION_BUCKET}`,
      `bucketPolicy.put ${DESTINATION_BUCKET}`,
      `intent.confirm destination-policy-updated ${DESTINATION_BUCKET}`,
      'audit.record source-bucket destination-policy-updated',
      'intent.record inventory-created daily-csv',
    ]);
    expect(estate.configurationsOf(SOURCE_BUCKET).map((c) => c.Id)).toEqual(['old']);
    expect(estate.events.map((event) => event.action)).toEqual(['destination-policy-updated']);
    expect(intents.intents.size).toBe(0);
    expect(result.converged).toBe(true);
  });

  it('a hold found at the first write: nothing written, nothing recorded', async () => {
    const estate = world();
    const intents = createMemoryIntentLog({ log: estate.calls, hold: () => HOLD });

    const result = await apply(planOf(estate), { ...estate, intents }, context);

    expect(result.held).toEqual(HOLD);
    expect(result.outcomes.every((outcome) => outcome.status === 'report-only')).toBe(true);
    expect(estate.writes()).toEqual([]);
    expect(estate.events).toEqual([]);
    expect(intents.intents.size).toBe(0);
  });
});
