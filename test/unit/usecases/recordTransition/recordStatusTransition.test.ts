import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../lib/core/alerts/types.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import { RetryableReconcileError } from '../../../../lib/core/reconcile/reconcileErrors.js';
import {
  type RecordStatusDeps,
  recordStatusTransition,
  type StatusChange,
} from '../../../../lib/usecases/recordTransition/recordStatusTransition.js';

interface Status {
  bucket: string;
  version: number;
}

const alert: Alert = { type: 'delivery-failed', bucket: 'photos', runId: 'r', summary: 'late' };
const event = { eventId: 'e-1', action: 'delivery-failed' } as AuditEvent;
const change: StatusChange<Status> = {
  status: { bucket: 'photos', version: 2 },
  alerts: [alert],
  events: [event],
};

function world(overrides: { put?: () => Promise<boolean>; record?: () => Promise<void> } = {}) {
  const steps: string[] = [];
  const deps: RecordStatusDeps<Status> = {
    status: {
      get: async () => ({ bucket: 'photos', version: 1 }),
      put: async (status) => {
        steps.push(`put ${status.version}`);
        return overrides.put === undefined ? true : overrides.put();
      },
    },
    audit: {
      record: async (recorded) => {
        steps.push(`record ${recorded.eventId}`);
        if (overrides.record) await overrides.record();
      },
    },
    deliver: async (alerts) => {
      steps.push(`deliver ${alerts.length}`);
      return { sent: alerts.length, queued: [] };
    },
  };
  return { deps, steps };
}

describe('recordStatusTransition', () => {
  it('sends the alerts, then records the events, then writes the status computed from the previous one', async () => {
    const w = world();
    let seen: Status | undefined;
    const report = await recordStatusTransition(
      'photos',
      (previous) => {
        seen = previous;
        return change;
      },
      w.deps,
    );
    expect(seen).toEqual({ bucket: 'photos', version: 1 });
    expect(w.steps).toEqual(['deliver 1', 'record e-1', 'put 2']);
    expect(report).toEqual({
      alerts: [alert],
      events: [event],
      delivery: { sent: 1, queued: [] },
      status: change.status,
    });
  });

  it('reports a status write another run refused, or that failed, without throwing', async () => {
    const refused = await recordStatusTransition(
      'photos',
      () => change,
      world({ put: async () => false }).deps,
    );
    expect(refused.statusError).toBe('status of photos not written: another run wrote version 2 first');
    const failed = world({
      put: async () => {
        throw new Error('throttled');
      },
    });
    const report = await recordStatusTransition('photos', () => change, failed.deps);
    expect(report.statusError).toBe('status of photos not written: throttled');
  });

  it('throws a retryable error when the audit sink refuses an event, writing no status', async () => {
    const w = world({
      record: async () => {
        throw new Error('down');
      },
    });
    await expect(recordStatusTransition('photos', () => change, w.deps)).rejects.toThrow(
      RetryableReconcileError,
    );
    expect(w.steps).toEqual(['deliver 1', 'record e-1']);
  });

  it('writes and sends nothing in steady state', async () => {
    const w = world();
    const report = await recordStatusTransition('photos', () => ({ alerts: [], events: [] }), w.deps);
    expect(report).toEqual({ alerts: [], events: [] });
    expect(w.steps).toEqual([]);
  });
});
