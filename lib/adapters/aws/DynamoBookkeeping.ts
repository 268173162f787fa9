import {
  DeleteCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { isRecord } from '../../core/json/isRecord.js';
import {
  type BookkeepingItem,
  BookkeepingKind,
  type BookkeepingStore,
} from '../../usecases/sweep/cleanBookkeeping.js';
import type { AwsAdapterError } from './errors.js';
import { DELIVERY_ID, OUTBOX_PARTITION, STATUS_ID } from './stateTableLayout.js';
import { callAws } from './toAdapterError.js';

export interface DynamoBookkeepingOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  /** The state table (`S3IR_STATE_TABLE`). */
  tableName: string;
}

/**
 * The state table's per-bucket bookkeeping, for the sweep's cleanup (lib/usecases/sweep/cleanBookkeeping):
 * `list` is one paginated Scan per sweep (every item is read once: the table holds about two small items
 * per bucket, the same order as the desired-state Scan the sweep makes anyway, and no read per bucket),
 * keeping `#status` and `#delivery` items and outbox entries, projected to their keys, version and the
 * outbox alert's bucket. `remove` is a DeleteItem conditioned on the version listed, so that a status a
 * run wrote meanwhile stays; nothing else (leases, the brake's counters and hold) is ever listed or removed.
 */
export class DynamoBookkeeping implements BookkeepingStore {
  private readonly options: DynamoBookkeepingOptions;

  constructor(options: DynamoBookkeepingOptions) {
    this.options = options;
  }

  async list(): Promise<BookkeepingItem[]> {
    const { tableName, client } = this.options;
    const items: BookkeepingItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const output = await callAws(`Scan ${tableName} bookkeeping`, () =>
        client.send(
          new ScanCommand({
            TableName: tableName,
            FilterExpression: '#id IN (:status, :delivery) OR #bucket = :outbox',
            ProjectionExpression: '#bucket, #id, #version, #alert.#attributes.#bucket',
            ExpressionAttributeNames: {
              '#bucket': 'bucket',
              '#id': 'id',
              '#version': 'version',
              '#alert': 'alert',
              '#attributes': 'attributes',
            },
            ExpressionAttributeValues: {
              ':status': STATUS_ID,
              ':delivery': DELIVERY_ID,
              ':outbox': OUTBOX_PARTITION,
            },
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of output.Items ?? []) {
        const found = bookkeepingOf(item);
        if (found !== undefined) items.push(found);
      }
      start = output.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  async remove(item: BookkeepingItem): Promise<boolean> {
    const { tableName, client } = this.options;
    const unchanged: Pick<
      DeleteCommandInput,
      'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    > =
      item.version === undefined
        ? { ConditionExpression: 'attribute_exists(#id)', ExpressionAttributeNames: { '#id': 'id' } }
        : {
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': item.version },
          };
    try {
      await callAws(`DeleteItem ${tableName} ${item.key.bucket}/${item.key.id}`, () =>
        client.send(new DeleteCommand({ TableName: tableName, Key: item.key, ...unchanged })),
      );
      return true;
    } catch (error) {
      if ((error as AwsAdapterError).code === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

/** A scanned item as bookkeeping; anything else (or malformed) is left alone. */
function bookkeepingOf(item: Record<string, unknown>): BookkeepingItem | undefined {
  const { bucket, id, version } = item;
  if (typeof bucket !== 'string' || typeof id !== 'string') return undefined;
  const versioned = typeof version === 'number' ? { version } : {};
  const key = { bucket, id };
  if (bucket === OUTBOX_PARTITION) {
    const about =
      isRecord(item.alert) && isRecord(item.alert.attributes) ? item.alert.attributes.bucket : undefined;
    if (typeof about !== 'string') return undefined;
    return { kind: BookkeepingKind.Outbox, bucket: about, key };
  }
  // `#` never starts a bucket name: any other partition is the service's own (leases, the brake).
  if (bucket.startsWith('#')) return undefined;
  if (id === STATUS_ID) return { kind: BookkeepingKind.Status, bucket, key, ...versioned };
  if (id === DELIVERY_ID) return { kind: BookkeepingKind.Delivery, bucket, key, ...versioned };
  return undefined;
}
