import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { ChangeEventPath } from '../../../bench/worker/ChangeEventPath.js';
import { QueueLanes } from '../../../bench/worker/QueueLanes.js';

/** Lanes over a queue that stays empty (each receive waits a little, as a long poll does). */
function idleLanes() {
  let receives = 0;
  const send = async (command: unknown) => {
    if (command instanceof ReceiveMessageCommand) receives += 1;
    await new Promise((resolve) => setTimeout(resolve, 2));
    return {};
  };
  const lanes = new QueueLanes({
    sqs: { send } as never,
    queueUrl: 'q',
    queueArn: 'arn:q',
    region: 'us-east-1',
    handlers: [async () => ({ batchItemFailures: [] })],
  });
  return { lanes, receives: () => receives };
}

describe('ChangeEventPath', () => {
  it('hands events to s3Change one at a time, in order, and polls the queue while listening', async () => {
    const { lanes, receives } = idleLanes();
    const seen: string[] = [];
    let running = 0;
    const path = new ChangeEventPath(
      lanes,
      async (event, context) => {
        running += 1;
        expect(running).toBe(1);
        expect(context.functionName).toBe('s3Change');
        await new Promise((resolve) => setTimeout(resolve, 3));
        seen.push((event as { id: string }).id);
        running -= 1;
        return { ignored: false, buckets: [] };
      },
      'us-east-1',
    );
    path.listen();
    path.deliver({ id: 'a' });
    path.deliver({ id: 'b' });
    path.deliver({ id: 'c' });
    const report = await path.quiet();
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(report).toEqual({ messages: 0, failed: 0, changeErrors: [] });
    expect(receives()).toBeGreaterThan(0);
  });

  it('collects what s3Change threw and goes on with the next event', async () => {
    const { lanes } = idleLanes();
    const seen: string[] = [];
    const path = new ChangeEventPath(
      lanes,
      async (event) => {
        const { id } = event as { id: string };
        if (id === 'bad') throw new TypeError('no detail');
        seen.push(id);
        return {};
      },
      'us-east-1',
    );
    path.listen();
    path.deliver({ id: 'bad' });
    path.deliver({ id: 'good' });
    expect((await path.quiet()).changeErrors).toEqual(['TypeError: no detail']);
    expect(seen).toEqual(['good']);
  });

  it('drops events while not listening', async () => {
    const { lanes } = idleLanes();
    const seen: unknown[] = [];
    const path = new ChangeEventPath(lanes, async (event) => seen.push(event), 'us-east-1');
    path.deliver({ id: 'early' });
    expect(await path.quiet()).toEqual({ messages: 0, failed: 0, changeErrors: [] });
    expect(seen).toEqual([]);
  });
});
