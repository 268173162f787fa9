import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAdoptionSummaries } from '../../../lib/adapters/aws/DynamoAdoptionSummaries.js';
import { adoptionKey } from '../../../lib/adapters/aws/stateTableLayout.js';
import { ADOPTION_NAMES_CAP, type AdoptionEntry } from '../../../lib/core/alerts/adoptionSummary.js';
import { stateTestTable } from './desiredTestTable.js';
import { localEndpoint } from './localFactory.js';

const NOW = new Date('2030-01-01T00:00:00Z');
let table: Awaited<ReturnType<typeof stateTestTable>>;
let summaries: DynamoAdoptionSummaries;

const entry = (bucket: string, overrides: Partial<AdoptionEntry> = {}): AdoptionEntry => ({
  runId: 'sweep-1',
  account: '222233334444',
  bucket,
  kinds: ['drift-resolved'],
  targets: [],
  ...overrides,
});

beforeAll(async () => {
  table = await stateTestTable(localEndpoint());
  summaries = new DynamoAdoptionSummaries({ client: table.documents, tableName: table.tableName });
}, 60_000);

afterAll(() => table?.destroy());

describe('DynamoAdoptionSummaries on the local AWS (the state table’s #adoption items)', () => {
  it('counts every bucket of a run and account but names at most 50 per kind: the item never grows with the run', async () => {
    const buckets = Array.from(
      { length: ADOPTION_NAMES_CAP + 10 },
      (_, index) => `bucket-${String(index).padStart(3, '0')}`,
    );
    for (const bucket of buckets) await summaries.add(entry(bucket), NOW);
    await summaries.add(
      entry('failing', { kinds: ['reconcile-failed', 'action-required'], targets: ['reports'] }),
      NOW,
    );

    const [summary, ...others] = await summaries.list();
    expect(others).toEqual([]);
    expect(summary).toMatchObject({
      runId: 'sweep-1',
      account: '222233334444',
      buckets: 61,
      counts: { 'drift-resolved': 60, 'reconcile-failed': 1, 'action-required': 1 },
      names: { 'reconcile-failed': ['failing'], 'action-required': ['failing'] },
      targets: ['reports'],
      firstAt: NOW.toISOString(),
    });
    expect(summary!.names['drift-resolved']).toHaveLength(ADOPTION_NAMES_CAP);
    const { Item } = await table.documents.send(
      new GetCommand({ TableName: table.tableName, Key: adoptionKey('sweep-1', '222233334444') }),
    );
    expect(Item!.expiresAt).toBe(Math.floor(NOW.getTime() / 1000) + 14 * 86_400);
  });

  it('does not count a named bucket again (a retried worker)', async () => {
    await summaries.add(entry('bucket-000'), NOW);
    expect((await summaries.list())[0]).toMatchObject({ buckets: 61, counts: { 'drift-resolved': 60 } });
  });

  it('removes a summary only if nothing was added since it was read', async () => {
    const [read] = await summaries.list();
    await summaries.add(entry('late', { kinds: ['drift-detected'] }), NOW);
    expect(await summaries.remove(read!)).toBe(false);
    const [again] = await summaries.list();
    expect(again!.counts['drift-detected']).toBe(1);
    expect(await summaries.remove(again!)).toBe(true);
    expect(await summaries.list()).toEqual([]);
  });

  it('numbers the first reconciles of a run and account 1, 2, 3', async () => {
    const places = [];
    for (let index = 0; index < 3; index++)
      places.push(await summaries.arrive('sweep-2', '111122223333', NOW));
    expect(places).toEqual([1, 2, 3]);
    expect(await summaries.list()).toEqual([
      expect.objectContaining({ runId: 'sweep-2', account: '111122223333', buckets: 0, counts: {} }),
    ]);
  });
});
