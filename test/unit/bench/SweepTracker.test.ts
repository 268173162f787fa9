import { describe, expect, it } from 'vitest';
import { SweepTracker, type TrackedMessage } from '../../../bench/worker/SweepTracker.js';

const message = (id: string, runId: string, receives = 1): TrackedMessage => ({
  MessageId: id,
  Body: JSON.stringify({ bucket: `b-${id}`, runId, reason: 'schedule' }),
  Attributes: { ApproximateReceiveCount: String(receives) },
});

describe('SweepTracker', () => {
  const tracker = () => new SweepTracker({ runId: () => 'sweep-1', maxReceiveCount: 5 });

  it('settles the messages of its run that succeeded', () => {
    const sweep = tracker();
    sweep.record([message('1', 'sweep-1'), message('2', 'sweep-1')], new Set());
    expect(sweep.count).toBe(2);
  });

  it('leaves a failed message open until it fails its last receive, then counts it given up', () => {
    const sweep = tracker();
    sweep.record([message('1', 'sweep-1', 1)], new Set(['1']));
    sweep.record([message('1', 'sweep-1', 4)], new Set(['1']));
    expect(sweep.count).toBe(0);
    sweep.record([message('1', 'sweep-1', 5)], new Set(['1']));
    expect([sweep.count, sweep.givenUp]).toEqual([1, 1]);
  });

  it('counts a second delivery of a settled message as a duplicate, not as another bucket', () => {
    const sweep = tracker();
    sweep.record([message('1', 'sweep-1')], new Set());
    sweep.record([message('1', 'sweep-1')], new Set());
    expect([sweep.count, sweep.duplicates]).toEqual([1, 1]);
  });

  it('ignores messages of other runs and bodies that are not bucket messages', () => {
    const sweep = tracker();
    sweep.record([message('1', 'sweep-0'), { MessageId: '2', Body: 'not json' }, { Body: '{}' }], new Set());
    expect(sweep.count).toBe(0);
  });

  it('reads the run id when it records, so batches can wait for the schedule handler', () => {
    let runId: string | undefined;
    const sweep = new SweepTracker({ runId: () => runId, maxReceiveCount: 5 });
    sweep.record([message('1', 'sweep-2')], new Set());
    runId = 'sweep-2';
    sweep.record([message('2', 'sweep-2')], new Set());
    expect(sweep.count).toBe(1);
  });
});
