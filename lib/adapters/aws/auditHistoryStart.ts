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
