import { describe, expect, it } from 'vitest';
import type { BucketStatus } from '../../../../lib/core/alerts/bucketStatus.js';
import type { Observation } from '../../../../lib/core/alerts/observation.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import { recordTransition } from '../../../../lib/usecases/recordTransition/recordTransition.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { memoryAdoption } from '../../../helpers/memoryAdoption.js';
import { memoryOutbox, memorySender, memoryStatusStore } from '../../../helpers/memoryAlerts.js';

const ACCOUNT = '222233334444';
const NOW = new Date('2026-12-06T19:00:00Z');

/** A first reconcile that applied one change (a drift-resolved alert), or found an unmanaged configuration. */
function observed(bucket: string, kind: 'applied' | 'detected' = 'applied'): Observation {
  return {
    bucket,
    account: ACCOUNT,
    region: 'us-east-1',
    applied: kind === 'applied' ? [{ key: 'put-configuration:daily', reason: 'missing' }] : [],
    drift: {
      actions: [],
      unmanaged: kind === 'detected' ? [{ id: 'stray', actual: makeConfiguration({ Id: 'stray' }) }] : [],
      why: 'detect mode',
    },
    findings: [],
    failures: [],
  };
}

function world(options: { singleAlerts?: number; statuses?: BucketStatus[] } = {}) {
  const sender = memorySender();
  const outbox = memoryOutbox();
  const adoption = memoryAdoption();
  const status = memoryStatusStore(options.statuses);
  const events: AuditEvent[] = [];
  const deps = {
    status,
    audit: { record: async (event: AuditEvent) => void events.push(event) },
    alerts: { sender, outbox, now: () => NOW },
    reminderMs: 0,
    context: { runId: 'sweep-1', actor: 's3ir-reconcile', now: () => NOW },
    adoption: { ledger: adoption, singleAlerts: options.singleAlerts ?? 0 },
  };
  return { deps, sender, outbox, adoption, status, events };
}

describe('a bucket’s first alerts, summarised per run and account (#18 point 4)', () => {
  it('adds a first reconcile to its run and account’s summary instead of alerting, and still writes its status and events', async () => {
    const w = world();
    const report = await recordTransition(observed('photos', 'detected'), w.deps);
    expect(w.sender.sent).toEqual([]);
    expect(report.alerts.map((alert) => alert.type)).toEqual(['drift-detected']);
    expect(report.delivery).toEqual({ sent: 0, queued: [], summarised: 1 });
    expect(w.status.statuses.get('photos')).toMatchObject({ state: 'drifted', version: 1 });
    expect(w.events.map((event) => event.action)).toEqual(['drift-detected']);
    expect([...w.adoption.items.values()]).toEqual([
      expect.objectContaining({
        runId: 'sweep-1',
        account: ACCOUNT,
        buckets: 1,
        counts: { 'drift-detected': 1 },
        names: { 'drift-detected': ['photos'] },
      }),
    ]);
  });

  it('alerts a bucket that has a status one by one, as before', async () => {
    const w = world();
    await recordTransition(observed('photos', 'detected'), w.deps); // first: summarised
    const report = await recordTransition(observed('photos', 'applied'), {
      ...w.deps,
      context: { ...w.deps.context, runId: 'sweep-2' },
    });
    expect(w.sender.sent.map((alert) => [alert.attributes.eventType, alert.attributes.bucket])).toEqual([
      ['drift-resolved', 'photos'],
    ]);
    expect(report.delivery).toEqual({ sent: 1, queued: [] });
    expect(w.adoption.items.size).toBe(1); // sweep-1's, nothing for sweep-2
  });

  it('counts a retried first reconcile once', async () => {
    const w = world();
    await recordTransition(observed('photos'), w.deps);
    w.status.statuses.clear(); // the status write was lost: the retry is a first reconcile again
    await recordTransition(observed('photos'), w.deps);
    expect([...w.adoption.items.values()][0]).toMatchObject({ buckets: 1, counts: { 'drift-resolved': 1 } });
  });

  it('alerts the first S3IR_ADOPTION_SINGLE_ALERTS buckets of a run and account one by one, and summarises the rest', async () => {
    const w = world({ singleAlerts: 2 });
    for (const bucket of ['a', 'b', 'c', 'd']) await recordTransition(observed(bucket), w.deps);
    expect(w.sender.sent.map((alert) => alert.attributes.bucket)).toEqual(['a', 'b']);
    expect([...w.adoption.items.values()][0]).toMatchObject({
      buckets: 2,
      names: { 'drift-resolved': ['c', 'd'] },
      arrivals: 4,
    });
  });

  it('alerts one by one when the summary cannot be written: never lost', async () => {
    const w = world();
    w.adoption.down = true;
    const report = await recordTransition(observed('photos'), w.deps);
    expect(w.sender.sent.map((alert) => alert.attributes.bucket)).toEqual(['photos']);
    expect(report.delivery?.summaryError).toMatch(
      /^photos: not summarised, alerted one by one: .*DynamoDB is down/,
    );
  });

  it('summarises nothing without alert delivery (no topic): recorded, nothing sent', async () => {
    const w = world();
    const { alerts: _none, ...deps } = w.deps;
    const report = await recordTransition(observed('photos'), deps);
    expect(report.delivery).toBeUndefined();
    expect(w.adoption.items.size).toBe(0);
  });
});
