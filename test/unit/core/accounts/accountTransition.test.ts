import { describe, expect, it } from 'vitest';
import type { AccountStatus } from '../../../../lib/core/accounts/accountStatus.js';
import { discoveryFailureOf } from '../../../../lib/core/accounts/accountStatus.js';
import {
  type AccountObservation,
  accountTransition,
} from '../../../../lib/core/accounts/accountTransition.js';

const ACCOUNT = '222233334444';
const denied = { step: 'AssumeRole', code: 'AccessDenied', message: 'AssumeRole arn:…: not authorized' };

function at(day: number) {
  return {
    now: new Date(Date.UTC(2026, 11, day)),
    runId: `sweep-${day}`,
    actor: 's3ir-discover',
    reminderMs: 0,
  };
}

/** Applies observations in turn, day 1, 2, …; returns each change and the last status. */
function run(observations: AccountObservation['kind'][]) {
  let status: AccountStatus | undefined;
  const changes = observations.map((kind, index) => {
    const observation = (
      kind === 'discovery-failed' ? { account: ACCOUNT, kind, failure: denied } : { account: ACCOUNT, kind }
    ) as AccountObservation;
    const change = accountTransition(status, observation, at(index + 1));
    status = change.status ?? status;
    return change;
  });
  return { changes, status };
}

describe('accountTransition()', () => {
  it('writes nothing for a healthy account that never had a status', () => {
    expect(run(['discovered']).changes[0]).toEqual({ alerts: [], events: [] });
    expect(run(['returned']).changes[0]).toEqual({ alerts: [], events: [] });
  });

  it('records a failed discovery once: status, one high alert with the next step, one audit event on the account', () => {
    const { changes, status } = run(['discovery-failed', 'discovery-failed']);
    const [first, second] = changes;
    expect(first!.status).toMatchObject({
      account: ACCOUNT,
      state: 'discovery-failed',
      since: '2026-12-01T00:00:00.000Z',
      conditions: { 'discovery-failed': { step: 'AssumeRole', code: 'AccessDenied' } },
      version: 1,
    });
    expect(first!.alerts).toHaveLength(1);
    expect(first!.alerts[0]).toMatchObject({
      type: 'reconcile-failed',
      bucket: `#account:${ACCOUNT}`,
      account: ACCOUNT,
      summary: `Discovery of account ${ACCOUNT} failed at AssumeRole (AccessDenied): its buckets are not reconciled until it succeeds`,
    });
    expect(first!.alerts[0]!.nextSteps?.[0]).toMatch(/Deploy the member stack .* in account 222233334444/);
    expect(first!.events.map((event) => [event.action, event.bucket])).toEqual([
      ['reconcile-failed', `#account:${ACCOUNT}`],
    ]);
    // The same failure again: nothing written, nothing sent.
    expect(second).toEqual({ alerts: [], events: [] });
    expect(status!.version).toBe(1);
  });

  it('re-alerts when the failure changes (another step or code), not when only its message does', () => {
    const first = accountTransition(
      undefined,
      { account: ACCOUNT, kind: 'discovery-failed', failure: denied },
      at(1),
    );
    const reworded = { ...denied, message: 'AssumeRole: request 1234 refused' };
    expect(
      accountTransition(
        first.status,
        { account: ACCOUNT, kind: 'discovery-failed', failure: reworded },
        at(2),
      ),
    ).toEqual({ alerts: [], events: [] });
    const listing = { step: 'ListBuckets', code: 'AccessDenied', message: 'ListBuckets: denied' };
    const changed = accountTransition(
      first.status,
      { account: ACCOUNT, kind: 'discovery-failed', failure: listing },
      at(2),
    );
    expect(changed.alerts.map((alert) => alert.type)).toEqual(['reconcile-failed']);
    expect(changed.alerts[0]!.nextSteps?.[0]).toMatch(/s3:ListAllMyBuckets/);
    expect(changed.status?.version).toBe(2);
  });

  it('clears a failure on the next successful discovery with one drift-resolved alert and event', () => {
    const { changes, status } = run(['discovery-failed', 'discovered', 'discovered']);
    expect(changes[1]!.alerts.map((alert) => [alert.type, alert.summary])).toEqual([
      [
        'drift-resolved',
        `Discovery of account ${ACCOUNT} recovered (was: Discovery of account ${ACCOUNT} failed at AssumeRole (AccessDenied): its buckets are not reconciled until it succeeds)`,
      ],
    ]);
    expect(changes[1]!.events.map((event) => event.action)).toEqual(['drift-resolved']);
    expect(changes[2]).toEqual({ alerts: [], events: [] });
    expect(status).toMatchObject({
      state: 'ok',
      conditions: {},
      version: 2,
      since: '2026-12-02T00:00:00.000Z',
    });
  });

  it('records an account that left once (action-required), forgets its discovery failure, and clears it when it returns', () => {
    const { changes, status } = run(['discovery-failed', 'left', 'left', 'returned']);
    const left = changes[1]!;
    expect(left.status).toMatchObject({ state: 'left-organization', version: 2 });
    expect(Object.keys(left.status!.conditions)).toEqual(['left-organization']);
    expect(left.alerts.map((alert) => alert.type)).toEqual(['action-required']);
    expect(left.alerts[0]!.summary).toMatch(/left the organization or OUs .* no longer reconciled/);
    expect(left.events.map((event) => [event.action, event.bucket])).toEqual([
      ['action-required', `#account:${ACCOUNT}`],
    ]);
    expect(changes[2]).toEqual({ alerts: [], events: [] });
    expect(changes[3]!.alerts.map((alert) => alert.type)).toEqual(['drift-resolved']);
    expect(changes[3]!.alerts[0]!.summary).toMatch(/is allowed again/);
    expect(status).toMatchObject({ state: 'ok', conditions: {}, version: 3 });
  });

  it('reminds of an unchanged failure after the reminder interval, without an audit event', () => {
    const first = accountTransition(
      undefined,
      { account: ACCOUNT, kind: 'discovery-failed', failure: denied },
      at(1),
    );
    const later = accountTransition(
      first.status,
      { account: ACCOUNT, kind: 'discovery-failed', failure: denied },
      { ...at(3), reminderMs: 86_400_000 },
    );
    expect(later.alerts.map((alert) => [alert.type, alert.reminder])).toEqual([['reconcile-failed', true]]);
    expect(later.events).toEqual([]);
  });
});

describe('discoveryFailureOf()', () => {
  it('names the call that failed from the message and the code from the error', () => {
    const error = Object.assign(new Error('AssumeRole arn:aws:iam::222233334444:role/s3ir-reconcile: no'), {
      code: 'AccessDenied',
    });
    expect(discoveryFailureOf(error)).toEqual({
      step: 'AssumeRole',
      code: 'AccessDenied',
      message: 'AssumeRole arn:aws:iam::222233334444:role/s3ir-reconcile: no',
    });
    expect(discoveryFailureOf(new TypeError('boom'))).toEqual({
      step: 'discovery',
      code: 'TypeError',
      message: 'boom',
    });
  });
});
