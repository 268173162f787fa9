import { describe, expect, it } from 'vitest';
import { formatAlert } from '../../../../lib/core/alerts/formatAlert.js';
import { heldPlan } from '../../../../lib/core/brake/heldPlan.js';
import { describeCounts, holdAlert, holdStartedMessage } from '../../../../lib/core/brake/holdMessages.js';
import type { Hold } from '../../../../lib/core/brake/types.js';
import type { Plan } from '../../../../lib/core/reconcile/types.js';

const HOLD: Hold = {
  since: '2026-12-06T15:45:30.000Z',
  reason: '101 changes in the last 60 min (limit 100, S3IR_MAX_CHANGES)',
  counts: { changes: 99, deletes: 3 },
  requested: { changes: 2, deletes: 0 },
  limits: { maxChanges: 100, maxDeletes: 10, windowMinutes: 60 },
  bucket: 'photos',
  runId: 'sweep-1',
  actor: 'arn:aws:iam::111122223333:role/s3ir-reconcile',
};

describe('holdAlert()', () => {
  it('is one high action-required alert that says why and gives the exact release command', () => {
    const alert = holdAlert(HOLD);
    expect(alert).toMatchObject({
      type: 'action-required',
      bucket: 'photos',
      runId: 'sweep-1',
      since: HOLD.since,
    });
    expect(alert.summary).toContain(
      'which would make 101 changes in the last 60 min (limit 100, S3IR_MAX_CHANGES)',
    );
    expect(alert.summary).toContain('`s3ir hold release`');
    const formatted = formatAlert(alert);
    expect(formatted.attributes).toEqual({
      eventType: 'action-required',
      bucket: 'photos',
      severity: 'high',
    });
    const body = JSON.parse(formatted.message);
    expect(body.content.nextSteps).toEqual([
      "See the hold and the window's counts: `s3ir hold`",
      'Check what changed: `s3ir audit --since 60m`',
      'Then lift it: `s3ir hold release` (or fix the desired state first)',
    ]);
    expect(body.detail).toMatchObject({
      release: 's3ir hold release',
      hold: { counts: { changes: 99, deletes: 3 } },
    });
  });
});

describe('describeCounts() and holdStartedMessage()', () => {
  it('puts counts against limits, and leaves out a limit that is absent', () => {
    expect(describeCounts(HOLD)).toBe('99 of 100 changes, 3 of 10 deletes in the last 60 min');
    expect(describeCounts({ counts: HOLD.counts, limits: { windowMinutes: 30, maxChanges: 5 } })).toBe(
      '99 of 5 changes, 3 deletes in the last 30 min',
    );
    expect(holdStartedMessage(HOLD)).toMatch(
      /^Service on hold: photos asked for 2 change\(s\) \(0 delete\(s\)\)/,
    );
  });
});

describe('heldPlan()', () => {
  it('turns every action report-only with the hold as the guard, and adds no finding', () => {
    const plan = {
      bucket: 'photos',
      account: '111122223333',
      region: 'us-east-1',
      drift: [],
      findings: [],
      actions: [
        { key: 'create-configuration:a', kind: 'create-configuration', mode: 'enforce', dependsOn: [] },
        { key: 'delete-configuration:b', kind: 'delete-configuration', mode: 'enforce', dependsOn: [] },
      ],
    } as unknown as Plan;
    const held = heldPlan(plan, HOLD);
    expect(held.actions.map((action) => action.mode)).toEqual(['detect', 'detect']);
    expect(held.guard).toEqual({
      kind: 'hold',
      reason: `service on hold since ${HOLD.since}: ${HOLD.reason}`,
    });
    expect(held.findings).toEqual([]);
    expect(plan.actions.map((action) => action.mode)).toEqual(['enforce', 'enforce']);
  });
});
