import { describe, expect, it } from 'vitest';
import { desiredChangeEvent } from '../../../../lib/core/audit/desiredChangeEvent.js';
import { auditEventId } from '../../../../lib/core/audit/eventId.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';
import { TEMPLATES_PARTITION } from '../../../../lib/core/desired/desiredTableLayout.js';
import { handleDesiredChange } from '../../../../lib/usecases/fanOut/desiredChanges.js';
import type { BucketMessage } from '../../../../lib/usecases/reconcileMessage/bucketMessage.js';
import { makeConfiguration } from '../../../helpers/factories.js';

const change = {
  changeId: 'ev-1',
  eventName: 'MODIFY',
  bucket: 'src',
  id: 'daily-csv',
  oldImage: { bucket: 'src', id: 'daily-csv', configuration: makeConfiguration({ IsEnabled: false }) },
  newImage: { bucket: 'src', id: 'daily-csv', configuration: makeConfiguration(), appliedBy: 'alice' },
  time: '2026-01-02T03:04:05.000Z',
};

function fakes() {
  const events: AuditEvent[] = [];
  const sent: BucketMessage[] = [];
  return {
    events,
    sent,
    deps: {
      audit: { record: async (event: AuditEvent) => void events.push(event) },
      queue: { enqueue: async (messages: readonly BucketMessage[]) => void sent.push(...messages) },
      buckets: { accountBuckets: async () => ['logs-1', 'logs-2', 'other'], bucketsTagged: async () => [] },
    },
  };
}

describe('desiredChangeEvent()', () => {
  it('records who changed which item, with both images and a deterministic id', () => {
    expect(desiredChangeEvent(change)).toEqual({
      eventId: auditEventId({
        runId: 'desired-ev-1',
        bucket: 'src',
        action: 'desired-state-changed',
        subject: 'daily-csv',
        change: { before: change.oldImage, after: change.newImage },
      }),
      time: change.time,
      runId: 'desired-ev-1',
      bucket: 'src',
      configId: 'daily-csv',
      action: 'desired-state-changed',
      actor: 'alice',
      message: 'Desired item daily-csv of src changed',
      before: change.oldImage,
      after: change.newImage,
    });
  });

  it('words inserts and removals, and has no configId for settings items', () => {
    const removed = desiredChangeEvent({
      ...change,
      id: '#bucket',
      eventName: 'REMOVE',
      newImage: undefined,
      oldImage: { bucket: 'src' },
    });
    expect(removed).toMatchObject({
      actor: 'desired-state-table',
      message: 'Desired item #bucket of src removed',
    });
    expect(removed).not.toHaveProperty('configId');
    expect(desiredChangeEvent({ ...change, eventName: 'INSERT' }).message).toBe(
      'Desired item daily-csv of src added',
    );
  });
});

describe('handleDesiredChange()', () => {
  it('records the change and enqueues the bucket', async () => {
    const { events, sent, deps } = fakes();
    expect(await handleDesiredChange(change, deps)).toEqual(['src']);
    expect(events.map((event) => event.action)).toEqual(['desired-state-changed']);
    expect(sent).toEqual([{ bucket: 'src', runId: 'desired-ev-1', reason: 'desired-change' }]);
  });

  it('enqueues every bucket the old or new template selects', async () => {
    const { sent, deps } = fakes();
    const template = (names: string[]) => ({
      bucket: TEMPLATES_PARTITION,
      id: 'logs',
      template: { name: 'logs', match: { names }, inventories: [makeConfiguration()] },
    });
    const templateChange = {
      ...change,
      bucket: TEMPLATES_PARTITION,
      id: 'logs',
      oldImage: template(['logs-1']),
      newImage: template(['logs-2']),
    };
    expect(await handleDesiredChange(templateChange, deps)).toEqual(['logs-1', 'logs-2']);
    expect(sent.map((message) => message.bucket)).toEqual(['logs-1', 'logs-2']);
  });

  it('enqueues nothing for a template item that is not a valid template', async () => {
    const { sent, deps } = fakes();
    const broken = {
      ...change,
      bucket: TEMPLATES_PARTITION,
      id: 'x',
      oldImage: undefined,
      newImage: { template: 1 },
    };
    expect(await handleDesiredChange(broken, deps)).toEqual([]);
    expect(sent).toEqual([]);
  });
});
