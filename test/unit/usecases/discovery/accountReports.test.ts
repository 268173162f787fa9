import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../lib/core/alerts/types.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import { PortError } from '../../../../lib/core/reconcile/portError.js';
import {
  type AccountStatusDeps,
  discoverAndReport,
  reportMembershipChanges,
} from '../../../../lib/usecases/discovery/accountReports.js';
import type { DiscoverAccountDeps } from '../../../../lib/usecases/discovery/discoverAccount.js';
import type { BucketMessage } from '../../../../lib/usecases/reconcileMessage/bucketMessage.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import { memoryAccountStatusStore } from '../../../helpers/memoryAccountStatus.js';

const HOME = '111111111111';
const AUDIT = '222222222222';
const WEB = '333333333333';
const UNIT = 'ou-ab12-cdef3456';

function world() {
  const status = memoryAccountStatusStore();
  const events: AuditEvent[] = [];
  const sent: Alert[] = [];
  const accounts = (runId: string): AccountStatusDeps => ({
    status,
    audit: { record: async (event) => void events.push(event) },
    dispatch: {
      deliver: async (alerts: readonly Alert[]) => {
        sent.push(...alerts);
        return { sent: alerts.length, queued: [] };
      },
    } as unknown as AccountStatusDeps['dispatch'],
    reminderMs: 0,
    context: { runId, actor: 's3ir-discover', now: () => new Date('2026-12-06T12:00:00Z') },
  });
  return { status, events, sent, accounts };
}

/** Discovery ports whose member role `refuse` makes STS refuse (or fail as `refuse` says). */
function discovery(refuse: Record<string, Error> = {}) {
  const enqueued: BucketMessage[] = [];
  const deps: DiscoverAccountDeps = {
    templates: async () => [
      {
        template: {
          name: 'org',
          match: { names: ['*'], accounts: [UNIT] },
          inventories: [makeConfiguration({ Id: 'org' })],
        } as never,
        defaults: {},
        origin: 'org',
      },
    ],
    allowedAccounts: async () => new Set([HOME, AUDIT, WEB]),
    parentsOf: async () => [UNIT],
    bucketsOf: (account) => ({
      async bucketLocations() {
        const error = refuse[account];
        if (error) throw error;
        return [{ name: `bucket-${account}`, region: 'us-east-1' }];
      },
      tagsIn: async () => new Map(),
      regionOf: async () => 'us-east-1',
    }),
    queue: { enqueue: async (messages) => void enqueued.push(...messages) },
  };
  return { deps, enqueued };
}

const denied = () =>
  new PortError('AssumeRole arn:aws:iam::222222222222:role/s3ir-reconcile: not authorized', {
    code: 'AccessDenied',
    retryable: false,
  });
const throttled = () => new PortError('ListBuckets: slow down', { code: 'SlowDown', retryable: true });

describe('discoverAndReport()', () => {
  it('records a refused member role once (status, one alert, one event) while the other accounts are discovered', async () => {
    const w = world();
    const { deps, enqueued } = discovery({ [AUDIT]: denied() });
    const outcomes = await Promise.all(
      [AUDIT, WEB].map((account) =>
        discoverAndReport(
          { account, runId: 'sweep-1' },
          { discover: deps, accounts: w.accounts('x'), lastAttempt: false },
        ),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['failed', 'discovered']);
    expect(enqueued.map((message) => message.bucket)).toEqual([`bucket-${WEB}`]);
    expect(w.status.statuses.get(AUDIT)).toMatchObject({
      state: 'discovery-failed',
      runId: 'sweep-1',
      conditions: { 'discovery-failed': { step: 'AssumeRole', code: 'AccessDenied' } },
    });
    expect(w.status.statuses.has(WEB)).toBe(false);
    expect(w.sent.map((alert) => [alert.type, alert.bucket])).toEqual([
      ['reconcile-failed', `#account:${AUDIT}`],
    ]);
    expect(w.events.map((event) => [event.action, event.bucket, event.runId])).toEqual([
      ['reconcile-failed', `#account:${AUDIT}`, 'sweep-1'],
    ]);

    // The next sweep: still refused, nothing new; then the role works: one drift-resolved.
    await discoverAndReport(
      { account: AUDIT, runId: 'sweep-2' },
      { discover: deps, accounts: w.accounts('x'), lastAttempt: false },
    );
    expect(w.sent).toHaveLength(1);
    expect(w.status.writes).toHaveLength(1);
    const healed = discovery();
    const outcome = await discoverAndReport(
      { account: AUDIT, runId: 'sweep-3' },
      { discover: healed.deps, accounts: w.accounts('x'), lastAttempt: false },
    );
    expect(outcome.status).toBe('discovered');
    expect(w.sent.map((alert) => alert.type)).toEqual(['reconcile-failed', 'drift-resolved']);
    expect(w.status.statuses.get(AUDIT)?.state).toBe('ok');
  });

  it('leaves a passing failure to SQS unrecorded, and records it on the last receive', async () => {
    const w = world();
    const { deps } = discovery({ [AUDIT]: throttled() });
    const message = { account: AUDIT, runId: 'sweep-1' };
    await expect(
      discoverAndReport(message, { discover: deps, accounts: w.accounts('x'), lastAttempt: false }),
    ).rejects.toThrow(/slow down/);
    expect(w.status.writes).toEqual([]);
    expect(w.sent).toEqual([]);
    const last = await discoverAndReport(message, {
      discover: deps,
      accounts: w.accounts('x'),
      lastAttempt: true,
    });
    expect(last.status).toBe('failed');
    expect(w.status.statuses.get(AUDIT)?.conditions['discovery-failed']).toMatchObject({
      step: 'ListBuckets',
      code: 'SlowDown',
    });
    expect(w.sent).toHaveLength(1);
  });

  it('costs one status read and no write for a healthy account, and asks nothing of an account no longer allowed', async () => {
    const w = world();
    const { deps, enqueued } = discovery();
    await discoverAndReport(
      { account: WEB, runId: 'sweep-1' },
      { discover: deps, accounts: w.accounts('x'), lastAttempt: false },
    );
    expect(w.status.reads).toEqual([WEB]);
    expect(w.status.writes).toEqual([]);
    const gone = await discoverAndReport(
      { account: '444444444444', runId: 'sweep-1' },
      { discover: deps, accounts: w.accounts('x'), lastAttempt: false },
    );
    expect(gone.status).toBe('not-allowed');
    expect(enqueued).toHaveLength(1);
    expect(w.status.writes).toEqual([]);
  });
});

describe('reportMembershipChanges()', () => {
  it('records each account that left once, and clears it when it is allowed again', async () => {
    const w = world();
    const first = await reportMembershipChanges({ dropped: [AUDIT], added: [] }, w.accounts('sweep-1'));
    expect(first).toEqual({ recorded: [`${AUDIT}: left-organization`], failed: [] });
    expect(w.sent.map((alert) => [alert.type, alert.account])).toEqual([['action-required', AUDIT]]);
    expect(w.events.map((event) => [event.action, event.bucket])).toEqual([
      ['action-required', `#account:${AUDIT}`],
    ]);

    // A first resolution lists every account as added: one read each, nothing written for healthy ones.
    const back = await reportMembershipChanges({ dropped: [], added: [AUDIT, WEB] }, w.accounts('sweep-2'));
    expect(back).toEqual({ recorded: [`${AUDIT}: ok`], failed: [] });
    expect(w.sent.map((alert) => alert.type)).toEqual(['action-required', 'drift-resolved']);
    expect(w.status.statuses.has(WEB)).toBe(false);
  });

  it("reports one account's failure and goes on with the others", async () => {
    const w = world();
    const deps = w.accounts('sweep-1');
    let calls = 0;
    const failing: AccountStatusDeps = {
      ...deps,
      audit: {
        record: async (event) => {
          if (calls++ === 0) throw new Error('audit table unavailable');
          await deps.audit.record(event);
        },
      },
    };
    const report = await reportMembershipChanges({ dropped: [AUDIT, WEB], added: [] }, failing);
    expect(report.recorded).toEqual([`${WEB}: left-organization`]);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatch(/^222222222222: .*audit table unavailable/);
    expect(w.status.statuses.has(AUDIT)).toBe(false);
  });
});
