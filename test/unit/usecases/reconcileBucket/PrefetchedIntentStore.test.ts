import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import { changeEvent } from '../../../../lib/core/reconcile/auditEvents.js';
import { type ChangeIntent, intentOf } from '../../../../lib/core/reconcile/intents.js';
import type { PlanAction } from '../../../../lib/core/reconcile/types.js';
import { PrefetchedIntentStore } from '../../../../lib/usecases/reconcileBucket/PrefetchedIntentStore.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { createMemoryIntentLog } from '../../../helpers/memoryIntentLog.js';

function intent(bucket: string, id: string, time: string): ChangeIntent {
  const action: PlanAction = {
    key: `create-configuration:${id}`,
    kind: 'create-configuration',
    id,
    mode: 'enforce',
    dependsOn: [],
    reason: 'missing',
    after: makeConfiguration({ Id: id }),
  };
  const event = changeEvent(action, {
    bucket,
    context: { runId: 'run-1', actor: 'w', now: () => new Date(time) },
  });
  return intentOf(event, action.key, time);
}

/** A store whose `pending` reads are counted, as the per-bucket Query they stand for. */
function counted(options: Parameters<typeof createMemoryIntentLog>[0] = {}) {
  const store = createMemoryIntentLog(options);
  const reads: string[] = [];
  const pending = store.pending.bind(store);
  store.pending = (bucket) => {
    reads.push(bucket);
    return pending(bucket);
  };
  return { store, reads };
}

describe('PrefetchedIntentStore (#18 point 4: a batch’s intents read once)', () => {
  const old = intent('alpha', 'x', '2026-12-06T15:00:00.000Z');

  it('answers the buckets read ahead without reading, and reads the others', async () => {
    const { store, reads } = counted();
    const other = intent('gamma', 'z', '2026-12-06T15:00:00.000Z');
    await store.record(other);
    const prefetched = new PrefetchedIntentStore(
      store,
      new Map([
        ['alpha', [old]],
        ['beta', []],
      ]),
    );

    expect(await prefetched.pending('alpha')).toEqual([old]);
    expect(await prefetched.pending('beta')).toEqual([]);
    expect(reads).toEqual([]);
    expect(await prefetched.pending('gamma')).toEqual([other]);
    expect(reads).toEqual(['gamma']);
  });

  it('keeps what the batch writes: a later message of the bucket sees its intents recorded, abandoned, completed', async () => {
    const { store, reads } = counted();
    const prefetched = new PrefetchedIntentStore(store, new Map([['alpha', [old]]]));
    const fresh = intent('alpha', 'y', '2026-12-06T15:01:00.000Z');

    await prefetched.record(fresh);
    expect(await prefetched.pending('alpha')).toEqual([old, fresh]);
    await prefetched.abandon(fresh);
    expect(await prefetched.pending('alpha')).toEqual([old, { ...fresh, abandoned: true }]);
    await prefetched.complete(old);
    expect(await prefetched.pending('alpha')).toEqual([{ ...fresh, abandoned: true }]);
    expect(reads).toEqual([]);
    // The store holds the same: the cache only saves reads.
    expect(await store.pending('alpha')).toEqual([{ ...fresh, abandoned: true }]);
  });

  it('forgets a bucket whose write failed (it may or may not have happened): it reads its own next', async () => {
    const { store, reads } = counted({ recordError: new Error('timed out') });
    const prefetched = new PrefetchedIntentStore(store, new Map([['alpha', []]]));

    await expect(prefetched.record(intent('alpha', 'y', '2026-12-06T15:01:00.000Z'))).rejects.toThrow(
      'timed out',
    );
    await prefetched.pending('alpha');
    expect(reads).toEqual(['alpha']);
  });

  it('records nothing in the cache for a hold found at the record, and keeps the store’s folds', async () => {
    const events: AuditEvent[] = [];
    const hold = { since: '2026-12-06T14:00:00.000Z', reason: 'on hold' };
    let held = false;
    const { store } = counted({
      hold: () => (held ? hold : undefined),
      confirmInto: { record: async (event) => void events.push(event) },
    });
    const prefetched = new PrefetchedIntentStore(store, new Map([['alpha', []]]));
    expect(prefetched.checksHold).toBe(true);

    const made = intent('alpha', 'y', '2026-12-06T15:01:00.000Z');
    expect(await prefetched.record(made)).toBeUndefined();
    await prefetched.confirm!(made, made.event);
    expect(events.map((event) => event.eventId)).toEqual([made.intentId]);
    expect(await prefetched.pending('alpha')).toEqual([]);

    held = true;
    expect(await prefetched.record(intent('alpha', 'z', '2026-12-06T15:02:00.000Z'))).toEqual({ held: hold });
    expect(await prefetched.pending('alpha')).toEqual([]);
    expect(new PrefetchedIntentStore(createMemoryIntentLog(), new Map()).confirm).toBeUndefined();
  });
});
