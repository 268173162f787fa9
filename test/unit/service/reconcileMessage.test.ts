import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../lib/alerts/types.js';
import { reconcileMessage } from '../../../lib/reconcile/reconcileMessage.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { createMemoryEstate } from '../../helpers/memoryEstate.js';
import { DESTINATION_BUCKET, makeDesiredBucket, SOURCE_BUCKET } from '../../helpers/reconcileFactories.js';
import { depsFor, FakeAdapterError } from './reconcileFakes.js';

const message = { bucket: SOURCE_BUCKET, runId: 'run-1' };

function publisher(fail = false) {
  const sent: Alert[] = [];
  return {
    sent,
    publish: async (alert: Alert) => {
      if (fail) throw new FakeAdapterError('InternalError', true);
      sent.push(alert);
    },
  };
}

describe('reconcileMessage()', () => {
  it('reconciles and sends the alerts the outcome calls for', async () => {
    const world = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    const alerts = publisher();
    const report = await reconcileMessage(message, {
      deps: depsFor(world, makeDesiredBucket([makeConfiguration()])),
      alerts,
    });
    expect(report.outcome.status).toBe('converged');
    expect(alerts.sent.map((alert) => alert.type)).toEqual(['drift-resolved']);
    expect(report.alertErrors).toEqual([]);
  });

  it('alerts reconcile-failed for a terminal failure before any plan', async () => {
    const world = createMemoryEstate()
      .addBucket(SOURCE_BUCKET)
      .injectFault({ operation: 'inventory.list', error: new FakeAdapterError('AccessDenied', false) });
    const alerts = publisher();
    await reconcileMessage(message, {
      deps: depsFor(world, makeDesiredBucket([makeConfiguration()])),
      alerts,
    });
    expect(alerts.sent).toEqual([
      expect.objectContaining({ type: 'reconcile-failed', summary: expect.stringMatching(/AccessDenied/) }),
    ]);
  });

  it('reports alerts SNS refused instead of failing the bucket', async () => {
    const world = createMemoryEstate().addBucket(SOURCE_BUCKET).addBucket(DESTINATION_BUCKET);
    const report = await reconcileMessage(message, {
      deps: depsFor(world, makeDesiredBucket([makeConfiguration()])),
      alerts: publisher(true),
    });
    expect(report.alertErrors).toEqual(['drift-resolved: InternalError: InternalError (injected)']);
  });

  it('re-throws a retryable failure, alerting first only on the last attempt', async () => {
    const failing = () =>
      createMemoryEstate()
        .addBucket(SOURCE_BUCKET)
        .injectFault({ operation: 'inventory.list', error: new FakeAdapterError('SlowDown', true) });
    const desired = makeDesiredBucket([makeConfiguration()]);
    const early = publisher();
    await expect(
      reconcileMessage(message, { deps: depsFor(failing(), desired), alerts: early }),
    ).rejects.toThrow();
    expect(early.sent).toEqual([]);
    const last = publisher();
    await expect(
      reconcileMessage(message, { deps: depsFor(failing(), desired), alerts: last, lastAttempt: true }),
    ).rejects.toThrow(/SlowDown/);
    expect(last.sent.map((alert) => alert.summary)).toEqual([
      'Reconcile of source-bucket failed: RetryableReconcileError: source-bucket: SlowDown: SlowDown (injected) (retries exhausted: moving to the DLQ)',
    ]);
  });

  it('sends nothing for a bucket with no desired state', async () => {
    const alerts = publisher();
    const report = await reconcileMessage(message, {
      deps: depsFor(createMemoryEstate(), undefined),
      alerts,
    });
    expect(report.outcome.status).toBe('not-declared');
    expect(alerts.sent).toEqual([]);
  });
});
