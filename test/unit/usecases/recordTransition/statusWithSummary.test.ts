import { describe, expect, it } from 'vitest';
import { ADOPTION_NAMES_CAP, type AdoptionEntry } from '../../../../lib/core/alerts/adoptionSummary.js';
import type { BucketStatus, StatusStore, SummarisedWrite } from '../../../../lib/core/alerts/bucketStatus.js';
import type { Observation } from '../../../../lib/core/alerts/observation.js';
import { PrefetchedStatusStore } from '../../../../lib/core/alerts/PrefetchedStatusStore.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import { recordTransition } from '../../../../lib/usecases/recordTransition/recordTransition.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { memoryAdoption } from '../../../helpers/memoryAdoption.js';
import { memoryOutbox, memorySender, memoryStatusStore } from '../../../helpers/memoryAlerts.js';

const ACCOUNT = '222233334444';
const NOW = new Date('2026-12-06T19:00:00Z');

/** A first reconcile that applied one change: a drift-resolved alert. */
function applied(bucket: string): Observation {
  return {
    bucket,
    account: ACCOUNT,
    region: 'us-east-1',
    applied: [{ key: 'put-configuration:daily', reason: 'missing' }],
    drift: { actions: [], unmanaged: [], why: 'detect mode' },
    findings: [],
    failures: [],
  };
}

/**
 * A status store with the combined write, in memory: the status's version check and the summary's rules
 * (memoryAdoption: counted always, named while there is room, a named bucket not counted twice) in one step,
 * as the table's transaction does. Every request is logged.
 */
function world(options: { refuse?: 'status'; throwOnCombined?: Error } = {}) {
  const sender = memorySender();
  const adoption = memoryAdoption();
  const plain = memoryStatusStore();
  const requests: string[] = [];
  const status: StatusStore = {
    get: (bucket) => plain.get(bucket),
    list: () => plain.list(),
    async put(next) {
      requests.push(`put ${next.bucket}`);
      return plain.put(next);
    },
    async putWithSummary(next: BucketStatus, entry: AdoptionEntry, now: Date): Promise<SummarisedWrite> {
      requests.push(`putWithSummary ${next.bucket} ${entry.kinds.join(',')}`);
      if (options.throwOnCombined) throw options.throwOnCombined;
      if (options.refuse === 'status') return { written: false, summarised: false };
      const written = await plain.put(next);
      if (!written) return { written: false, summarised: false };
      await adoption.add(entry, now);
      return { written: true, summarised: true };
    },
  };
  const ledgerAdds: string[] = [];
  const ledger = {
    arrive: adoption.arrive,
    async add(entry: AdoptionEntry, now: Date) {
      ledgerAdds.push(entry.bucket);
      return adoption.add(entry, now);
    },
  };
  const events: AuditEvent[] = [];
  const deps = {
    status,
    audit: { record: async (event: AuditEvent) => void events.push(event) },
    alerts: { sender, outbox: memoryOutbox(), now: () => NOW },
    reminderMs: 0,
    context: { runId: 'sweep-1', actor: 's3ir-reconcile', now: () => NOW },
    adoption: { ledger, singleAlerts: 0 },
  };
  return { deps, sender, adoption, plain, requests, ledgerAdds, events };
}

describe('the status step of a first reconcile in one request (#18 point 4)', () => {
  it('writes the status and adds the summary entry in one combined write, nothing else', async () => {
    const w = world();
    const report = await recordTransition(applied('photos'), w.deps);

    expect(w.requests).toEqual(['putWithSummary photos drift-resolved']);
    expect(w.ledgerAdds).toEqual([]);
    expect(w.sender.sent).toEqual([]);
    expect(report.delivery).toEqual({ sent: 0, queued: [], summarised: 1 });
    expect(report.statusError).toBeUndefined();
    expect(w.plain.statuses.get('photos')).toMatchObject({ state: 'in-sync', version: 1, runId: 'sweep-1' });
    expect([...w.adoption.items.values()]).toEqual([
      expect.objectContaining({
        buckets: 1,
        counts: { 'drift-resolved': 1 },
        names: { 'drift-resolved': ['photos'] },
      }),
    ]);
  });

  it('still writes the status and counts the bucket once the name list is full', async () => {
    const w = world();
    const buckets = Array.from({ length: ADOPTION_NAMES_CAP + 3 }, (_, index) => `b-${index}`);
    for (const bucket of buckets) await recordTransition(applied(bucket), w.deps);

    expect(w.requests).toEqual(buckets.map((bucket) => `putWithSummary ${bucket} drift-resolved`));
    expect(w.plain.statuses.size).toBe(ADOPTION_NAMES_CAP + 3);
    const [summary] = [...w.adoption.items.values()];
    expect(summary!.counts).toEqual({ 'drift-resolved': ADOPTION_NAMES_CAP + 3 });
    expect(summary!.names['drift-resolved']).toHaveLength(ADOPTION_NAMES_CAP);
  });

  it('keeps a later reconcile to one plain status write, its alerts one by one', async () => {
    const w = world();
    await recordTransition(applied('photos'), w.deps);
    const later: Observation = { ...applied('photos'), applied: [], failures: ['AccessDenied on put'] };
    const report = await recordTransition(later, {
      ...w.deps,
      context: { ...w.deps.context, runId: 'sweep-2' },
    });

    expect(w.requests).toEqual(['putWithSummary photos drift-resolved', 'put photos']);
    expect(w.sender.sent.map((alert) => alert.attributes.eventType)).toEqual(['reconcile-failed']);
    expect(report.delivery).toEqual({ sent: 1, queued: [] });
  });

  it('adds the entry on its own when another run wrote the status first: the alerts are never lost', async () => {
    const w = world({ refuse: 'status' });
    const report = await recordTransition(applied('photos'), w.deps);

    expect(w.requests).toEqual(['putWithSummary photos drift-resolved']);
    expect(report.statusError).toBe('status of photos not written: another run wrote version 1 first');
    expect(w.ledgerAdds).toEqual(['photos']);
    expect(report.delivery).toEqual({ sent: 0, queued: [], summarised: 1 });
    expect([...w.adoption.items.values()][0]).toMatchObject({ buckets: 1 });
  });

  it('adds the entry on its own when the combined write fails, and alerts one by one if that fails too', async () => {
    const failure = Object.assign(new Error('DynamoDB is down (injected)'), { name: 'InternalServerError' });
    const w = world({ throwOnCombined: failure });
    w.adoption.down = true;
    const report = await recordTransition(applied('photos'), w.deps);

    expect(report.statusError).toBe(
      'status of photos not written: InternalServerError: DynamoDB is down (injected)',
    );
    expect(w.ledgerAdds).toEqual(['photos']);
    expect(w.sender.sent.map((alert) => [alert.attributes.eventType, alert.attributes.bucket])).toEqual([
      ['drift-resolved', 'photos'],
    ]);
    expect(report.delivery).toMatchObject({
      sent: 1,
      summaryError: expect.stringMatching(/^photos: not summarised, alerted one by one: .*DynamoDB is down/),
    });
  });

  it('adds nothing when an audit event is refused: the retry makes the whole step again, counted once', async () => {
    const w = world();
    const refused = {
      ...w.deps,
      audit: {
        record: async () => {
          throw new Error('audit table unavailable');
        },
      },
    };
    // An unmanaged configuration found: a drift-detected alert and its audit event.
    const detected: Observation = {
      ...applied('photos'),
      applied: [],
      drift: {
        actions: [],
        unmanaged: [{ id: 'stray', actual: makeConfiguration({ Id: 'stray' }) }],
        why: 'detect mode',
      },
    };
    await expect(recordTransition(detected, refused)).rejects.toMatchObject({
      name: 'RetryableReconcileError',
    });
    expect(w.requests).toEqual([]);
    expect(w.adoption.items.size).toBe(0);

    await recordTransition(detected, w.deps);
    expect(w.requests).toEqual(['putWithSummary photos drift-detected']);
    expect([...w.adoption.items.values()][0]).toMatchObject({
      buckets: 1,
      counts: { 'drift-detected': 1 },
    });
  });

  it('goes through a batch’s prefetched statuses, which then know the status written', async () => {
    const w = world();
    const batch = new PrefetchedStatusStore(w.deps.status, new Map([['photos', undefined]]));
    await recordTransition(applied('photos'), { ...w.deps, status: batch });

    expect(w.requests).toEqual(['putWithSummary photos drift-resolved']);
    expect(await batch.get('photos')).toMatchObject({ version: 1 });
  });
});
