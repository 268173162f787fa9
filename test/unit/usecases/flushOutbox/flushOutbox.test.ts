import { describe, expect, it } from 'vitest';
import { AlertDeliveryError } from '../../../../lib/core/alerts/errors.js';
import { formatAlert } from '../../../../lib/core/alerts/formatAlert.js';
import type { Alert } from '../../../../lib/core/alerts/types.js';
import { flushOutbox } from '../../../../lib/usecases/flushOutbox/flushOutbox.js';
import { deliverAlerts, outboxId } from '../../../../lib/usecases/recordTransition/deliverAlerts.js';
import { memoryOutbox, memorySender } from '../../../helpers/memoryAlerts.js';

const alert = (bucket: string, type: Alert['type'] = 'drift-detected'): Alert => ({
  type,
  bucket,
  runId: 'run-1',
  summary: `${type} on ${bucket}`,
});
const now = () => new Date('2026-03-01T00:00:00.000Z');
const bodies = (sent: { message: string }[]) => sent.map((entry) => JSON.parse(entry.message).bucket);

describe('deliverAlerts()', () => {
  it('sends every alert formatted, and keeps nothing when SNS takes them', async () => {
    const sender = memorySender();
    const outbox = memoryOutbox();
    const report = await deliverAlerts([alert('a'), alert('b', 'action-required')], { sender, outbox, now });
    expect(report).toEqual({ sent: 2, queued: [] });
    expect(sender.sent).toEqual([formatAlert(alert('a')), formatAlert(alert('b', 'action-required'))]);
    expect(outbox.entries.size).toBe(0);
  });

  it('keeps what SNS refuses in the outbox, once, under the id of the formatted alert', async () => {
    const sender = memorySender();
    sender.refuse = (formatted) => formatted.attributes.bucket === 'b';
    const outbox = memoryOutbox();
    const report = await deliverAlerts([alert('a'), alert('b')], { sender, outbox, now });
    expect(report).toEqual({
      sent: 1,
      queued: ['drift-detected b: InternalErrorException: SNS is down (injected)'],
    });
    const id = outboxId(formatAlert(alert('b')));
    expect([...outbox.entries.values()]).toEqual([
      { id, alert: formatAlert(alert('b')), createdAt: '2026-03-01T00:00:00.000Z' },
    ]);
    // A retried worker (same run, same alert) keeps it once.
    await deliverAlerts([alert('b')], { sender, outbox, now });
    expect(outbox.entries.size).toBe(1);
    expect(outboxId(formatAlert({ ...alert('b'), runId: 'run-2' }))).not.toBe(id);
  });

  it('throws a retryable error naming the alerts that neither SNS nor the outbox took', async () => {
    const sender = memorySender();
    sender.down = true;
    const outbox = memoryOutbox();
    outbox.down = true;
    const error = await deliverAlerts([alert('a')], { sender, outbox }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlertDeliveryError);
    expect(error).toMatchObject({
      retryable: true,
      lost: [
        'drift-detected a: InternalErrorException: SNS is down (injected); outbox: InternalServerError: DynamoDB is down (injected)',
      ],
    });
  });
});

describe('flushOutbox()', () => {
  it('sends every kept alert oldest first and removes each one sent', async () => {
    const sender = memorySender();
    const outbox = memoryOutbox();
    for (const [bucket, createdAt] of [
      ['late', '2026-03-02T00:00:00Z'],
      ['early', '2026-03-01T00:00:00Z'],
    ]) {
      const formatted = formatAlert(alert(bucket!));
      await outbox.put({ id: outboxId(formatted), alert: formatted, createdAt: createdAt! });
    }
    const report = await flushOutbox({ sender, outbox });
    expect(bodies(sender.sent)).toEqual(['early', 'late']);
    expect(report.sent).toHaveLength(2);
    expect(report.kept).toEqual([]);
    expect(outbox.entries.size).toBe(0);
    expect(await flushOutbox({ sender, outbox })).toEqual({ sent: [], kept: [] });
    expect(sender.sent).toHaveLength(2);
  });

  it('keeps what fails again without stopping the others', async () => {
    const sender = memorySender();
    sender.refuse = (formatted) => formatted.attributes.bucket === 'b';
    const outbox = memoryOutbox();
    await deliverAlerts([alert('a'), alert('b'), alert('c')], {
      sender: { send: async () => Promise.reject(new Error('down')) },
      outbox,
      now,
    });
    const report = await flushOutbox({ sender, outbox });
    expect(bodies(sender.sent).sort()).toEqual(['a', 'c']);
    const id = outboxId(formatAlert(alert('b')));
    expect(report.kept).toEqual([`${id}: sending failed: SNS is down (injected)`]);
    expect([...outbox.entries.keys()]).toEqual([id]);

    sender.refuse = undefined;
    expect((await flushOutbox({ sender, outbox })).sent).toEqual([id]);
    expect(bodies(sender.sent).sort()).toEqual(['a', 'b', 'c']);
  });

  it('says when an entry was sent but could not be removed (it is sent again next time)', async () => {
    const sender = memorySender();
    const outbox = memoryOutbox();
    const formatted = formatAlert(alert('a'));
    await outbox.put({ id: 'x', alert: formatted, createdAt: '2026-03-01T00:00:00Z' });
    outbox.deleteDown = true;
    expect(await flushOutbox({ sender, outbox })).toEqual({
      sent: [],
      kept: ['x: removing failed: DeleteItem refused (injected)'],
    });
    expect(sender.sent).toEqual([formatted]);
  });

  it('never throws: an unreadable outbox waits for the next flush', async () => {
    const outbox = memoryOutbox();
    outbox.down = true;
    expect(await flushOutbox({ sender: memorySender(), outbox })).toEqual({
      sent: [],
      kept: [],
      unread: 'DynamoDB is down (injected)',
    });
  });
});
