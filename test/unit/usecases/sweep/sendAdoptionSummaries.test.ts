import { describe, expect, it } from 'vitest';
import { sendAdoptionSummaries } from '../../../../lib/usecases/sweep/sendAdoptionSummaries.js';
import { memoryAdoption } from '../../../helpers/memoryAdoption.js';
import { memoryOutbox, memorySender } from '../../../helpers/memoryAlerts.js';

const NOW = new Date('2026-12-06T19:00:00Z');

async function world() {
  const adoption = memoryAdoption();
  const sender = memorySender();
  const outbox = memoryOutbox();
  const add = (
    runId: string,
    account: string,
    bucket: string,
    kinds: ('drift-resolved' | 'reconcile-failed')[],
  ) => adoption.add({ runId, account, bucket, kinds, targets: [] }, NOW);
  await add('sweep-1', '111122223333', 'a', ['drift-resolved']);
  await add('sweep-1', '111122223333', 'b', ['drift-resolved']);
  await add('sweep-1', '222233334444', 'c', ['reconcile-failed']);
  await add('sweep-2', '111122223333', 'd', ['drift-resolved']);
  return {
    adoption,
    sender,
    outbox,
    deps: { summaries: adoption, delivery: { sender, outbox, now: () => NOW } },
  };
}

const bodies = (sent: { message: string }[]) => sent.map((alert) => JSON.parse(alert.message));

describe('sendAdoptionSummaries', () => {
  it('sends one alert per earlier run and account, then removes each; the current run’s is left to fill', async () => {
    const w = await world();
    const report = await sendAdoptionSummaries(w.deps, 'sweep-2');
    expect(report).toEqual({ sent: ['sweep-1 111122223333', 'sweep-1 222233334444'], kept: [] });
    expect(bodies(w.sender.sent).map((body) => [body.type, body.account, body.adoption.buckets])).toEqual([
      ['drift-resolved', '111122223333', { 'drift-resolved': ['a', 'b'] }],
      ['reconcile-failed', '222233334444', { 'reconcile-failed': ['c'] }],
    ]);
    expect([...w.adoption.items.keys()]).toEqual(['sweep-2#111122223333']);
  });

  it('keeps in the outbox what SNS refuses, and removes the summary: never lost, never sent twice', async () => {
    const w = await world();
    w.sender.down = true;
    const report = await sendAdoptionSummaries(w.deps, 'sweep-3');
    expect(report.sent).toHaveLength(3);
    expect(w.outbox.entries.size).toBe(3);
    expect(w.adoption.items.size).toBe(0);
  });

  it('keeps the summary for the next sweep when the alert could be neither sent nor kept', async () => {
    const w = await world();
    w.sender.down = true;
    w.outbox.down = true;
    const report = await sendAdoptionSummaries(w.deps, 'sweep-3');
    expect(report.sent).toEqual([]);
    expect(report.kept).toHaveLength(3);
    expect(report.kept[0]).toMatch(/^sweep-1 111122223333: sending failed: .*neither sent nor kept/);
    expect(w.adoption.items.size).toBe(3);
  });

  it('keeps a summary a reconcile added to since it was read, to send it again with the rest', async () => {
    const w = await world();
    const list = w.adoption.list.bind(w.adoption);
    w.adoption.list = async () => {
      const read = await list();
      await w.adoption.add(
        { runId: 'sweep-1', account: '222233334444', bucket: 'late', kinds: ['drift-resolved'], targets: [] },
        NOW,
      );
      return read;
    };
    const report = await sendAdoptionSummaries(w.deps, 'sweep-2');
    expect(report.sent).toEqual(['sweep-1 111122223333']);
    expect(report.kept).toEqual([
      'sweep-1 222233334444: added to since it was read; sent again with the rest next sweep',
    ]);
    expect(w.adoption.items.get('sweep-1#222233334444')?.names).toEqual({
      'reconcile-failed': ['c'],
      'drift-resolved': ['late'],
    });
  });

  it('never throws: summaries it cannot read wait for the next sweep', async () => {
    const w = await world();
    w.adoption.down = true;
    expect(await sendAdoptionSummaries(w.deps, 'sweep-2')).toEqual({
      sent: [],
      kept: [],
      unread: expect.stringContaining('DynamoDB is down'),
    });
    expect(w.sender.sent).toEqual([]);
  });
});
