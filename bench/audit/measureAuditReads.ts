import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAuditReader } from '../../lib/adapters/aws/DynamoAuditReader.js';
import { verifyAuditSince } from '../../lib/adapters/aws/verifyAuditSince.js';
import { verifyAuditTable } from '../../lib/adapters/aws/verifyAuditTable.js';
import type { AuditQuery } from '../../lib/core/audit/types.js';
import { percentile } from '../metrics.js';
import { countingClient, type ReadCost } from './countingClient.js';
import { chainBucket, type HistoryShape, runOf } from './syntheticHistory.js';

/** The page size the API and the viewer ask for by default (lib/api/parseEventsRequest EVENTS_LIMIT). */
export const FIRST_PAGE = 100;
const DAY_MS = 86_400_000;
/** Untimed rounds of the five first pages before timing them. */
export const WARM_UP_ROUNDS = 10;

/** One query's first page, timed `samples` times: latency, and what the slowest-costing sample read. */
export interface FirstPageResult {
  name: string;
  query: AuditQuery;
  events: number;
  p50Ms: number;
  p95Ms: number;
  /** DynamoDB requests of one first page (Query, plus GetItem of the `#history` marker), at most. */
  queries: number;
  gets: number;
  scans: number;
  readUnits: number;
}

export interface VerifyResult {
  name: string;
  events: number;
  chains: number;
  ms: number;
  eventsPerSecond: number;
  intact: boolean;
  readUnits: number;
  /** Set on a verify against the signed digests: digests read, and breaks found (0 on the loaded table). */
  anchored?: { digests: number; breaks: number };
}

type Client = Pick<DynamoDBDocumentClient, 'send'>;

/** The five first pages: no filter, one bucket, one action, one run, a 30-day span. */
export function benchQueries(shape: HistoryShape): { name: string; query: AuditQuery }[] {
  const now = shape.now.getTime();
  return [
    { name: 'no filter', query: {} },
    { name: 'one bucket', query: { bucket: chainBucket(Math.floor(shape.chains / 2)) } },
    { name: 'one action', query: { action: 'inventory-updated' } },
    { name: 'one run', query: { runId: runOf(now - 2 * 3_600_000) } },
    {
      name: 'a 30-day span',
      query: {
        since: new Date(now - 60 * DAY_MS).toISOString(),
        until: new Date(now - 30 * DAY_MS).toISOString(),
      },
    },
  ];
}

/** Times the first page of each query `samples` times, counting its DynamoDB requests and read units. */
export async function measureFirstPages(
  inner: Client,
  tableName: string,
  shape: HistoryShape,
  samples: number,
): Promise<FirstPageResult[]> {
  const counting = countingClient(inner);
  const reader = new DynamoAuditReader({ client: counting.client, tableName });
  const results: FirstPageResult[] = [];
  const queries = benchQueries(shape);
  // Untimed rounds first: the small table is measured on a DynamoDB Local just started (a cold JVM), the
  // large one after minutes of loading, and a cold JIT would otherwise pass for the small table's latency.
  for (let round = 0; round < WARM_UP_ROUNDS; round++)
    for (const { query } of queries) await reader.page(query, { limit: FIRST_PAGE });
  for (const { name, query } of queries) {
    const times: number[] = [];
    let worst: ReadCost = { queries: 0, gets: 0, scans: 0, readUnits: 0 };
    let events = 0;
    for (let i = 0; i < samples; i++) {
      counting.reset();
      const started = performance.now();
      const page = await reader.page(query, { limit: FIRST_PAGE });
      times.push(performance.now() - started);
      events = page.events.length;
      if (counting.cost.readUnits >= worst.readUnits) worst = { ...counting.cost };
    }
    results.push({
      name,
      query,
      events,
      p50Ms: percentile(times, 50) ?? 0,
      p95Ms: percentile(times, 95) ?? 0,
      ...worst,
    });
  }
  return results;
}

/** The `sampleChains` buckets the per-bucket verify rows check, spread evenly over the chains. */
export function sampleBuckets(shape: HistoryShape, sampleChains: number): string[] {
  const step = Math.max(1, Math.floor(shape.chains / sampleChains));
  return Array.from({ length: Math.min(sampleChains, shape.chains) }, (_, i) => chainBucket(i * step));
}

/**
 * Verify throughput: whole chains of `sampleChains` buckets (`s3ir audit verify --bucket`), the API's
 * incremental window (the last day), and, when `wholeTable`, every chain (`s3ir audit verify`: a Scan).
 */
export async function measureVerify(
  inner: Client,
  tableName: string,
  shape: HistoryShape,
  options: { sampleChains: number; wholeTable: boolean },
): Promise<VerifyResult[]> {
  const counting = countingClient(inner);
  const client = counting.client;
  const results: VerifyResult[] = [];
  const time = async (name: string, run: () => ReturnType<typeof verifyAuditTable>) => {
    counting.reset();
    const started = performance.now();
    const report = await run();
    const ms = performance.now() - started;
    results.push({
      name,
      events: report.events,
      chains: report.chains,
      ms,
      eventsPerSecond: report.events / (ms / 1000),
      intact: report.intact,
      readUnits: counting.cost.readUnits,
    });
  };
  const buckets = sampleBuckets(shape, options.sampleChains);
  await time(`whole chains of ${buckets.length} buckets`, () =>
    verifyAuditTable({ client, tableName, buckets }),
  );
  const since = new Date(shape.now.getTime() - DAY_MS).toISOString();
  await time('the last day, incremental (GET /verify?since=1d)', () =>
    verifyAuditSince({ client, tableName, since }),
  );
  if (options.wholeTable) await time('every chain (a Scan)', () => verifyAuditTable({ client, tableName }));
  return results;
}
