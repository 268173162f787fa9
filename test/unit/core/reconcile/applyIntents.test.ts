import { describe, expect, it } from 'vitest';
import { apply } from '../../../../lib/core/reconcile/apply.js';
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

function world(configurations = [makeConfiguration({ Id: 'old' })]): MemoryEstate {
  return createMemoryEstate()
    .addBucket(SOURCE_BUCKET, { configurations })
    .addBucket(DESTINATION_BUCKET, { policy: makePolicy([foreignStatement()]) });
}

const desired = makeDesiredBucket([makeConfiguration()], { prune: true });
const planOf = (estate: MemoryEstate) =>
  plan(desired, estate.configurationsOf(SOURCE_BUCKET), estate.factsFor(SOURCE_BUCKET));
/** The calls that matter here: intents, writes and audit appends, in order. */
const steps = (estate: MemoryEstate) =>
  estate.calls.filter((call) => /^(intent\.|audit\.|\w+\.(put|delete) )/.test(call));

describe('apply() with an intent log', () => {
  it('records each write’s intent right before it and completes it once its event is recorded', async () => {
    const estate = world();
    const intents = createMemoryIntentLog({ log: estate.calls });

    const result = await apply(planOf(estate), { ...estate, intents }, context);

    expect(result.converged).toBe(true);
    expect(steps(estate)).toEqual([
      `intent.record destination-policy-updated ${DESTINATION_BUCKET}`,
      `bucketPolicy.put ${DESTINATION_BUCKET}`,
      'audit.record source-bucket destination-policy-updated',
      `intent.complete destination-policy-updated ${DESTINATION_BUCKET}`,
      'intent.record inventory-created daily-csv',
      'inventory.put source-bucket daily-csv',
      'audit.record source-bucket inventory-created',
      'intent.complete inventory-created daily-csv',
      'intent.record inventory-deleted old',
      'inventory.delete source-bucket old',
      'audit.record source-bucket inventory-deleted',
      'intent.complete inventory-deleted old',
    ]);
    expect(intents.intents.size).toBe(0);
  });

  it('announces in the intent exactly the event it records', async () => {
    const estate = world([]);
    const seen: string[] = [];
    const intents = createMemoryIntentLog();
    const record = intents.record.bind(intents);
    intents.record = async (intent) => {
      seen.push(JSON.stringify(intent.event));
      expect(intent.intentId).toBe(intent.event.eventId);
      await record(intent);
    };

    await apply(planOf(estate), { ...estate, intents }, context);

    expect(estate.events.map((event) => JSON.stringify(event))).toEqual(seen);
  });

  it('writes nothing without its intent: a refused intent record fails the action and what depends on it', async () => {
    const estate = world();
    const intents = createMemoryIntentLog({
      recordError: new EstateError('ThrottlingException', 'slow down'),
    });

    const result = await apply(planOf(estate), { ...estate, intents }, context);

    expect(estate.writes()).toEqual([]);
    expect(result.outcomes.map(({ key, status }) => [key, status])).toEqual([
      [`grant-destination:${DESTINATION_BUCKET}`, 'failed'],
      ['create-configuration:daily-csv', 'skipped'],
      ['delete-configuration:old', 'failed'],
    ]);
    expect(result.outcomes[0]!.error).toMatch(/^recording the intent to change policy of destination bucket/);
  });

  it('records no intent when nothing is written (in sync, or detect mode)', async () => {
    const estate = world([makeConfiguration()]);
    const intents = createMemoryIntentLog({ log: estate.calls });
    const detect = makeDesiredBucket([makeConfiguration({ Id: 'other' })], { mode: 'detect' });

    await apply(planOf(estate), { ...estate, intents }, context);
    estate.calls.length = 0;
    await apply(planOf(estate), { ...estate, intents }, context);
    const detected = plan(detect, estate.configurationsOf(SOURCE_BUCKET), estate.factsFor(SOURCE_BUCKET));
    await apply(detected, { ...estate, intents }, context);

    expect(estate.calls.filter((call) => call.startsWith('intent.'))).toEqual([]);
  });

  it('leaves the intent open when the event could not be recorded: the next reconcile records it', async () => {
    const estate = world([]).injectFault({ operation: 'audit.record', detail: 'inventory-created' });
    const intents = createMemoryIntentLog();

    const result = await apply(planOf(estate), { ...estate, intents }, context);

    expect(result.converged).toBe(false);
    // Abandoned: this worker goes no further with it, so the next reconcile resolves it without waiting.
    expect([...intents.intents.values()].map((intent) => [intent.event.action, intent.abandoned])).toEqual([
      ['inventory-created', true],
    ]);
    expect(estate.configurationsOf(SOURCE_BUCKET).map((c) => c.Id)).toEqual(['daily-csv']);
  });

  it('leaves it open when the write may have happened (5xx), completes it when AWS refused the write', async () => {
    const maybe = world([]).injectFault({
      operation: 'inventory.put',
      error: new EstateError('InternalError', 'oops'),
    });
    const refusedError = Object.assign(new EstateError('AccessDenied', 'Access Denied'), {
      retryable: false,
    });
    const refused = world([]).injectFault({ operation: 'inventory.put', error: refusedError });
    const open = createMemoryIntentLog();
    const closed = createMemoryIntentLog();

    await apply(planOf(maybe), { ...maybe, intents: open }, context);
    await apply(planOf(refused), { ...refused, intents: closed }, context);

    expect([...open.intents.values()].map((intent) => intent.event.configId)).toEqual(['daily-csv']);
    expect(closed.intents.size).toBe(0);
  });
});
