import { describe, expect, it } from 'vitest';
import { causeLine } from '../../../../lib/core/audit/causeLine.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';

const reverted: Pick<AuditEvent, 'action' | 'actor' | 'time' | 'cause'> = {
  action: 'inventory-updated',
  actor: 'arn:aws:iam::111122223333:role/s3ir-reconcile',
  time: '2026-12-06T15:04:09.000Z',
  cause: {
    actor: 'arn:aws:iam::111122223333:user/ana',
    sourceIp: '203.0.113.7',
    time: '2026-12-06T15:04:05.000Z',
    eventId: '0b4f7c3e-2d1a-4f5b-9c8e-7a6b5c4d3e2f',
    eventName: 'PutBucketInventoryConfiguration',
  },
};

describe('causeLine()', () => {
  it('says who changed it, from where and when, and who reverted it when', () => {
    expect(causeLine(reverted)).toBe(
      'changed by arn:aws:iam::111122223333:user/ana from 203.0.113.7 at 2026-12-06T15:04:05.000Z, reverted by arn:aws:iam::111122223333:role/s3ir-reconcile at 2026-12-06T15:04:09.000Z',
    );
  });

  it('says "detected" for drift left in place, leaves out an unknown source IP, and is undefined without a cause', () => {
    const { sourceIp: _, ...cause } = reverted.cause!;
    expect(causeLine({ ...reverted, action: 'drift-detected', cause })).toBe(
      'changed by arn:aws:iam::111122223333:user/ana at 2026-12-06T15:04:05.000Z, detected by arn:aws:iam::111122223333:role/s3ir-reconcile at 2026-12-06T15:04:09.000Z',
    );
    expect(causeLine({ ...reverted, cause: undefined })).toBeUndefined();
  });

  it('never passes a control character read from the table on to a terminal', () => {
    const forged = { ...reverted, cause: { ...reverted.cause!, actor: 'ana\u001b[2J\u009b' } };
    expect(causeLine(forged)).toMatch(/^changed by ana\?\[2J\? from /);
  });
});
