import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CHAIN_HEAD_ID, DOCUMENT_ID_PREFIX } from '../../core/audit/constants.js';
import { referencedDocuments } from '../../core/audit/documentParts.js';
import type { ChainBreak, VerifyReport } from '../../core/audit/types.js';
import { verifyChain } from '../../core/audit/verifyChain.js';
import { mapLimit } from '../../core/concurrency/mapLimit.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { queryAllItems } from './readAllItems.js';
import { callAws } from './toAdapterError.js';

export interface VerifyAuditSinceOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
  /** ISO 8601 UTC: check what was appended from this time on. */
  since: string;
  /** Only these buckets' chains (their `byTime` partitions); absent: every chain with an event since `since`. */
  buckets?: readonly string[];
  now?: () => Date;
  /** Days or buckets read at once (default 8). */
  concurrency?: number;
}

type Item = Record<string, unknown>;
const DAY_MS = 86_400_000;
/** BatchGetItem's most keys per request. */
const BATCH_GET = 100;

/**
 * The incremental hash-chain check (`GET /verify?since=T`): the events appended since `since`, read through
 * `byDay` day by day (or, for named buckets, their `byTime` partitions), each chain's window checked from
 * its first event in the window (whose `prevHash` is taken as the link to what came before: the whole
 * chain is `s3ir audit verify`'s) up to its `#chain` head (BatchGetItem, strongly consistent): every
 * event's hash, every link and seq in the window, and a head that names the last event. The cost is the
 * window's, not the table's: never a Scan, and no request per chain but for a chain whose head is ahead
 * of the index (`byDay` is eventually consistent), whose tail is then read from `byTime` consistently.
 */
export async function verifyAuditSince(options: VerifyAuditSinceOptions): Promise<VerifyReport> {
  const now = options.now?.() ?? new Date();
  const chains = groupByBucket(
    options.buckets === undefined ? await windowEvents(options, now) : await bucketEvents(options),
  );
  const heads = await readHeads(options, [...chains.keys()]);
  const breaks: ChainBreak[] = [];
  let events = 0;
  const buckets = [...chains.keys()].sort(compareCodeUnits);
  const checked = await mapLimit(buckets, options.concurrency ?? 8, async (bucket) => {
    let window = chains.get(bucket) ?? [];
    const head = heads.get(bucket);
    const last = Math.max(...window.map((event) => Number(event.seq) || 0));
    // The index lags the table: read the tail the head names but the index did not show yet.
    if (typeof head?.seq === 'number' && head.seq > last) window = await tail(options, bucket, window);
    return { bucket, window, head, parts: await documentParts(options, bucket, window) };
  });
  for (const { bucket, window, head, parts } of checked) {
    events += window.length;
    const first = [...window].sort((a, b) => Number(a.seq) - Number(b.seq))[0];
    const after =
      first !== undefined &&
      typeof first.seq === 'number' &&
      first.seq > 1 &&
      typeof first.prevHash === 'string'
        ? { eventId: 'the event before the window', seq: first.seq - 1, hash: first.prevHash }
        : undefined;
    const items = [...window, ...parts, ...(head === undefined ? [] : [head])];
    const found = verifyChain(bucket, items, { now, ...(after !== undefined && { after }) });
    if (found !== undefined) breaks.push(found);
  }
  return { intact: breaks.length === 0, chains: checked.length, events, breaks };
}

/** Every event whose `timeKey` is at or after `since`: `byDay`, from `since`'s day to today. */
async function windowEvents(options: VerifyAuditSinceOptions, now: Date): Promise<Item[]> {
  const days: string[] = [];
  const today = now.toISOString().slice(0, 10);
  for (let day = options.since.slice(0, 10); day <= today; day = dayAfter(day)) days.push(day);
  const found = await mapLimit(days, options.concurrency ?? 8, (day) =>
    queryAllItems(options.client, {
      TableName: options.tableName,
      IndexName: 'byDay',
      KeyConditionExpression: '#day = :day AND #timeKey >= :since',
      ExpressionAttributeNames: { '#day': 'day', '#timeKey': 'timeKey' },
      ExpressionAttributeValues: { ':day': day, ':since': options.since },
    }),
  );
  return found.flat();
}

/** The named buckets' events since `since`, from their `byTime` partitions (strongly consistent). */
async function bucketEvents(options: VerifyAuditSinceOptions): Promise<Item[]> {
  const buckets = [...new Set(options.buckets)];
  const found = await mapLimit(buckets, options.concurrency ?? 8, (bucket) =>
    queryAllItems(options.client, byTime(options, bucket, options.since)),
  );
  return found.flat();
}

/** The window of one chain completed from `byTime` (consistent) after the newest event the index showed. */
async function tail(options: VerifyAuditSinceOptions, bucket: string, window: Item[]): Promise<Item[]> {
  const known = new Set(window.map((event) => String(event.eventId)));
  const from = window.map((event) => String(event.timeKey)).sort(compareCodeUnits)[0] ?? options.since;
  const read = await queryAllItems(options.client, byTime(options, bucket, from));
  return [...window, ...read.filter((event) => !known.has(String(event.eventId)))];
}

function byTime(options: VerifyAuditSinceOptions, bucket: string, from: string) {
  return {
    TableName: options.tableName,
    IndexName: 'byTime',
    KeyConditionExpression: '#bucket = :bucket AND #timeKey >= :from',
    ExpressionAttributeNames: { '#bucket': 'bucket', '#timeKey': 'timeKey' },
    ExpressionAttributeValues: { ':bucket': bucket, ':from': from },
    ConsistentRead: true,
  };
}

/** The `#chain` heads of these buckets, 100 to a BatchGetItem, strongly consistent. */
async function readHeads(options: VerifyAuditSinceOptions, buckets: string[]): Promise<Map<string, Item>> {
  const heads = new Map<string, Item>();
  const batches = Array.from({ length: Math.ceil(buckets.length / BATCH_GET) }, (_, i) =>
    buckets.slice(i * BATCH_GET, (i + 1) * BATCH_GET),
  );
  await mapLimit(batches, options.concurrency ?? 8, async (batch) => {
    let keys: Item[] = batch.map((bucket) => ({ bucket, eventId: CHAIN_HEAD_ID }));
    while (keys.length > 0) {
      const output = await callAws(`BatchGetItem ${options.tableName} ${CHAIN_HEAD_ID}`, () =>
        options.client.send(
          new BatchGetCommand({
            RequestItems: { [options.tableName]: { Keys: keys, ConsistentRead: true } },
          }),
        ),
      );
      for (const item of output.Responses?.[options.tableName] ?? []) heads.set(String(item.bucket), item);
      keys = output.UnprocessedKeys?.[options.tableName]?.Keys ?? [];
    }
  });
  return heads;
}

/** The parts of the documents these events moved out of their items (one Query per such event: rare). */
async function documentParts(options: VerifyAuditSinceOptions, bucket: string, events: Item[]) {
  const referencing = events.filter((event) => referencedDocuments(event).length > 0);
  const parts = await Promise.all(
    referencing.map((event) =>
      queryAllItems(options.client, {
        TableName: options.tableName,
        KeyConditionExpression: '#bucket = :bucket AND begins_with(#eventId, :prefix)',
        ExpressionAttributeNames: { '#bucket': 'bucket', '#eventId': 'eventId' },
        ExpressionAttributeValues: { ':bucket': bucket, ':prefix': `${DOCUMENT_ID_PREFIX}${event.eventId}#` },
        ConsistentRead: true,
      }),
    ),
  );
  return parts.flat();
}

function groupByBucket(items: Item[]): Map<string, Item[]> {
  const chains = new Map<string, Item[]>();
  for (const item of items) {
    const bucket = String(item.bucket);
    const chain = chains.get(bucket);
    if (chain === undefined) chains.set(bucket, [item]);
    else chain.push(item);
  }
  return chains;
}

function dayAfter(day: string): string {
  return new Date(Date.parse(day) + DAY_MS).toISOString().slice(0, 10);
}
