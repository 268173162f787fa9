import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CHAIN_HEAD_ID } from '../../core/audit/constants.js';
import type { ChainHead } from '../../core/audit/linkEvent.js';
import { callAws } from './toAdapterError.js';

type Client = Pick<DynamoDBDocumentClient, 'send'>;

/** BatchGetItem takes at most 100 keys a call (docs/aws-facts.md §17). */
const BATCH_GET_KEYS = 100;
/** Rounds of UnprocessedKeys before the keys left are not read ahead (their appends read their own head). */
const MAX_ROUNDS = 4;
/** Chains whose head a sink remembers (most recently used kept). */
const REMEMBERED_CHAINS = 1_000;
/**
 * How long a remembered head is used as a guess. Other writers (the desired-state stream, the CLI, another
 * sandbox) advance a chain meanwhile; a stale guess costs a cancelled transaction and a read, so an old one
 * is read instead.
 */
const GUESS_MS = 5 * 60_000;

/** What the sink knows of a chain's head without reading it: `head` undefined means the chain is new. */
export interface KnownHead {
  head: ChainHead | undefined;
}

export interface KnownChainHeadsOptions {
  client: Client;
  tableName: string;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * The chain heads one sink knows (#18 point 4: an audit append in one request): the heads it wrote itself,
 * and those of the chains its caller said it may append to next ({@link expect}), read together in one
 * BatchGetItem on the first append to one of them (a batch that records nothing reads nothing). A chain
 * with no head in that read is presumed new.
 *
 * Every head known here is only a guess: the transaction is conditioned on it (lib/adapters/aws/DynamoAuditSink),
 * so a stale one is refused, forgotten and read again; it can cost a request, never a broken chain.
 */
export class KnownChainHeads {
  private readonly heads = new Map<string, KnownHead & { at: number }>();
  private expected = new Set<string>();
  private reading: { buckets: ReadonlySet<string>; done: Promise<void> } | undefined;

  constructor(private readonly options: KnownChainHeadsOptions) {}

  /** The chains the next appends may go to (replaces an earlier set not read yet). */
  expect(buckets: readonly string[]): void {
    this.expected = new Set(buckets.filter((bucket) => bucket.length > 0));
  }

  /** The bucket's head as known (reading the expected chains' heads first if it is one), or undefined. */
  async get(bucket: string): Promise<KnownHead | undefined> {
    if (this.expected.has(bucket)) this.readExpected();
    if (this.reading?.buckets.has(bucket)) await this.reading.done;
    const known = this.heads.get(bucket);
    if (known === undefined) return undefined;
    this.heads.delete(bucket);
    if (this.options.now() - known.at > GUESS_MS) return undefined;
    this.heads.set(bucket, known);
    return { head: known.head };
  }

  /** The head this sink just wrote (or read): the next append to the chain links after it. */
  remember(bucket: string, head: ChainHead | undefined): void {
    this.heads.delete(bucket);
    this.heads.set(bucket, { head, at: this.options.now() });
    // A Map iterates in insertion order: the first key is the least recently used.
    while (this.heads.size > REMEMBERED_CHAINS) {
      const oldest = this.heads.keys().next().value as string;
      this.heads.delete(oldest);
    }
  }

  /** A guess turned out wrong (or the chain's state is unknown): the next append reads the head. */
  forget(bucket: string): void {
    this.heads.delete(bucket);
  }

  private readExpected(): void {
    const buckets = this.expected;
    this.expected = new Set();
    const done = readChainHeads(this.options, [...buckets]).then(
      (read) => {
        for (const [bucket, head] of read) this.remember(bucket, head);
      },
      // Not read ahead (throttled, denied): each append reads its own head, whose failure is then reported.
      () => undefined,
    );
    this.reading = { buckets, done };
  }
}

/**
 * The `#chain` heads of `buckets`, strongly consistent, 100 keys a BatchGetItem, unprocessed keys asked again
 * a few times: every bucket read is in the map (undefined: no head, a new chain); a bucket whose key stayed
 * unprocessed, or whose head does not have the shape of one, is left out (its append reads it).
 */
export async function readChainHeads(
  options: Omit<KnownChainHeadsOptions, 'now'>,
  buckets: readonly string[],
): Promise<Map<string, ChainHead | undefined>> {
  const { client, tableName } = options;
  const read = new Map<string, ChainHead | undefined>();
  const unique = [...new Set(buckets)];
  for (let start = 0; start < unique.length; start += BATCH_GET_KEYS) {
    let keys: Record<string, unknown>[] = unique
      .slice(start, start + BATCH_GET_KEYS)
      .map((bucket) => ({ bucket, eventId: CHAIN_HEAD_ID }));
    for (let round = 0; keys.length > 0 && round < MAX_ROUNDS; round++) {
      if (round > 0) await options.sleep(50 * 2 ** round);
      const asked = keys;
      const output = await callAws(`BatchGetItem ${tableName} ${CHAIN_HEAD_ID}`, () =>
        client.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: asked, ConsistentRead: true } } }),
        ),
      );
      keys = (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
      const unprocessed = new Set(keys.map((key) => key.bucket));
      const found = new Map((output.Responses?.[tableName] ?? []).map((item) => [item.bucket, item]));
      for (const { bucket } of asked) {
        if (typeof bucket !== 'string' || unprocessed.has(bucket)) continue;
        const item = found.get(bucket);
        if (item === undefined) read.set(bucket, undefined);
        else if (isChainHead(item, bucket)) read.set(bucket, item);
      }
    }
  }
  return read;
}

function isChainHead(
  item: Record<string, unknown>,
  bucket: string,
): item is ChainHead & Record<string, unknown> {
  return (
    item.bucket === bucket &&
    item.eventId === CHAIN_HEAD_ID &&
    typeof item.seq === 'number' &&
    typeof item.hash === 'string'
  );
}
