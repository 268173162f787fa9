import { describe, expect, it } from 'vitest';
import { RetryableReconcileError } from '../../../../lib/core/reconcile/reconcileErrors.js';
import { DeadlineError } from '../../../../lib/usecases/reconcileMessage/deadline.js';
import {
  type FailedMessage,
  type MessageVisibilityPort,
  retrySoon,
  type VisibilityChange,
  type VisibilityFailure,
} from '../../../../lib/usecases/reconcileMessage/retrySoon.js';

const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:s3ir-reconcile';

function failedMessage(messageId: string, error: unknown, receiveCount = 1): FailedMessage {
  return { messageId, queueArn: QUEUE, receiptHandle: `rh-${messageId}`, receiveCount, error };
}
const conflict = (bucket: string) => new RetryableReconcileError(bucket, 'conflict', `${bucket}: conflict`);

/** Records every change asked for; refuses those `refuse` names, or throws `fail`. */
function recordingVisibility(options: { refuse?: VisibilityFailure[]; fail?: Error } = {}) {
  const calls: VisibilityChange[][] = [];
  const port: MessageVisibilityPort = {
    async changeVisibility(changes) {
      calls.push([...changes]);
      if (options.fail) throw options.fail;
      return options.refuse ?? [];
    },
  };
  return { port, calls };
}

describe('retrySoon()', () => {
  it('changes the visibility of exactly the messages that failed for a passing reason, by their delay', async () => {
    const { port, calls } = recordingVisibility();
    const report = await retrySoon(
      [
        failedMessage('m-conflict', conflict('a')),
        failedMessage('m-bug', new TypeError('boom')),
        failedMessage('m-deadline', new DeadlineError('m-deadline'), 3),
      ],
      { visibility: port, random: () => 0 },
    );
    const expected = [
      { messageId: 'm-conflict', queueArn: QUEUE, receiptHandle: 'rh-m-conflict', visibilitySeconds: 5 },
      // Third receive: the deadline range 1–5 s doubled twice.
      { messageId: 'm-deadline', queueArn: QUEUE, receiptHandle: 'rh-m-deadline', visibilitySeconds: 4 },
    ];
    expect(calls).toEqual([expected]);
    expect(report).toEqual({
      scheduled: [
        { ...expected[0], reason: 'conflict' },
        { ...expected[1], reason: 'deadline' },
      ],
      failed: [],
    });
  });

  it('draws each delay from the reason’s range with the injected random', async () => {
    const { port, calls } = recordingVisibility();
    await retrySoon([failedMessage('m-1', conflict('a'))], { visibility: port, random: () => 0.999_999 });
    expect(calls[0]![0]!.visibilitySeconds).toBe(30);
  });

  it('caps the delay at maxSeconds', async () => {
    const { port, calls } = recordingVisibility();
    await retrySoon([failedMessage('m-1', conflict('a'))], { visibility: port, maxSeconds: 2 });
    expect(calls[0]![0]!.visibilitySeconds).toBe(2);
  });

  it('asks nothing when no failure is worth a quick retry, or nothing failed', async () => {
    const { port, calls } = recordingVisibility();
    expect(await retrySoon([failedMessage('m-bug', new Error('bug'))], { visibility: port })).toEqual({
      scheduled: [],
      failed: [],
    });
    expect(await retrySoon([], { visibility: port })).toEqual({ scheduled: [], failed: [] });
    expect(calls).toEqual([]);
  });

  it('reports the changes SQS refused, and keeps the others scheduled', async () => {
    const refused = [{ messageId: 'm-2', error: 'ReceiptHandleIsInvalid: gone' }];
    const { port } = recordingVisibility({ refuse: refused });
    const report = await retrySoon(
      [failedMessage('m-1', conflict('a')), failedMessage('m-2', conflict('b'))],
      {
        visibility: port,
        random: () => 0,
      },
    );
    expect(report.scheduled.map((change) => change.messageId)).toEqual(['m-1']);
    expect(report.failed).toEqual(refused);
  });

  it('never throws: a port that fails reports every change as not made', async () => {
    const { port } = recordingVisibility({ fail: new Error('socket hang up') });
    const report = await retrySoon(
      [failedMessage('m-1', conflict('a')), failedMessage('m-2', conflict('b'))],
      {
        visibility: port,
      },
    );
    expect(report).toEqual({
      scheduled: [],
      failed: [
        { messageId: 'm-1', error: 'socket hang up' },
        { messageId: 'm-2', error: 'socket hang up' },
      ],
    });
  });

  it('survives a port that throws before returning a promise', async () => {
    const port: MessageVisibilityPort = {
      changeVisibility() {
        throw new TypeError('not a function');
      },
    };
    const report = await retrySoon([failedMessage('m-1', conflict('a'))], { visibility: port });
    expect(report.failed).toEqual([{ messageId: 'm-1', error: 'TypeError: not a function' }]);
  });
});
