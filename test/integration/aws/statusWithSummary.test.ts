import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAdoptionSummaries } from '../../../lib/adapters/aws/DynamoAdoptionSummaries.js';
import { DynamoStatusStore } from '../../../lib/adapters/aws/DynamoStatusStore.js';
import { adoptionKey, statusKey } from '../../../lib/adapters/aws/stateTableLayout.js';
import { ADOPTION_NAMES_CAP, type AdoptionEntry } from '../../../lib/core/alerts/adoptionSummary.js';
import type { BucketStatus } from '../../../lib/core/alerts/bucketStatus.js';
import { stateTestTable } from './desiredTestTable.js';
import { localEndpoint } from './localFactory.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const ACCOUNT = '222233334444';
let table: Awaited<ReturnType<typeof stateTestTable>>;
let statuses: DynamoStatusStore;
let summaries: DynamoAdoptionSummaries;

const entry = (bucket: string, overrides: Partial<AdoptionEntry> = {}): AdoptionEntry => ({
  runId: 'sweep-1',
  account: ACCOUNT,
  bucket,
  kinds: ['drift-resolved'],
  targets: [],
  ...overrides,
});

const status = (bucket: string, version = 1): BucketStatus => ({
  bucket,
  state: 'in-sync',
  since: NOW.toISOString(),
  conditions: {},
  runId: 'sweep-1',
  version,
});

beforeAll(async () => {
  table = await stateTestTable(localEndpoint());
  const options = { client: table.documents, tableName: table.tableName, backoffMs: () => 0 };
  statuses = new DynamoStatusStore(options);
  summaries = new DynamoAdoptionSummaries(options);
}, 60_000);

afterAll(() => table?.destroy());

describe('DynamoStatusStore.putWithSummary on the local AWS (a first status and its #adoption entry in one transaction)', () => {
  it('writes every status and counts every bucket, naming at most 50 per kind, with the 14-day TTL', async () => {
    const buckets = Array.from(
      { length: ADOPTION_NAMES_CAP + 5 },
      (_, index) => `bucket-${String(index).padStart(3, '0')}`,
    );
    const writes = [];
    for (const bucket of buckets)
      writes.push(await statuses.putWithSummary(status(bucket), entry(bucket), NOW));
    writes.push(
      await statuses.putWithSummary(
        status('failing'),
        entry('failing', { kinds: ['reconcile-failed', 'action-required'], targets: ['reports'] }),
        NOW,
      ),
    );

    expect(writes).toEqual(Array(buckets.length + 1).fill({ written: true, summarised: true }));
    for (const bucket of [...buckets, 'failing'])
      expect(await statuses.get(bucket), bucket).toMatchObject({ state: 'in-sync', version: 1 });
    const [summary, ...others] = await summaries.list();
    expect(others).toEqual([]);
    expect(summary).toMatchObject({
      buckets: ADOPTION_NAMES_CAP + 6,
      counts: { 'drift-resolved': ADOPTION_NAMES_CAP + 5, 'reconcile-failed': 1, 'action-required': 1 },
      names: { 'reconcile-failed': ['failing'], 'action-required': ['failing'] },
      targets: ['reports'],
    });
    expect(summary!.names['drift-resolved']).toEqual(buckets.slice(0, ADOPTION_NAMES_CAP));
    const { Item } = await table.documents.send(
      new GetCommand({ TableName: table.tableName, Key: adoptionKey('sweep-1', ACCOUNT) }),
    );
    expect(Item!.expiresAt).toBe(Math.floor(NOW.getTime() / 1000) + 14 * 86_400);
  });

  it('a new sandbox learns the full list once and still writes the status and the count', async () => {
    const fresh = new DynamoStatusStore({ client: table.documents, tableName: table.tableName });
    expect(await fresh.putWithSummary(status('late-1'), entry('late-1'), NOW)).toEqual({
      written: true,
      summarised: true,
    });
    expect(await fresh.putWithSummary(status('late-2'), entry('late-2'), NOW)).toEqual({
      written: true,
      summarised: true,
    });
    const [summary] = await summaries.list();
    expect(summary!.counts['drift-resolved']).toBe(ADOPTION_NAMES_CAP + 7);
    expect(summary!.names['drift-resolved']).toHaveLength(ADOPTION_NAMES_CAP);
  });

  it('writes nothing when another run wrote the status first', async () => {
    const [before] = await summaries.list();
    expect(await statuses.putWithSummary(status('bucket-001'), entry('bucket-001'), NOW)).toEqual({
      written: false,
      summarised: false,
    });
    expect((await summaries.list())[0]).toEqual(before);
  });

  it('counts a named bucket once: a retry whose status was lost writes the status alone', async () => {
    await table.documents.send(
      new DeleteCommand({ TableName: table.tableName, Key: statusKey('bucket-002') }),
    );
    expect(await statuses.putWithSummary(status('bucket-002'), entry('bucket-002'), NOW)).toEqual({
      written: true,
      summarised: true,
    });
    expect(await statuses.get('bucket-002')).toMatchObject({ version: 1 });
    expect((await summaries.list())[0]!.counts['drift-resolved']).toBe(ADOPTION_NAMES_CAP + 7);
  });

  it('counts every one of many racing first reconciles of one run and account', async () => {
    const buckets = Array.from({ length: 12 }, (_, index) => `race-${index}`);
    const writes = await Promise.all(
      buckets.map((bucket) =>
        statuses.putWithSummary(status(bucket), entry(bucket, { runId: 'sweep-race' }), NOW),
      ),
    );
    expect(writes.every((write) => write.written)).toBe(true);
    // One that lost every round to the others' transactions is left to the ledger (summarised: false).
    const left = writes.filter((write) => !write.summarised).length;
    const summary = (await summaries.list()).find((found) => found.runId === 'sweep-race');
    expect((summary?.buckets ?? 0) + left).toBe(buckets.length);
  });
});
