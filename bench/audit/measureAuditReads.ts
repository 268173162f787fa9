import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAuditReader } from '../../lib/adapters/aws/DynamoAuditReader.js';
import { verifyAuditSince } from '../../lib/adapters/aws/verifyAuditSince.js';
import { verifyAuditTable } from '../../lib/adapters/aws/verifyAuditTable.js';
import type { AuditQuery } from '../../lib/core/audit/types.js';
import { percentile } from '../metrics.js';
import { benchQueries } from './benchQueries.js';
import { countingClient, type ReadCost } from './countingClient.js';
import { withPeakRss } from './peakRss.js';
import { chainBucket, type HistoryShape } from './syntheticHistory.js';

/** The page size the API and the viewer ask for by default (lib/api/parseEventsRequest EVENTS_LIMIT). */
export const FIRST_PAGE = 100;
const DAY_MS = 86_400_000;
/** Interleaved rounds of every first page at every size, run and discarded before the timed ones. */
export const WARM_UP_ROUNDS = 10;

/** One query's first page at one table size, timed `samples` times, with what it read. */
export interface FirstPageResult {
  name: string;
  query: AuditQuery;
  /** Events of the table the query matches (benchQueries). */
  matching: number;
  /** Events on the first page. */
  events: number;
  /** The whole first page: DynamoAuditReader.page (our read path, the SDK, DynamoDB Local). */
  p50Ms: number;
  p95Ms: number;
  /** The same DynamoDB requests the reader sent, replayed with the SDK alone (no reader code). */
  rawP50Ms: number;
  rawP95Ms: number;
  /**
   * Our code's share: p50 over the samples of the reader's time outside the SDK's `send` (the page's wall
   * time less its requests' time, measured in the same call, so the load's noise on DynamoDB Local's
   * answers does not land in it).
   */
  codeP50Ms: number;
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
  /** Of `ms`, the time spent reading the table's chains (anchored rows: DynamoDB Local and the SDK). */
  readMs?: number;
  eventsPerSecond: number;
  intact: boolean;
  readUnits: number;
  /** Set on a verify against the signed digests: digests read, and breaks found (0 on the loaded table). */
  anchored?: { digests: number; breaks: number };
  /** The bench process's peak RSS while this verify ran, and its RSS before (bytes): whole-table rows. */
  memory?: { peakRss: number; rssBefore: number };
}

type Client = Pick<DynamoDBDocumentClient, 'send'>;
type Command = { input: Record<string, unknown> };
/** A command of the same class as `command`, over a copy of its input. */
const copyOf = (command: Command) =>
  new (command.constructor as new (input: unknown) => Command)(structuredClone(command.input));

/** A table the first pages are timed on. */
export interface BenchTable {
  tableName: string;
  shape: HistoryShape;
}

/** The order sample `s` visits the sizes in, and whether the raw replay goes before the reader. */
export function sampleOrder<T>(items: readonly T[], sample: number): { order: T[]; rawFirst: boolean } {
  return {
    order: sample % 2 === 0 ? [...items] : [...items].reverse(),
    rawFirst: Math.floor(sample / 2) % 2 === 1,
  };
}

/**
 * Times the five first pages on every table in one run, interleaved: each sample visits every query at
 * every size back to back (the sizes' order alternating from sample to sample, and whether the raw
 * replay or the reader goes first every second sample), so the machine's load falls on both sizes alike.
 * `WARM_UP_ROUNDS` rounds of the same loop run first and are discarded (DynamoDB Local's JVM, the SDK's
 * connections). The raw replay sends the very requests the reader sent on its first page (recorded in the
 * first warm-up round) with the same document client and no reader code: DynamoDB Local's and the SDK's
 * time alone. Our code's share is the reader's time outside `send`, measured within each reader call.
 * Results per table, in `tables`' order.
 */
export async function measureFirstPages(
  inner: Client,
  tables: readonly BenchTable[],
  samples: number,
): Promise<FirstPageResult[][]> {
  const sizes = tables.map((table) => {
    const counting = countingClient(inner);
    const recorded: Command[] = [];
    let recording = false;
    // Time spent inside the SDK's send (the reader's requests are sequential on a first page).
    const inSend = { ms: 0 };
    const client: Client = {
      send: (async (command: Command) => {
        if (recording) recorded.push(command);
        const started = performance.now();
        try {
          return await counting.client.send(command as never);
        } finally {
          inSend.ms += performance.now() - started;
        }
      }) as unknown as Client['send'],
    };
    const reader = new DynamoAuditReader({ client, tableName: table.tableName, now: () => table.shape.now });
    const queries = benchQueries(table.shape).map((query) => ({
      ...query,
      replay: [] as Command[],
      times: [] as number[],
      raw: [] as number[],
      code: [] as number[],
      worst: { queries: 0, gets: 0, scans: 0, readUnits: 0 } as ReadCost,
      events: 0,
    }));
    return { counting, inSend, reader, queries, recorded, setRecording: (on: boolean) => (recording = on) };
  });
  const names = sizes[0]?.queries.map((query) => query.name) ?? [];

  const round = async (sample: number, timed: boolean) => {
    const { order, rawFirst } = sampleOrder(sizes, sample);
    for (const [q] of names.entries())
      for (const size of order) {
        const query = size.queries[q];
        if (query === undefined) continue;
        const page = async () => {
          size.counting.reset();
          size.inSend.ms = 0;
          const recordNow = query.replay.length === 0;
          size.setRecording(recordNow);
          size.recorded.length = 0;
          const started = performance.now();
          const result = await size.reader.page(query.query, { limit: FIRST_PAGE });
          const ms = performance.now() - started;
          size.setRecording(false);
          if (recordNow) query.replay = [...size.recorded];
          query.events = result.events.length;
          if (timed && size.counting.cost.readUnits >= query.worst.readUnits)
            query.worst = { ...size.counting.cost };
          return { ms, own: ms - size.inSend.ms };
        };
        const raw = async () => {
          const started = performance.now();
          for (const command of query.replay) await inner.send(copyOf(command) as never);
          return performance.now() - started;
        };
        // The first round records the reader's requests, so it runs the reader first.
        const first = !timed && sample === 0 ? false : rawFirst;
        const rawMs = first ? await raw() : 0;
        const reader = await page();
        const rawAfter = first ? rawMs : await raw();
        if (!timed) continue;
        query.times.push(reader.ms);
        query.raw.push(rawAfter);
        query.code.push(reader.own);
      }
  };
  for (let warm = 0; warm < WARM_UP_ROUNDS; warm++) await round(warm, false);
  for (let sample = 0; sample < samples; sample++) await round(sample, true);

  return sizes.map((size) =>
    size.queries.map((query) => ({
      name: query.name,
      query: query.query,
      matching: query.matching,
      events: query.events,
      p50Ms: percentile(query.times, 50) ?? 0,
      p95Ms: percentile(query.times, 95) ?? 0,
      rawP50Ms: percentile(query.raw, 50) ?? 0,
      rawP95Ms: percentile(query.raw, 95) ?? 0,
      codeP50Ms: percentile(query.code, 50) ?? 0,
      ...query.worst,
    })),
  );
}

/** The `sampleChains` buckets the per-bucket verify rows check, spread evenly over the chains. */
export function sampleBuckets(shape: HistoryShape, sampleChains: number): string[] {
  const step = Math.max(1, Math.floor(shape.chains / sampleChains));
  return Array.from({ length: Math.min(sampleChains, shape.chains) }, (_, i) => chainBucket(i * step));
}

/**
 * Verify throughput: whole chains of `sampleChains` buckets (`s3ir audit verify --bucket`), the API's
 * incremental window (the last day), and, when `wholeTable`, every chain (`s3ir audit verify`: a Scan),
 * with the bench process's peak RSS while it ran.
 */
export async function measureVerify(
  inner: Client,
  tableName: string,
  shape: HistoryShape,
  options: { sampleChains: number; wholeTable: boolean },
): Promise<VerifyResult[]> {
  const counting = countingClient(inner);
  const client = counting.client;
  const now = () => shape.now;
  const results: VerifyResult[] = [];
  const time = async (name: string, run: () => ReturnType<typeof verifyAuditTable>, watchMemory = false) => {
    counting.reset();
    const started = performance.now();
    const { value: report, memory } = await withPeakRss(run);
    const ms = performance.now() - started;
    results.push({
      name,
      events: report.events,
      chains: report.chains,
      ms,
      eventsPerSecond: report.events / (ms / 1000),
      intact: report.intact,
      readUnits: counting.cost.readUnits,
      ...(watchMemory && { memory }),
    });
  };
  const buckets = sampleBuckets(shape, options.sampleChains);
  await time(`whole chains of ${buckets.length} buckets`, () =>
    verifyAuditTable({ client, tableName, buckets, now }),
  );
  const since = new Date(shape.now.getTime() - DAY_MS).toISOString();
  await time('the last day, incremental (GET /verify?since=1d)', () =>
    verifyAuditSince({ client, tableName, since, now }),
  );
  if (options.wholeTable)
    await time('every chain (a Scan)', () => verifyAuditTable({ client, tableName, now }), true);
  return results;
}
