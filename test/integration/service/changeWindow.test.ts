import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoChangeWindow } from '../../../lib/adapters/aws/DynamoChangeWindow.js';
import type { Hold } from '../../../lib/core/brake/types.js';
import { stateTestTable } from '../aws/desiredTestTable.js';
import { localEndpoint } from '../aws/localFactory.js';

// A state table of this file's own: a hold here must never hold the other tests' reconciles.
let table: Awaited<ReturnType<typeof stateTestTable>>;
let window: DynamoChangeWindow;
beforeAll(async () => {
  table = await stateTestTable(localEndpoint());
  window = new DynamoChangeWindow({ client: table.documents, tableName: table.tableName });
});
afterAll(() => table.destroy());

const MINUTE = 60_000;
const HOLD: Hold = {
  since: '2026-12-06T15:00:00.000Z',
  reason: '11 changes in the last 60 min (limit 10, S3IR_MAX_CHANGES)',
  counts: { changes: 10, deletes: 1 },
  requested: { changes: 1, deletes: 0 },
  limits: { maxChanges: 10, maxDeletes: 5, windowMinutes: 60 },
  bucket: 'photos',
  runId: 'sweep-1',
  actor: 'arn:aws:iam::111111111111:role/s3ir-reconcile',
};

async function brakeItems(): Promise<Record<string, unknown>[]> {
  const output = await table.documents.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: '#bucket = :brake',
      ExpressionAttributeNames: { '#bucket': 'bucket' },
      ExpressionAttributeValues: { ':brake': '#brake' },
      ConsistentRead: true,
    }),
  );
  return output.Items ?? [];
}

describe('DynamoChangeWindow on the local AWS', () => {
  it('grants exactly the limit to many concurrent writers, in one counter item per minute', async () => {
    const now = Date.parse('2026-12-06T10:00:30.000Z');
    const limits = { maxChanges: 5, windowMinutes: 60 };
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        new DynamoChangeWindow({ client: table.documents, tableName: table.tableName }).reserve(
          { changes: 1, deletes: 0 },
          limits,
          now,
        ),
      ),
    );
    expect(answers.filter((answer) => answer.kind === 'granted')).toHaveLength(5);
    expect(answers.filter((answer) => answer.kind === 'over')).toHaveLength(7);
    expect(answers.find((answer) => answer.kind === 'over')).toEqual({
      kind: 'over',
      used: { changes: 5, deletes: 0 },
      reason: '6 changes in the last 60 min (limit 5, S3IR_MAX_CHANGES)',
    });
    expect(await window.windowCounts(60, now)).toEqual({ changes: 5, deletes: 0 });
    const items = await brakeItems();
    expect(items).toEqual([
      { bucket: '#brake', id: '2026-12-06T10:00Z', changes: 5, deletes: 0, expiresAt: expect.any(Number) },
    ]);
    // It expires by TTL once the window is past it, never before.
    expect(items[0]!.expiresAt as number).toBeGreaterThan(now / 1000 + 60 * 60);
    await window.release(60, now);
  });

  it('sums the minutes of the window and forgets those that slid out', async () => {
    const t0 = Date.parse('2026-12-06T12:00:10.000Z');
    const limits = { maxChanges: 3, maxDeletes: 1, windowMinutes: 10 };
    expect(await window.reserve({ changes: 2, deletes: 1 }, limits, t0)).toEqual({ kind: 'granted' });
    expect(await window.reserve({ changes: 1, deletes: 0 }, limits, t0 + 5 * MINUTE)).toEqual({
      kind: 'granted',
    });
    expect(await window.reserve({ changes: 1, deletes: 0 }, limits, t0 + 9 * MINUTE)).toMatchObject({
      kind: 'over',
      used: { changes: 3, deletes: 1 },
    });
    // Ten minutes on, the first minute is out of the window: its two changes and its delete are free again.
    expect(await window.reserve({ changes: 2, deletes: 1 }, limits, t0 + 10 * MINUTE)).toEqual({
      kind: 'granted',
    });
    expect(await window.windowCounts(10, t0 + 10 * MINUTE)).toEqual({ changes: 3, deletes: 1 });
    expect((await brakeItems()).map((item) => item.id)).toEqual([
      '2026-12-06T12:00Z',
      '2026-12-06T12:05Z',
      '2026-12-06T12:10Z',
    ]);
    await window.release(10, t0 + 10 * MINUTE);
    // Release resets what the window counts; a minute already out of it is left to its TTL.
    expect((await brakeItems()).map((item) => item.id)).toEqual(['2026-12-06T12:00Z']);
    expect(await window.windowCounts(10, t0 + 10 * MINUTE)).toEqual({ changes: 0, deletes: 0 });
    await window.release(11, t0 + 10 * MINUTE);
  });

  it('puts the hold once, refuses every reservation while it is in force, and release lifts it and resets the counters', async () => {
    const now = Date.parse('2026-12-06T15:00:00.000Z');
    const limits = { maxChanges: 100, windowMinutes: 60 };
    expect(await window.reserve({ changes: 4, deletes: 0 }, limits, now)).toEqual({ kind: 'granted' });
    expect(await window.currentHold()).toBeUndefined();
    expect(await window.startHold(HOLD)).toBe(true);
    expect(await window.startHold({ ...HOLD, bucket: 'other', since: '2026-12-06T15:00:01.000Z' })).toBe(
      false,
    );
    expect(await window.currentHold()).toEqual(HOLD);
    // Atomically refused: nothing is added under a hold, however much room the window has.
    expect(await window.reserve({ changes: 1, deletes: 0 }, limits, now)).toEqual({
      kind: 'held',
      hold: HOLD,
    });
    expect(await window.windowCounts(60, now)).toEqual({ changes: 4, deletes: 0 });

    expect(await window.release(60, now + MINUTE)).toEqual(HOLD);
    expect(await window.currentHold()).toBeUndefined();
    expect(await window.windowCounts(60, now + MINUTE)).toEqual({ changes: 0, deletes: 0 });
    expect(await window.release(60, now + MINUTE)).toBeUndefined();
    expect(await window.reserve({ changes: 1, deletes: 0 }, limits, now + MINUTE)).toEqual({
      kind: 'granted',
    });
    await window.release(60, now + MINUTE);
  });

  it('without limits adds to the counter unconditionally, still refused under a hold', async () => {
    const now = Date.parse('2026-12-06T16:00:00.000Z');
    const limits = { windowMinutes: 60 };
    expect(await window.reserve({ changes: 1_000, deletes: 1_000 }, limits, now)).toEqual({
      kind: 'granted',
    });
    await window.startHold(HOLD);
    expect(await window.reserve({ changes: 1, deletes: 0 }, limits, now)).toMatchObject({ kind: 'held' });
    await window.release(60, now);
  });
});
