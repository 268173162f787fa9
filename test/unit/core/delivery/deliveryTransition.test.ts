import { describe, expect, it } from 'vitest';
import {
  type BucketDeliveryStatus,
  deliveryTransition,
} from '../../../../lib/core/delivery/deliveryTransition.js';
import type { DeliveryResult } from '../../../../lib/core/delivery/types.js';

const HOUR = 3_600_000;
const t0 = new Date('2026-11-26T00:00:00Z');
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);
const options = (hours: number) => ({
  now: at(hours),
  runId: `delivery-${hours}`,
  actor: 'delivery-check',
  reminderMs: 24 * HOUR,
  region: 'us-east-1',
});
const result = (status: DeliveryResult['status'], reason?: string): DeliveryResult => ({
  bucket: 'photos',
  id: 'daily',
  status,
  ...(reason !== undefined && { reason }),
});

/** Runs checks in order, feeding each status into the next, as the service does. */
function run(steps: [hours: number, results: DeliveryResult[]][]) {
  let status: BucketDeliveryStatus | undefined;
  return steps.map(([hours, results]) => {
    const next = deliveryTransition(status, 'photos', results, options(hours));
    status = next.status ?? status;
    return next;
  });
}

describe('deliveryTransition', () => {
  it('records a first healthy check without an alert, then stays silent while nothing changes', () => {
    const [first, second] = run([
      [0, [result('ok')]],
      [24, [result('ok')]],
    ]);
    expect(first).toEqual({
      status: {
        bucket: 'photos',
        configurations: { daily: { status: 'ok', since: at(0).toISOString() } },
        runId: 'delivery-0',
        version: 1,
      },
      alerts: [],
      events: [],
    });
    expect(second).toEqual({ alerts: [], events: [] });
  });

  it('raises delivery-failed once when delivery fails, with an audit event, and delivery-restored when it recovers', () => {
    const [, failed, still, restored] = run([
      [0, [result('ok')]],
      [24, [result('missing', 'no report has ever arrived; likely cause: the policy')]],
      [30, [result('missing', 'no report has ever arrived; likely cause: the policy')]],
      [48, [result('ok')]],
    ]);
    expect(failed!.alerts).toEqual([
      {
        type: 'delivery-failed',
        bucket: 'photos',
        runId: 'delivery-24',
        region: 'us-east-1',
        summary:
          'Inventory reports of photos/daily are missing: no report has ever arrived; likely cause: the policy',
        since: at(24).toISOString(),
        detail: result('missing', 'no report has ever arrived; likely cause: the policy'),
      },
    ]);
    expect(failed!.events.map((event) => [event.action, event.configId, event.actor])).toEqual([
      ['delivery-failed', 'daily', 'delivery-check'],
    ]);
    expect(failed!.status?.version).toBe(2);
    expect(still).toEqual({ alerts: [], events: [] });
    expect(restored!.alerts.map((alert) => [alert.type, alert.summary])).toEqual([
      [
        'delivery-restored',
        `Inventory reports of photos/daily arrive again (ok; was missing since ${at(24).toISOString()})`,
      ],
    ]);
    expect(restored!.events.map((event) => event.action)).toEqual(['delivery-restored']);
    expect(restored!.status?.configurations).toEqual({
      daily: { status: 'ok', since: at(48).toISOString() },
    });
  });

  it('alerts again when a failure changes kind, and reminds after the interval without an audit event', () => {
    const [, late, missing, quiet, reminder] = run([
      [0, []],
      [1, [result('late', 'old')]],
      [2, [result('missing', 'gone')]],
      [20, [result('missing', 'gone')]],
      [27, [result('missing', 'gone')]],
    ]);
    expect(late!.alerts.map((alert) => alert.type)).toEqual(['delivery-failed']);
    expect(missing!.alerts.map((alert) => alert.summary)).toEqual([
      'Inventory reports of photos/daily are missing: gone',
    ]);
    expect(quiet).toEqual({ alerts: [], events: [] });
    expect(reminder!.alerts).toMatchObject([
      { type: 'delivery-failed', reminder: true, since: at(2).toISOString() },
    ]);
    expect(reminder!.alerts[0]!.summary).toMatch(/still missing: gone \(reminder\)$/);
    expect(reminder!.events).toEqual([]);
    expect(reminder!.status?.configurations.daily).toEqual({
      status: 'missing',
      since: at(2).toISOString(),
      lastAlertAt: at(27).toISOString(),
      reason: 'gone',
    });
  });

  it('never alerts for pending, and forgets configurations no longer checked', () => {
    const [, pending, ok, gone] = run([
      [0, []],
      [1, [result('pending', 'new')]],
      [30, [result('ok')]],
      [31, []],
    ]);
    expect(pending!.alerts).toEqual([]);
    expect(pending!.status?.configurations.daily?.status).toBe('pending');
    expect(ok!.alerts).toEqual([]);
    expect(ok!.status?.configurations.daily?.status).toBe('ok');
    expect(gone!.status?.configurations).toEqual({});
  });

  it('does not remind when reminders are off', () => {
    const status = deliveryTransition(undefined, 'photos', [result('invalid', 'bad')], options(0)).status;
    const later = deliveryTransition(status, 'photos', [result('invalid', 'bad')], {
      ...options(500),
      reminderMs: 0,
    });
    expect(later).toEqual({ alerts: [], events: [] });
  });
});

describe('deliveryTransition of a bucket with nothing to check', () => {
  it('writes nothing the first time', () => {
    expect(deliveryTransition(undefined, 'photos', [], options(0))).toEqual({ alerts: [], events: [] });
  });
});
