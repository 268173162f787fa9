import { describe, expect, it } from 'vitest';
import type { BucketStatus } from '../../../../lib/core/alerts/bucketStatus.js';
import { AlertDeliveryError } from '../../../../lib/core/alerts/errors.js';
import { RetryableReconcileError } from '../../../../lib/core/reconcile/reconcileErrors.js';
import type { StoredDesiredBucket } from '../../../../lib/usecases/ports.js';
import { reconcileMessage } from '../../../../lib/usecases/reconcileMessage/reconcileMessage.js';
import { AlertDispatch } from '../../../../lib/usecases/recordTransition/AlertDispatch.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { memoryOutbox, memorySender, memoryStatusStore } from '../../../helpers/memoryAlerts.js';
import { createMemoryEstate, type MemoryEstate } from '../../../helpers/memoryEstate.js';
import { DESTINATION_BUCKET, makeDesiredBucket, SOURCE_BUCKET } from '../../../helpers/reconcileFactories.js';
import { depsFor, FakeAdapterError, RUN } from '../reconcileBucket/reconcileFakes.js';

const HOUR = 3_600_000;

/** The status step's ports in memory, and a message runner over them. */
function harness(
  world: MemoryEstate,
  desired: StoredDesiredBucket | undefined,
  initial: BucketStatus[] = [],
) {
  const status = memoryStatusStore(initial);
  const sender = memorySender();
  const outbox = memoryOutbox();
  const run = (runId: string, more: { lastAttempt?: boolean } = {}) =>
    reconcileMessage(
      { bucket: SOURCE_BUCKET, runId },
      {
        deps: depsFor(world, desired, { context: { ...RUN, runId } }),
        status: { status, alerts: { sender, outbox, now: RUN.now }, reminderMs: 24 * HOUR },
        ...more,
      },
    );
  return { status, sender, outbox, run };
}
const sentTypes = (sender: ReturnType<typeof memorySender>) =>
  sender.sent.map((alert) => alert.attributes.eventType);

describe('reconcileMessage()', () => {
  it('reconciles, sends drift-resolved for the changes applied, and writes the first status', async () => {
    const world = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    const h = harness(world, makeDesiredBucket([makeConfiguration()]));
    const report = await h.run('run-1');
    expect(report.outcome.status).toBe('converged');
    expect(sentTypes(h.sender)).toEqual(['drift-resolved']);
    expect(report.transition).toMatchObject({ delivery: { sent: 1, queued: [] } });
    expect(h.status.writes).toEqual([
      {
        bucket: SOURCE_BUCKET,
        state: 'in-sync',
        since: RUN.now().toISOString(),
        conditions: {},
        runId: 'run-1',
        version: 1,
      },
    ]);
  });

  it('alerts and records detect-mode drift once: a second sweep sends, records and writes nothing', async () => {
    const world = createMemoryEstate()
      .addBucket(SOURCE_BUCKET, { configurations: [makeConfiguration({ Id: 'stray' })] })
      .addBucket(DESTINATION_BUCKET);
    const h = harness(world, makeDesiredBucket([makeConfiguration()], { mode: 'detect' }));
    await h.run('sweep-1');
    expect(sentTypes(h.sender)).toEqual(['drift-detected']);
    const events = world.events.map((event) => [event.runId, event.action, event.configId ?? event.target]);
    expect(events).toEqual([
      ['sweep-1', 'drift-detected', DESTINATION_BUCKET],
      ['sweep-1', 'drift-detected', 'daily-csv'],
      ['sweep-1', 'drift-detected', 'stray'],
    ]);
    expect(h.status.writes.map((status) => status.state)).toEqual(['drifted']);

    const second = await h.run('sweep-2');
    expect(second.outcome.status).toBe('drift-reported');
    expect(second.transition).toEqual({ alerts: [], events: [] });
    expect(h.sender.sent).toHaveLength(1);
    expect(world.events).toHaveLength(3);
    expect(h.status.writes).toHaveLength(1);
  });

  it('alerts reconcile-failed for a terminal failure before any plan, and keeps the bucket failed', async () => {
    const world = createMemoryEstate()
      .addBucket(SOURCE_BUCKET)
      .injectFault({ operation: 'inventory.list', error: new FakeAdapterError('AccessDenied', false) });
    const h = harness(world, makeDesiredBucket([makeConfiguration()]));
    await h.run('run-1');
    expect(h.sender.sent.map((alert) => JSON.parse(alert.message))).toEqual([
      expect.objectContaining({
        type: 'reconcile-failed',
        severity: 'high',
        summary: 'Reconcile of source-bucket failed: AccessDenied: AccessDenied (injected)',
      }),
    ]);
    expect(h.status.statuses.get(SOURCE_BUCKET)).toMatchObject({ state: 'failed' });
  });

  it('keeps an alert SNS refuses in the outbox instead of failing the bucket', async () => {
    const world = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    const h = harness(world, makeDesiredBucket([makeConfiguration()]));
    h.sender.down = true;
    const report = await h.run('run-1');
    expect(report.transition?.delivery).toEqual({
      sent: 0,
      queued: ['drift-resolved source-bucket: InternalErrorException: SNS is down (injected)'],
    });
    expect([...h.outbox.entries.values()].map((entry) => JSON.parse(entry.alert.message).type)).toEqual([
      'drift-resolved',
    ]);
  });

  it('throws (SQS redelivers) when SNS and the outbox both refuse, writing no status', async () => {
    const world = createMemoryEstate()
      .addBucket(SOURCE_BUCKET, { configurations: [makeConfiguration({ Id: 'stray' })] })
      .addBucket(DESTINATION_BUCKET);
    const h = harness(world, makeDesiredBucket([makeConfiguration()], { mode: 'detect' }));
    h.sender.down = true;
    h.outbox.down = true;
    await expect(h.run('sweep-1')).rejects.toBeInstanceOf(AlertDeliveryError);
    expect(h.status.writes).toEqual([]);
    expect(world.events).toEqual([]);

    // The redelivered message makes the same transition: the alert is sent then.
    h.sender.down = false;
    await h.run('sweep-1');
    expect(sentTypes(h.sender)).toEqual(['drift-detected']);
    expect(h.status.writes).toHaveLength(1);
  });

  it('throws when the audit sink refuses a transition event, writing no status', async () => {
    const world = createMemoryEstate()
      .addBucket(SOURCE_BUCKET, { configurations: [makeConfiguration({ Id: 'stray' })] })
      .addBucket(DESTINATION_BUCKET)
      .injectFault({ operation: 'audit.record', detail: 'drift-detected', times: 1 });
    const h = harness(world, makeDesiredBucket([], { mode: 'detect' }));
    await expect(h.run('sweep-1')).rejects.toThrow(RetryableReconcileError);
    expect(h.status.writes).toEqual([]);
    await h.run('sweep-1');
    expect(world.events.map((event) => event.configId)).toEqual(['stray']);
    expect(h.status.writes.map((status) => status.state)).toEqual(['drifted']);
  });

  it('reports a status another run wrote first, rather than failing the bucket', async () => {
    const world = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    const h = harness(world, makeDesiredBucket([]));
    const realPut = h.status.put;
    h.status.put = async (status) => {
      await realPut({ ...status, runId: 'other' }); // another worker, a moment earlier
      return realPut(status);
    };
    const report = await h.run('run-1');
    expect(report.transition?.statusError).toBe(
      'status of source-bucket not written: another run wrote version 1 first',
    );
  });

  it('re-throws a retryable failure, recording it (event, alert, status) only on the last attempt', async () => {
    const world = createMemoryEstate()
      .addBucket(SOURCE_BUCKET)
      .injectFault({ operation: 'inventory.list', error: new FakeAdapterError('SlowDown', true) });
    const h = harness(world, makeDesiredBucket([makeConfiguration()]));
    await expect(h.run('run-1')).rejects.toThrow(/SlowDown/);
    expect(h.sender.sent).toEqual([]);
    expect(world.events).toEqual([]);
    expect(h.status.writes).toEqual([]);

    await expect(h.run('run-1', { lastAttempt: true })).rejects.toThrow(RetryableReconcileError);
    const summary =
      'Reconcile of source-bucket failed: RetryableReconcileError: source-bucket: SlowDown: SlowDown (injected) (retries exhausted: moving to the DLQ)';
    expect(h.sender.sent.map((alert) => JSON.parse(alert.message).summary)).toEqual([summary]);
    expect(world.events.map((event) => [event.action, event.message])).toEqual([
      ['reconcile-failed', summary],
    ]);
    expect(h.status.statuses.get(SOURCE_BUCKET)).toMatchObject({ state: 'failed' });
  });

  it('throws both when recording a last failure fails too', async () => {
    const world = createMemoryEstate()
      .addBucket(SOURCE_BUCKET)
      .injectFault({ operation: 'inventory.list', error: new FakeAdapterError('SlowDown', true) })
      .injectFault({ operation: 'audit.record' });
    const h = harness(world, makeDesiredBucket([makeConfiguration()]));
    await expect(h.run('run-1', { lastAttempt: true })).rejects.toThrow(
      /SlowDown \(injected\); recording that failure failed too: InternalError/,
    );
  });

  it('records and sends nothing for a bucket with no desired state', async () => {
    const h = harness(createMemoryEstate(), undefined);
    const report = await h.run('run-1');
    expect(report).toEqual({ outcome: expect.objectContaining({ status: 'not-declared' }) });
    expect(h.sender.sent).toEqual([]);
    expect(h.status.writes).toEqual([]);
  });

  it('sends an alert an earlier run kept before this run news, through the writer dispatch', async () => {
    const world = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    const status = memoryStatusStore();
    const sender = memorySender();
    const outbox = memoryOutbox();
    const dispatch = new AlertDispatch({ sender, outbox, now: RUN.now });
    const kept = {
      subject: 's',
      message: '{"type":"reconcile-failed"}',
      attributes: {
        eventType: 'reconcile-failed' as const,
        bucket: SOURCE_BUCKET,
        severity: 'high' as const,
      },
    };
    await outbox.put({ id: 'earlier', alert: kept, createdAt: '2026-02-28T00:00:00.000Z' });
    dispatch.begin();
    await reconcileMessage(
      { bucket: SOURCE_BUCKET, runId: 'run-2' },
      {
        deps: depsFor(world, makeDesiredBucket([makeConfiguration()]), {
          context: { ...RUN, runId: 'run-2' },
        }),
        status: { status, alerts: { sender, outbox, now: RUN.now }, dispatch, reminderMs: 24 * HOUR },
      },
    );
    expect(sentTypes(sender)).toEqual(['reconcile-failed', 'drift-resolved']);
    expect(outbox.entries.size).toBe(0);
  });
});
