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
