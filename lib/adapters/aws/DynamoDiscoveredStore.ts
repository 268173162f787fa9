import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type BucketFilter, MAX_BITS, MIN_BITS } from '../../core/accounts/bucketFilter.js';
import { ACCOUNT_ID } from '../../core/organization/organizationIds.js';
import type { DiscoveredStore } from '../../usecases/discovery/discoveredBuckets.js';
import { DISCOVERED_PARTITION, discoveredKey, STATE_TABLE_KEY } from './stateTableLayout.js';
import { callAws } from './toAdapterError.js';

export interface DynamoDiscoveredStoreOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  /** The state table (`S3IR_STATE_TABLE`). */
  tableName: string;
}

/**
 * What each member account's last discovery selected, as `{ bucket: '#discovered', id: <account>, bits, hashes,
 * count, filter (binary), runId }` items of the state table (lib/usecases/discovery/discoveredBuckets): one per
 * account, at most 64 KB each. Read back checked: an item whose filter is malformed reads as absent (the
 * cleanup then removes no member bucket's bookkeeping).
 */
export class DynamoDiscoveredStore implements DiscoveredStore {
  private readonly options: DynamoDiscoveredStoreOptions;

  constructor(options: DynamoDiscoveredStoreOptions) {
    this.options = options;
  }

  async get(account: string): Promise<BucketFilter | undefined> {
    const { tableName, client } = this.options;
    const { Item } = await callAws(`GetItem ${tableName} ${DISCOVERED_PARTITION}/${account}`, () =>
      client.send(
        new GetCommand({ TableName: tableName, Key: discoveredKey(account), ConsistentRead: true }),
      ),
    );
    return Item === undefined ? undefined : filterFromItem(Item);
  }

  async put(account: string, filter: BucketFilter, runId: string): Promise<void> {
    const { tableName, client } = this.options;
    const { bits, hashes, count, data } = filter;
    await callAws(`PutItem ${tableName} ${DISCOVERED_PARTITION}/${account}`, () =>
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...discoveredKey(account), bits, hashes, count, filter: data, runId },
        }),
      ),
    );
  }

  async list(): Promise<Map<string, BucketFilter>> {
    const { tableName, client } = this.options;
    const filters = new Map<string, BucketFilter>();
    let start: Record<string, unknown> | undefined;
    do {
      const output = await callAws(`Query ${tableName} ${DISCOVERED_PARTITION}`, () =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#bucket = :partition',
            ExpressionAttributeNames: { '#bucket': STATE_TABLE_KEY.partition },
            ExpressionAttributeValues: { ':partition': DISCOVERED_PARTITION },
            // After the bookkeeping Scan: the newest filter of every account (lib/usecases/sweep/cleanBookkeeping).
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of output.Items ?? []) {
        const filter = filterFromItem(item);
        if (filter !== undefined && typeof item.id === 'string') filters.set(item.id, filter);
      }
      start = output.LastEvaluatedKey;
    } while (start !== undefined);
    return filters;
  }
}

/** A stored filter, checked: sizes as bucketFilter makes them, and as many bytes as bits say. */
function filterFromItem(item: Record<string, unknown>): BucketFilter | undefined {
  const { id, bits, hashes, count, filter } = item;
  if (typeof id !== 'string' || !ACCOUNT_ID.test(id)) return undefined;
  if (typeof bits !== 'number' || bits < MIN_BITS || bits > MAX_BITS || (bits & (bits - 1)) !== 0)
    return undefined;
  if (typeof hashes !== 'number' || !Number.isInteger(hashes) || hashes < 1 || hashes > 12) return undefined;
  if (!(filter instanceof Uint8Array) || filter.length !== bits / 8) return undefined;
  return { bits, hashes, count: typeof count === 'number' ? count : 0, data: filter };
}
