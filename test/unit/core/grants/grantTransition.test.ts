import { describe, expect, it } from 'vitest';
import type { GrantStatus } from '../../../../lib/core/grants/grantRecords.js';
import { grantTransition } from '../../../../lib/core/grants/grantTransition.js';

const KEY = 'arn:aws:kms:us-east-1:222233334444:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const HOUR = 3_600_000;
const options = (hours: number) => ({
  now: new Date(Date.parse('2026-12-06T12:00:00Z') + hours * HOUR),
  runId: `sweep-${hours}`,
  actor: 's3ir-schedule',
  reminderMs: 24 * HOUR,
});
const destination = {
  target: 'destination-policy' as const,
  name: 'central-reports',
  account: '222233334444',
};
const denied = { kind: 'failed' as const, code: 'AccessDenied', reason: 'writing … failed: AccessDenied' };

describe('grantTransition()', () => {
  it('writes nothing for a healthy policy that never failed', () => {
    expect(grantTransition(undefined, destination, { kind: 'healthy' }, options(0))).toEqual({
      alerts: [],
      events: [],
    });
  });

  it('says a failure once (alert and event on the destination), reminds after the interval, resolves once', () => {
    const first = grantTransition(undefined, destination, denied, options(0));
    expect(first.alerts.map((alert) => [alert.type, alert.bucket, alert.account, alert.target])).toEqual([
      ['reconcile-failed', 'central-reports', '222233334444', 'central-reports'],
    ]);
    expect(first.events.map((event) => [event.action, event.bucket, event.actor])).toEqual([
      ['reconcile-failed', 'central-reports', 's3ir-schedule'],
    ]);
    expect(first.status).toMatchObject({ id: 'destination:central-reports', state: 'failing', version: 1 });
    const status = first.status as GrantStatus;

    expect(grantTransition(status, destination, denied, options(1))).toEqual({ alerts: [], events: [] });
    const reminded = grantTransition(status, destination, denied, options(25));
    expect(reminded.alerts.map((alert) => alert.summary.endsWith('(reminder)'))).toEqual([true]);
    expect(reminded.events).toEqual([]);

    const resolved = grantTransition(status, destination, { kind: 'healthy' }, options(26));
    expect(resolved.alerts.map((alert) => alert.type)).toEqual(['drift-resolved']);
    expect(resolved.events.map((event) => event.action)).toEqual(['drift-resolved']);
    expect(resolved.status).toMatchObject({ state: 'ok', conditions: {}, version: 2 });
  });

  it('re-alerts when the failure changes code, and names a key by `#key:<arn>`', () => {
    const key = { target: 'key-policy' as const, name: KEY };
    const first = grantTransition(undefined, key, denied, options(0)).status!;
    const changed = grantTransition(
      first,
      key,
      { kind: 'failed', code: 'PolicyWriteRefusedError', reason: 'refused' },
      options(1),
    );
    expect(changed.alerts.map((alert) => [alert.type, alert.bucket])).toEqual([
      ['reconcile-failed', `#key:${KEY}`],
    ]);
    expect(changed.events.map((event) => event.bucket)).toEqual([`#key:${KEY}`]);
  });
});
