import { describe, expect, it } from 'vitest';
import { transitionStamp } from '../../../../lib/core/alerts/transitionStamp.js';

const options = { now: new Date('2026-12-06T10:00:00.000Z'), runId: 'run-1', actor: 's3ir-schedule' };

describe('transitionStamp', () => {
  it('puts the subject, the run and the fields on every alert; extra fields win', () => {
    const stamp = transitionStamp('#account:111122223333', options, { account: '111122223333' });
    expect(stamp.alert('reconcile-failed', 'cannot list', { target: 'reports' })).toEqual({
      type: 'reconcile-failed',
      bucket: '#account:111122223333',
      account: '111122223333',
      runId: 'run-1',
      summary: 'cannot list',
      target: 'reports',
    });
  });

  it("stamps events on the subject's chain with the transition's time, run and actor, and a content id", () => {
    const stamp = transitionStamp('reports', options);
    const first = stamp.event('drift-resolved', 'grant:reports', 'written again');
    expect(first).toMatchObject({
      time: '2026-12-06T10:00:00.000Z',
      runId: 'run-1',
      bucket: 'reports',
      action: 'drift-resolved',
      actor: 's3ir-schedule',
      message: 'written again',
    });
    expect(first.eventId).toMatch(/^[0-9a-f]{64}$/);
    const other = stamp.event('drift-resolved', 'grant:reports', 'written again', { after: { a: 1 } });
    expect(other.eventId).not.toBe(first.eventId);
  });
});
