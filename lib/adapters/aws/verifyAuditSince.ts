import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { chainHash } from '../../core/audit/chainHash.js';
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
  /** Only these buckets' chains; absent: every chain with an event since `since` (found through `byDay`). */
  buckets?: readonly string[];
  now?: () => Date;
  /** Chains read at once (default 8). */
  concurrency?: number;
}

type Item = Record<string, unknown>;
const DAY_MS = 86_400_000;

/**
 * The incremental hash-chain check (`GET /verify?since=T`): for each chain that changed since `since`, its
 * events from then on (the `byTime` LSI, strongly consistent), linked to the event just before them (whose
 * own hash is checked too) and up to the chain's head, with the parts of their documents. The cost is
 * that of the window, not of the table: the chains are found day by day through `byDay`, never by a Scan.
 * A break before the window is not seen: `s3ir audit verify` checks whole chains.
 */
export async function verifyAuditSince(options: VerifyAuditSinceOptions): Promise<VerifyReport> {
  const now = options.now?.() ?? new Date();
  const buckets =
    options.buckets === undefined ? await changedChains(options, now) : [...new Set(options.buckets)];
  const checked = await mapLimit(buckets.sort(compareCodeUnits), options.concurrency ?? 8, (bucket) =>
    checkTail(options, bucket, now),
  );
  const breaks = checked.flatMap((chain) => (chain.break === undefined ? [] : [chain.break]));
  const chains = checked.filter((chain) => chain.stored).length;
  const events = checked.reduce((sum, chain) => sum + chain.events, 0);
  return { intact: breaks.length === 0, chains, events, breaks };
}

/** Buckets with an event whose `timeKey` is at or after `since`: `byDay`, from `since`'s day to today. */
async function changedChains(options: VerifyAuditSinceOptions, now: Date): Promise<string[]> {
  const days: string[] = [];
  const today = now.toISOString().slice(0, 10);
  for (let day = options.since.slice(0, 10); day <= today; day = dayAfter(day)) days.push(day);
  const found = await mapLimit(days, options.concurrency ?? 8, (day) =>
    queryAllItems(options.client, {
      TableName: options.tableName,
      IndexName: 'byDay',
      KeyConditionExpression: '#day = :day AND #timeKey >= :since',
      ExpressionAttributeNames: { '#day': 'day', '#timeKey': 'timeKey', '#bucket': 'bucket' },
      ExpressionAttributeValues: { ':day': day, ':since': options.since },
      ProjectionExpression: '#bucket',
    }),
  );
  return [...new Set(found.flat().map((item) => String(item.bucket)))];
}

async function checkTail(
  options: VerifyAuditSinceOptions,
  bucket: string,
  now: Date,
): Promise<{ stored: boolean; events: number; break?: ChainBreak }> {
  const { client, tableName, since } = options;
  const byTime = (condition: string) => ({
    TableName: tableName,
    IndexName: 'byTime',
    KeyConditionExpression: `#bucket = :bucket AND #timeKey ${condition}`,
    ExpressionAttributeNames: { '#bucket': 'bucket', '#timeKey': 'timeKey' },
    ExpressionAttributeValues: { ':bucket': bucket, ':since': since },
    ConsistentRead: true,
  });
  const [tail, before, head] = await Promise.all([
    queryAllItems(client, byTime('>= :since')),
    callAws(`Query ${tableName} byTime`, () =>
      client.send(new QueryCommand({ ...byTime('< :since'), ScanIndexForward: false, Limit: 1 })),
    ),
    callAws(`GetItem ${tableName} ${bucket} ${CHAIN_HEAD_ID}`, () =>
      client.send(
        new GetCommand({
          TableName: tableName,
          Key: { bucket, eventId: CHAIN_HEAD_ID },
          ConsistentRead: true,
        }),
      ),
    ),
  ]);
  const previous = before.Items?.[0];
  const parts = await documentParts(options, bucket, tail);
  const stored = tail.length > 0 || head.Item !== undefined;
  const at = (event: Item, reason: string): ChainBreak => ({
    bucket,
    eventId: String(event.eventId),
    ...(typeof event.seq === 'number' && { seq: event.seq }),
    ...(typeof event.time === 'string' && { time: event.time }),
    reason,
  });
  const after = linkPoint(previous);
  if (previous !== undefined && after === undefined)
    return { stored, events: tail.length, break: at(previous, 'not in the chain (no valid seq or hash)') };
  if (previous !== undefined && chainHash(previous) !== previous.hash)
    return { stored, events: tail.length, break: at(previous, 'hash does not match its content') };
  const items = [...tail, ...parts, ...(head.Item === undefined ? [] : [head.Item])];
  const found = verifyChain(bucket, items, { now, ...(after !== undefined && { after }) });
  return { stored, events: tail.length, ...(found !== undefined && { break: found }) };
}

/** The parts of the documents these events moved out of their items (one Query per such event). */
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

function linkPoint(item: Item | undefined): { eventId: string; seq: number; hash: string } | undefined {
  if (item === undefined || typeof item.seq !== 'number' || typeof item.hash !== 'string') return undefined;
  return { eventId: String(item.eventId), seq: item.seq, hash: item.hash };
}

function dayAfter(day: string): string {
  return new Date(Date.parse(day) + DAY_MS).toISOString().slice(0, 10);
}
