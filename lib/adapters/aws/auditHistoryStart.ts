import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { callAws } from './toAdapterError.js';

/**
 * The audit table's `{bucket: '#history', eventId: '#start'}` item: `day` (YYYY-MM-DD) is the day of the
 * earliest first event of any chain. Reading the history newest first without a time bound walks the
 * `byDay` index back to it (lib/adapters/aws/DynamoAuditReader.ts), instead of scanning the table to
 * find where it ends. A bucket name never starts with `#`, so the partition is no chain.
 */
export const HISTORY_START_KEY = { bucket: '#history', eventId: '#start' } as const;

/** Partitions of the audit table that are not a bucket's chain start with this. */
export const RESERVED_PARTITION_PREFIX = '#';

type Client = Pick<DynamoDBDocumentClient, 'send'>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The marker's day, or undefined when no chain was created since the marker exists. */
export async function readHistoryStart(client: Client, tableName: string): Promise<string | undefined> {
  const { Item } = await callAws(`GetItem ${tableName} ${HISTORY_START_KEY.bucket}`, () =>
    client.send(new GetCommand({ TableName: tableName, Key: HISTORY_START_KEY, ConsistentRead: true })),
  );
  const day = Item?.day;
  return typeof day === 'string' && DAY.test(day) ? day : undefined;
}

/**
 * The transaction item that moves the marker back to `day`, when it is missing or later; undefined when it
 * already says `day` or earlier. Conditioned on the value read (`read`), so two writers never move it
 * forward: the loser's transaction is cancelled and retried (DynamoAuditSink reads it again).
 */
export function historyStartPut(tableName: string, day: string, read: string | undefined) {
  if (!DAY.test(day) || (read !== undefined && read <= day)) return undefined;
  return {
    Put: {
      TableName: tableName,
      Item: { ...HISTORY_START_KEY, day },
      ...(read === undefined
        ? { ConditionExpression: 'attribute_not_exists(eventId)' }
        : {
            ConditionExpression: '#day = :read',
            ExpressionAttributeNames: { '#day': 'day' },
            ExpressionAttributeValues: { ':read': read },
          }),
    },
  };
}

/**
 * What one sink knows of the marker (#18 point 4: read once per sandbox, not once per new chain).
 *
 * Why a remembered day is safe: the marker only ever moves back. Its one writer is {@link historyStartPut},
 * which puts a day only when the marker is missing or later, conditioned on the value read; nothing updates
 * or deletes it otherwise (writers are denied UpdateItem and DeleteItem on the audit table). So once this
 * sink has read day `c`, or written it, the table's marker is `c` or earlier from then on; a new chain whose
 * first day is on or after `c` finds it on or before that day already and needs no move, hence no read.
 * Only an earlier day (or no day known) reads the marker again and moves it as before, conditioned on the
 * fresh read, so two writers still never move it forward.
 */
export class KnownHistoryStart {
  private day: string | undefined;

  constructor(
    private readonly client: Client,
    private readonly tableName: string,
  ) {}

  /** The transaction item a new chain starting on `day` needs, or undefined: reads the marker only when it may. */
  async putFor(day: string): Promise<ReturnType<typeof historyStartPut>> {
    if (!DAY.test(day) || (this.day !== undefined && this.day <= day)) return undefined;
    const read = await readHistoryStart(this.client, this.tableName);
    if (read !== undefined) this.day = read;
    return historyStartPut(this.tableName, day, read);
  }

  /** A transaction that carried {@link putFor}'s item for `day` succeeded: the marker is `day` or earlier now. */
  wrote(day: string): void {
    if (this.day === undefined || day < this.day) this.day = day;
  }
}
