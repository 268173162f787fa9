import { describe, expect, it } from 'vitest';
import { AwsAdapterError } from '../../../../lib/adapters/aws/errors.js';
import type { Alert } from '../../../../lib/core/alerts/types.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import type { BucketDeliveryStatus } from '../../../../lib/core/delivery/deliveryTransition.js';
import { runDeliveryCheck } from '../../../../lib/usecases/deliveryCheck/runDeliveryCheck.js';
import type { StoredDesiredBucket } from '../../../../lib/usecases/ports.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { makeBucketFacts, SOURCE_ACCOUNT } from '../../../helpers/reconcileFactories.js';
import { MemoryReports } from './memoryReports.js';

const now = new Date('2026-11-26T12:00:00Z');

function desired(bucket: string): StoredDesiredBucket {
  const configuration = makeConfiguration();
  return {
    bucket,
    mode: 'enforce',
    prune: false,
    region: 'us-east-1',
    items: [{ bucket, id: configuration.Id!, configuration }],
  };
}

function world(options: { broken?: string; sendFails?: boolean } = {}) {
  const statuses = new Map<string, BucketDeliveryStatus>();
  const events: AuditEvent[] = [];
  const sent: Alert[] = [];
  const reports = new MemoryReports();
  const deps = {
    buckets: async () => ['healthy', 'silent', 'broken'],
    depsFor: () => ({
      reconcile: {
        desired: {
          getBucket: async (bucket: string) => {
            if (bucket === options.broken)
              throw new AwsAdapterError({ code: 'AccessDenied', message: 'AccessDenied', retryable: false });
            return desired(bucket);
          },
        },
        facts: {
          bucketRegion: async () => 'us-east-1',
          read: async () => makeBucketFacts(),
          invalidate: () => {},
        },
        allowedAccounts: async () => new Set([SOURCE_ACCOUNT]),
        inventoryFor: () => ({
          list: async () => [makeConfiguration()],
          get: async () => undefined,
          put: async () => {},
          delete: async () => {},
        }),
      },
      reports,
      history: { lastChange: async () => undefined },
      now,
    }),
    transitions: {
      statuses: {
        get: async (bucket: string) => statuses.get(bucket),
        put: async (status: BucketDeliveryStatus) => {
          statuses.set(status.bucket, status);
          return true;
        },
      },
      audit: { record: async (event: AuditEvent) => void events.push(event) },
      deliverAlerts: async (alerts: readonly Alert[]) => {
        sent.push(...alerts);
        return { sent: alerts.length, queued: [] };
      },
      now,
      runId: 'delivery-1',
      actor: 'delivery-check',
      reminderMs: 0,
    },
  };
  return { deps, statuses, events, sent, reports };
}

describe('runDeliveryCheck', () => {
  it('checks every bucket, alerts once per failing configuration, and keeps going past a bucket that fails', async () => {
    const w = world({ broken: 'broken' });
    w.reports.deliver({
      bucket: 'inventory-reports',
      base: 'inventory/healthy/daily-csv/',
      folder: '2026-11-26T06-00Z',
      source: 'healthy',
    });
    const report = await runDeliveryCheck(w.deps);
    expect(report.results.map((result) => [result.bucket, result.status])).toEqual([
      ['healthy', 'ok'],
      ['silent', 'missing'],
    ]);
    expect(report.errors).toEqual([{ bucket: 'broken', message: expect.stringContaining('AccessDenied') }]);
    expect(w.sent.map((alert) => [alert.type, alert.bucket])).toEqual([['delivery-failed', 'silent']]);
    expect(w.events.map((event) => [event.action, event.bucket])).toEqual([['delivery-failed', 'silent']]);
    expect([...w.statuses.keys()].sort()).toEqual(['healthy', 'silent']);

    const again = await runDeliveryCheck(w.deps);
    expect(again.alerts).toEqual([]);
    expect(w.sent).toHaveLength(1);
  });

  it('reports a delivery status another check wrote first, with the alerts still sent', async () => {
    const w = world();
    w.deps.transitions.statuses.put = async () => false;
    const report = await runDeliveryCheck(w.deps);
    expect(w.sent.map((alert) => alert.bucket)).toEqual(['healthy', 'silent', 'broken']);
    expect(report.errors.map((error) => error.message)).toEqual(
      ['healthy', 'silent', 'broken'].map(
        (bucket) =>
          `recording its delivery status failed: status of ${bucket} not written: another run wrote version 1 first`,
      ),
    );
  });
});
