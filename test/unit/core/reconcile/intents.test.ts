import { describe, expect, it } from 'vitest';
import { withEventId } from '../../../../lib/core/audit/eventId.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import {
  type ChangeIntent,
  intentOf,
  intentTarget,
  intentVerdict,
  resolutionEvent,
} from '../../../../lib/core/reconcile/intents.js';
import { makeConfiguration } from '../../../helpers/factories.js';
import {
  DESTINATION_BUCKET,
  foreignStatement,
  makePolicy,
  ourDestinationGrant,
  SOURCE_BUCKET,
} from '../../../helpers/reconcileFactories.js';

const TIME = '2026-01-02T03:04:05.000Z';

function intent(event: Omit<AuditEvent, 'eventId' | 'time' | 'runId' | 'bucket' | 'actor'>, subject: string) {
  return intentOf(
    withEventId(subject, { time: TIME, runId: 'run-1', bucket: SOURCE_BUCKET, actor: 'worker', ...event }),
    subject,
    TIME,
  );
}

const created = intent(
  { action: 'inventory-created', configId: 'daily-csv', after: makeConfiguration() },
  'create-configuration:daily-csv',
);
const updated = intent(
  {
    action: 'inventory-updated',
    configId: 'daily-csv',
    before: makeConfiguration(),
    after: makeConfiguration({ IsEnabled: false }),
  },
  'update-configuration:daily-csv',
);
const granted = intent(
  {
    action: 'destination-policy-updated',
    target: DESTINATION_BUCKET,
    before: makePolicy([foreignStatement()]),
    after: makePolicy([foreignStatement(), ourDestinationGrant([SOURCE_BUCKET])]),
  },
  `grant-destination:${DESTINATION_BUCKET}`,
);
const verdictOf = (pending: ChangeIntent, current: unknown) =>
  intentVerdict(pending, intentTarget(pending)!, current);

describe('intentVerdict()', () => {
  it('tells a configuration change that happened from one that did not, field order aside', () => {
    const reordered = makeConfiguration({ OptionalFields: ['StorageClass', 'Size'] });
    const wanted = makeConfiguration({ OptionalFields: ['Size', 'StorageClass'] });
    const pending = intent(
      { action: 'inventory-created', configId: 'daily-csv', after: wanted },
      'create-configuration:daily-csv',
    );

    expect(verdictOf(pending, reordered)).toBe('applied');
    expect(verdictOf(created, undefined)).toBe('not-applied');
    expect(verdictOf(updated, makeConfiguration())).toBe('not-applied');
    expect(
      verdictOf(updated, makeConfiguration({ Id: 'daily-csv', Schedule: { Frequency: 'Weekly' } })),
    ).toBe('unknown');
  });

  it('takes a grant another source’s worker extended since for applied, and one never written for not applied', () => {
    const extended = makePolicy([foreignStatement(), ourDestinationGrant([SOURCE_BUCKET, 'another-source'])]);
    const othersOnly = makePolicy([foreignStatement(), ourDestinationGrant(['another-source'])]);

    expect(verdictOf(granted, granted.event.after)).toBe('applied');
    expect(verdictOf(granted, granted.event.before)).toBe('not-applied');
    expect(verdictOf(granted, extended)).toBe('applied');
    expect(verdictOf(granted, othersOnly)).toBe('not-applied');
  });
});

describe('resolutionEvent()', () => {
  it('records a change that happened as its own event: the id the dead worker would have recorded', () => {
    const event = resolutionEvent(created, 'applied', {
      actor: 'next-worker',
      time: '2026-01-02T04:00:00.000Z',
    });

    expect(event).toEqual({ ...created.event, intentId: created.intentId });
    expect(event.eventId).toBe(created.event.eventId);
  });

  it('records one change-not-applied per intent, whoever resolves it and when', () => {
    const first = resolutionEvent(created, 'not-applied', { actor: 'a', time: '2026-01-02T04:00:00.000Z' });
    const second = resolutionEvent(created, 'not-applied', { actor: 'b', time: '2026-01-02T05:00:00.000Z' });

    expect(first).toMatchObject({
      action: 'change-not-applied',
      runId: 'run-1',
      bucket: SOURCE_BUCKET,
      configId: 'daily-csv',
      intentId: created.intentId,
      after: makeConfiguration(),
    });
    expect(first.message).toMatch(/inventory-created announced by run run-1 .* reads as before the change$/);
    expect(second.eventId).toBe(first.eventId);
    expect(first.eventId).not.toBe(created.intentId);
  });
});

describe('intentTarget()', () => {
  it('names what to read back, and nothing for an event that is not a change', () => {
    expect(intentTarget(created)).toEqual({ kind: 'configuration', id: 'daily-csv' });
    expect(intentTarget(granted)).toEqual({ kind: 'destination-policy', bucket: DESTINATION_BUCKET });
    const drift = intent({ action: 'drift-detected', message: 'x' }, 'drift');
    expect(intentTarget(drift)).toBeUndefined();
  });
});
