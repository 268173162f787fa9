import { describe, expect, it } from 'vitest';
import { auditJsonLine, renderAudit } from '../../../../lib/cli/render/renderAudit.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';

const created: AuditEvent = {
  eventId: 'e1',
  time: '2026-01-31T12:00:00.000Z',
  runId: 'cli-20260131T120000000Z',
  bucket: 'photos',
  configId: 'daily',
  action: 'inventory-created',
  actor: 'arn:aws:iam::111122223333:user/ana',
  after: { Id: 'daily' },
  message: 'created daily',
};

const policy: AuditEvent = {
  eventId: 'e2',
  time: '2026-01-31T11:00:00.000Z',
  runId: 'sweep-1',
  bucket: 'logs-archive',
  action: 'destination-policy-updated',
  actor: 'service',
  target: 'reports',
};

describe('renderAudit()', () => {
  it('says so when no event matches', () => {
    expect(renderAudit([])).toBe('No audit events match.\n');
    expect(renderAudit([], { color: true })).toBe('No audit events match.\n');
  });

  it('aligns bucket, action and config id columns, "-" for no config id, the message only when there is one', () => {
    expect(renderAudit([created, policy])).toBe(
      [
        '2026-01-31T12:00:00.000Z  photos        inventory-created           daily  arn:aws:iam::111122223333:user/ana  created daily',
        '2026-01-31T11:00:00.000Z  logs-archive  destination-policy-updated  -      service',
        '',
      ].join('\n'),
    );
  });

  it('dims the time and the message only when colour is on', () => {
    expect(renderAudit([created], { color: true })).toBe(
      '\u001b[2m2026-01-31T12:00:00.000Z\u001b[22m  photos  inventory-created  daily  arn:aws:iam::111122223333:user/ana  \u001b[2mcreated daily\u001b[22m\n',
    );
  });
});

describe('renderAudit() with the cause of drift', () => {
  const reverted: AuditEvent = {
    ...created,
    action: 'inventory-updated',
    actor: 'arn:aws:iam::111122223333:role/s3ir-reconcile',
    message: 'updated inventory daily on photos (IsEnabled)',
    cause: {
      actor: 'arn:aws:iam::111122223333:user/ana',
      time: '2026-01-31T11:59:58.000Z',
      eventId: '0b4f7c3e-2d1a-4f5b-9c8e-7a6b5c4d3e2f',
    },
  };

  it('adds "changed by … at …, reverted by … at …" under an event with a cause', () => {
    expect(renderAudit([reverted, policy])).toBe(
      [
        '2026-01-31T12:00:00.000Z  photos        inventory-updated           daily  arn:aws:iam::111122223333:role/s3ir-reconcile  updated inventory daily on photos (IsEnabled)',
        '    changed by arn:aws:iam::111122223333:user/ana at 2026-01-31T11:59:58.000Z, reverted by arn:aws:iam::111122223333:role/s3ir-reconcile at 2026-01-31T12:00:00.000Z',
        '2026-01-31T11:00:00.000Z  logs-archive  destination-policy-updated  -      service',
        '',
      ].join('\n'),
    );
  });

  it('carries the cause as a field of the --json line', () => {
    expect(JSON.parse(auditJsonLine(reverted)).cause).toEqual(reverted.cause);
  });
});

describe('auditJsonLine()', () => {
  it('puts the Contract fields first, in Contract order, then any others, leaving out undefined ones', () => {
    const shuffled = {
      target: 'reports',
      message: 'm',
      after: { b: 1 },
      before: null,
      actor: 'a',
      action: 'inventory-updated',
      configId: undefined,
      bucket: 'photos',
      runId: 'r',
      time: 't',
      eventId: 'e',
    } as AuditEvent;
    expect(auditJsonLine(shuffled)).toBe(
      '{"version":1,"eventId":"e","time":"t","runId":"r","bucket":"photos","action":"inventory-updated","actor":"a","before":null,"after":{"b":1},"message":"m","target":"reports"}',
    );
  });

  it('prints the chain fields last in a fixed order, whatever order the table returned them in', () => {
    const stored = {
      hash: 'h',
      zeta: 1,
      seq: 2,
      ...policy,
      alpha: true,
      prevHash: 'p',
      expiresAt: 9,
    } as AuditEvent;
    expect(Object.keys(JSON.parse(auditJsonLine(stored)))).toEqual([
      'version',
      'eventId',
      'time',
      'runId',
      'bucket',
      'action',
      'actor',
      'alpha',
      'target',
      'zeta',
      'seq',
      'prevHash',
      'hash',
      'expiresAt',
    ]);
  });

  it('keeps every member of a full event', () => {
    expect(JSON.parse(auditJsonLine(created))).toEqual({ version: 1, ...created });
    expect(Object.keys(JSON.parse(auditJsonLine(policy)))).toEqual([
      'version',
      'eventId',
      'time',
      'runId',
      'bucket',
      'action',
      'actor',
      'target',
    ]);
  });
});
