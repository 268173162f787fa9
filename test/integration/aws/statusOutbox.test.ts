import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAlertOutbox } from '../../../lib/adapters/aws/DynamoAlertOutbox.js';
import { DynamoStatusStore } from '../../../lib/adapters/aws/DynamoStatusStore.js';
import { OUTBOX_PARTITION } from '../../../lib/adapters/aws/stateTableLayout.js';
import type { BucketStatus } from '../../../lib/core/alerts/bucketStatus.js';
import { formatAlert } from '../../../lib/core/alerts/formatAlert.js';
import { stateTestTable } from './desiredTestTable.js';
import { localEndpoint } from './localFactory.js';

let table: Awaited<ReturnType<typeof stateTestTable>>;
beforeAll(async () => {
  table = await stateTestTable(localEndpoint());
}, 60_000);
afterAll(() => table?.destroy());

const status = (bucket: string, version: number, state: BucketStatus['state'] = 'drifted'): BucketStatus => ({
  bucket,
  state,
  since: '2026-03-01T00:00:00.000Z',
  conditions:
    state === 'in-sync'
      ? {}
      : {
          drift: {
            fingerprint: 'ab'.repeat(32),
            since: '2026-03-01T00:00:00.000Z',
            lastAlertAt: `2026-03-0${version}T00:00:00.000Z`,
            summary: 'Drift on b: 1 change not applied (detect mode)',
          },
        },
  runId: `run-${version}`,
  version,
});

const deliveryItem = { bucket: 'alpha', id: '#delivery', configurations: {}, runId: 'd-1', version: 1 };

describe('DynamoStatusStore on the local AWS (the state table)', () => {
  it('writes version after version, refuses a stale write, and reads back exactly what it wrote', async () => {
    const store = new DynamoStatusStore({ client: table.documents, tableName: table.tableName });
    expect(await store.get('photos')).toBeUndefined();
    expect(await store.put(status('photos', 1))).toBe(true);
    expect(await store.put(status('photos', 1, 'in-sync'))).toBe(false); // another run wrote version 1
    expect(await store.get('photos')).toEqual(status('photos', 1));
    expect(await store.put(status('photos', 2, 'in-sync'))).toBe(true);
    expect(await store.put(status('photos', 2))).toBe(false);
    expect(await store.put(status('photos', 4))).toBe(false); // skipping a version is stale too
    expect(await store.get('photos')).toEqual(status('photos', 2, 'in-sync'));
    const { Item } = await table.documents.send(
      new GetCommand({ TableName: table.tableName, Key: { bucket: 'photos', id: '#status' } }),
    );
    expect(Item).toEqual({ id: '#status', ...status('photos', 2, 'in-sync') });
  });

  it('lists every status item sorted by bucket, and nothing else of the table', async () => {
    const store = new DynamoStatusStore({ client: table.documents, tableName: table.tableName });
    for (const bucket of ['zeta', 'alpha']) await store.put(status(bucket, 1));
    await table.documents.send(new PutCommand({ TableName: table.tableName, Item: deliveryItem }));
    const listed = await store.list();
    expect(listed.map((entry) => entry.bucket)).toEqual(['alpha', 'photos', 'zeta']);
    expect(listed[0]).toEqual(status('alpha', 1));
  });

  it('reads many statuses in one BatchGetItem, and writes one leaving the delivery item alone', async () => {
    const store = new DynamoStatusStore({ client: table.documents, tableName: table.tableName });
    const found = await store.getMany(['alpha', 'never-seen', 'zeta']);
    expect([...found]).toEqual([
      ['alpha', status('alpha', 1)],
      ['never-seen', undefined],
      ['zeta', status('zeta', 1)],
    ]);
    expect(await store.put(status('alpha', 2, 'in-sync'))).toBe(true);
    const { Items } = await table.documents.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: '#b = :b',
        ExpressionAttributeNames: { '#b': 'bucket' },
        ExpressionAttributeValues: { ':b': 'alpha' },
      }),
    );
    expect(Items).toEqual([deliveryItem, { id: '#status', ...status('alpha', 2, 'in-sync') }]);
  });

  it('reads more than 100 statuses, 100 keys a request', async () => {
    const store = new DynamoStatusStore({ client: table.documents, tableName: table.tableName });
    const buckets = Array.from({ length: 120 }, (_, n) => `many-${String(n).padStart(3, '0')}`);
    await Promise.all(buckets.filter((_, n) => n % 3 === 0).map((bucket) => store.put(status(bucket, 1))));
    const found = await store.getMany(buckets);
    expect([...found.keys()]).toEqual(buckets);
    expect(buckets.filter((bucket) => found.get(bucket) !== undefined)).toEqual(
      buckets.filter((_, n) => n % 3 === 0),
    );
  });
});

describe('DynamoAlertOutbox on the local AWS (the state table)', () => {
  it('keeps an alert once, lists oldest first, and forgets what was delivered', async () => {
    const outbox = new DynamoAlertOutbox({ client: table.documents, tableName: table.tableName });
    const alert = (bucket: string) =>
      formatAlert({ type: 'drift-detected', bucket, runId: 'r', summary: 's' });
    await outbox.put({ id: 'b', alert: alert('late'), createdAt: '2026-03-02T00:00:00.000Z' });
    await outbox.put({ id: 'a', alert: alert('early'), createdAt: '2026-03-01T00:00:00.000Z' });
    await outbox.put({ id: 'a', alert: alert('retried'), createdAt: '2026-03-03T00:00:00.000Z' });
    await table.documents.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { bucket: OUTBOX_PARTITION, id: 'junk', alert: 'x' },
      }),
    );
    expect(await outbox.list()).toEqual([
      { id: 'a', alert: alert('early'), createdAt: '2026-03-01T00:00:00.000Z' },
      { id: 'b', alert: alert('late'), createdAt: '2026-03-02T00:00:00.000Z' },
    ]);
    await outbox.delete('a');
    await outbox.delete('a'); // already gone: fine
    expect((await outbox.list()).map((entry) => entry.id)).toEqual(['b']);
  });

  it('maps a refused write to an adapter error', async () => {
    const outbox = new DynamoAlertOutbox({ client: table.documents, tableName: 'no-such-table' });
    const alert = formatAlert({ type: 'drift-detected', bucket: 'x', runId: 'r', summary: 's' });
    await expect(outbox.put({ id: 'a', alert, createdAt: 't' })).rejects.toMatchObject({
      code: 'ResourceNotFoundException',
      retryable: false,
    });
  });
});
