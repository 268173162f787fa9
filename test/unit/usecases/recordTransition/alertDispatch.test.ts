import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../lib/core/alerts/types.js';
import type { FlushReport } from '../../../../lib/usecases/flushOutbox/flushOutbox.js';
import { AlertDispatch } from '../../../../lib/usecases/recordTransition/AlertDispatch.js';
import { memoryOutbox, memorySender } from '../../../helpers/memoryAlerts.js';

const alert = (bucket: string, type: Alert['type'] = 'reconcile-failed', runId = 'run-1'): Alert => ({
  type,
  bucket,
  runId,
  summary: `${type} on ${bucket}`,
});
const typesSent = (sent: { message: string }[]) =>
  sent.map((entry) => {
    const body = JSON.parse(entry.message);
    return `${body.type} ${body.bucket}`;
  });

/** A dispatch over in-memory SNS and outbox, counting the outbox's reads (a Query each in the service). */
function world() {
  const sender = memorySender();
  const outbox = memoryOutbox();
  const reads = { count: 0 };
  const list = outbox.list.bind(outbox);
  outbox.list = () => {
    reads.count += 1;
    return list();
  };
  const flushes: FlushReport[] = [];
  const dispatch = new AlertDispatch({ sender, outbox }, (report) => flushes.push(report));
  return { sender, outbox, reads, flushes, dispatch };
}

describe('AlertDispatch', () => {
  it('reads the outbox not at all when an invocation has no alert (steady state)', async () => {
    const { dispatch, reads } = world();
    dispatch.begin();
    expect(await dispatch.deliver([])).toEqual({ sent: 0, queued: [] });
    expect(await dispatch.settle()).toBeUndefined();
    expect(reads.count).toBe(0);
  });

  it('sends a kept alert at the end of the invocation that kept it, once SNS answers again', async () => {
    const { dispatch, sender, outbox, reads } = world();
    dispatch.begin();
    sender.down = true;
    const report = await dispatch.deliver([alert('photos')]);
    expect(report.sent).toBe(0);
    expect(report.queued).toHaveLength(1);
    expect(outbox.entries.size).toBe(1);

    sender.down = false; // SNS answers again before the invocation ends
    const flush = await dispatch.settle();
    expect(flush?.sent).toHaveLength(1);
    expect(typesSent(sender.sent)).toEqual(['reconcile-failed photos']);
    expect(outbox.entries.size).toBe(0);
    expect(reads.count).toBe(2); // before the first alert, and at the end
    // Nothing kept any more: the next invocation's end reads nothing.
    dispatch.begin();
    expect(await dispatch.settle()).toBeUndefined();
    expect(reads.count).toBe(2);
  });

  it('keeps trying at the end of later invocations while SNS still refuses', async () => {
    const { dispatch, sender, outbox } = world();
    sender.down = true;
    dispatch.begin();
    await dispatch.deliver([alert('photos')]);
    expect((await dispatch.settle())?.kept).toHaveLength(1);

    dispatch.begin(); // a later invocation with no alert of its own
    sender.down = false;
    expect((await dispatch.settle())?.sent).toHaveLength(1);
    expect(typesSent(sender.sent)).toEqual(['reconcile-failed photos']);
    expect(outbox.entries.size).toBe(0);
  });

  it('sends what an earlier run kept before this run news, flushing once per invocation', async () => {
    const { dispatch, sender, reads, flushes } = world();
    sender.down = true;
    dispatch.begin();
    await dispatch.deliver([alert('photos')]);
    sender.down = false;

    // Another writer's invocation (a fresh sandbox would do the same): the failure arrives before the recovery.
    dispatch.begin();
    const before = reads.count;
    await Promise.all([
      dispatch.deliver([alert('photos', 'drift-resolved', 'run-2')]),
      dispatch.deliver([alert('logs', 'drift-detected', 'run-2')]),
    ]);
    expect(reads.count - before).toBe(1); // concurrent senders share one flush
    expect(typesSent(sender.sent)).toEqual([
      'reconcile-failed photos',
      'drift-resolved photos',
      'drift-detected logs',
    ]);
    expect(flushes.at(-1)?.sent).toHaveLength(1);
    expect(await dispatch.settle()).toBeUndefined(); // nothing kept in this invocation
  });

  it('never throws when the outbox cannot be read, and sends the new alerts anyway', async () => {
    const { dispatch, sender, outbox } = world();
    dispatch.begin();
    outbox.down = true;
    const report = await dispatch.deliver([alert('photos', 'drift-detected')]);
    expect(report).toEqual({ sent: 1, queued: [] });
    expect(typesSent(sender.sent)).toEqual(['drift-detected photos']);
    outbox.down = false;
    // The unread outbox may hold alerts: the invocation's end reads it again.
    expect(await dispatch.settle()).toEqual({ sent: [], kept: [] });
  });
});
