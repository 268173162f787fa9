import { describe, expect, it } from 'vitest';
import { auditEventChangeHash, auditEventId, withEventId } from '../../../../lib/core/audit/eventId.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import { changeEvent, type EventStamp } from '../../../../lib/core/reconcile/auditEvents.js';
import type { PlanAction } from '../../../../lib/core/reconcile/types.js';
import { makeConfiguration } from '../../../helpers/factories.js';

const parts = {
  runId: 'sweep-2026-04-01T00:00',
  bucket: 'photos',
  action: 'inventory-updated',
  subject: 'update-configuration:daily-csv',
} as const;
const disabled = makeConfiguration({ IsEnabled: false });
const enabled = makeConfiguration();

describe('auditEventId()', () => {
  it('is 64 hex digits, the same for the same change in the same run', () => {
    const id = auditEventId({ ...parts, change: { before: disabled, after: enabled } });
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(auditEventId({ ...parts, change: { before: disabled, after: enabled } })).toBe(id);
  });

  it('differs when a reused runId carries a different change (before or after)', () => {
    const id = auditEventId({ ...parts, change: { before: disabled, after: enabled } });
    const otherAfter = makeConfiguration({ Schedule: { Frequency: 'Weekly' } });
    expect(auditEventId({ ...parts, change: { before: disabled, after: otherAfter } })).not.toBe(id);
    expect(auditEventId({ ...parts, change: { before: enabled, after: enabled } })).not.toBe(id);
    expect(auditEventId({ ...parts, change: { after: enabled } })).not.toBe(id);
    // before and after are not interchangeable
    expect(auditEventId({ ...parts, change: { before: enabled, after: disabled } })).not.toBe(id);
  });

  it('hashes the documents as the store keeps them: member order and undefined members do not count', () => {
    const reordered = JSON.parse(JSON.stringify(enabled), (_key, value) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value,
    );
    expect(auditEventChangeHash({ after: reordered })).toBe(auditEventChangeHash({ after: enabled }));
    expect(auditEventChangeHash({ after: { a: 1, b: undefined } })).toBe(
      auditEventChangeHash({ after: { a: 1 } }),
    );
  });

  it('counts the message only when the event has neither before nor after', () => {
    expect(auditEventChangeHash({ message: 'AccessDenied' })).not.toBe(
      auditEventChangeHash({ message: 'NoSuchBucket' }),
    );
    // A retry that words the same change differently is still that change.
    expect(auditEventChangeHash({ after: enabled, message: 'created (first try)' })).toBe(
      auditEventChangeHash({ after: enabled, message: 'created (second try)' }),
    );
  });
});

describe('withEventId()', () => {
  const event: Omit<AuditEvent, 'eventId'> = {
    time: '2026-04-01T00:00:00.000Z',
    runId: parts.runId,
    bucket: parts.bucket,
    action: parts.action,
    actor: 'reconciler',
    before: disabled,
    after: enabled,
    message: 'enable daily-csv',
  };

  it('derives the id from the event itself, so id and content cannot disagree', () => {
    expect(withEventId(parts.subject, event)).toEqual({
      ...event,
      eventId: auditEventId({ ...parts, change: { before: disabled, after: enabled } }),
    });
  });

  it('gives a replayed runId with a different change a new id, and an exact retry the same one', () => {
    const action = {
      kind: 'update-configuration',
      key: parts.subject,
      mode: 'enforce',
      dependsOn: [],
      id: 'daily-csv',
      before: disabled,
      after: enabled,
      fields: [],
      reason: 'Configuration daily-csv differs on photos',
    } satisfies PlanAction;
    const stamp: EventStamp = {
      bucket: 'photos',
      context: { runId: parts.runId, actor: 'reconciler', now: () => new Date('2026-04-01T00:00:00Z') },
    };
    const recorded = changeEvent(action, stamp);
    // An exact retry, minutes later: the same id, so the store refuses it as a duplicate.
    const later = { ...stamp, context: { ...stamp.context, now: () => new Date('2026-04-01T00:07:00Z') } };
    const retried = changeEvent(action, later);
    // A message replaying the runId with another change (the configuration disabled again).
    const replayed = changeEvent({ ...action, before: enabled, after: disabled }, later);
    expect(retried.eventId).toBe(recorded.eventId);
    expect(replayed.eventId).not.toBe(recorded.eventId);
  });
});
