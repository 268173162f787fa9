import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditChainReader } from '../../usecases/anchorAudit/ports.js';
import { RESERVED_PARTITION_PREFIX } from './auditHistoryStart.js';
import { queryAllItems, scanAllItems } from './readAllItems.js';

export interface DynamoAuditChainsOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
  /** Parallel Scan segments when reading every chain (default 4). */
  segments?: number;
}

/**
 * Every item of each chain's partition, strongly consistent: one Query per bucket asked for, or, for a
 * whole verify, a parallel Scan (the full check reads every event by definition).
 */
export class DynamoAuditChains implements AuditChainReader {
  private readonly options: DynamoAuditChainsOptions;

  constructor(options: DynamoAuditChainsOptions) {
    this.options = options;
  }

  async readChains(buckets?: readonly string[]): Promise<Map<string, object[]>> {
    const { client, tableName } = this.options;
    const items =
      buckets === undefined
        ? await scanAllItems(
            client,
            { TableName: tableName, ConsistentRead: true },
            this.options.segments ?? 4,
          )
        : (
            await Promise.all(
              [...new Set(buckets)].map((bucket) =>
                queryAllItems(client, {
                  TableName: tableName,
                  KeyConditionExpression: '#bucket = :bucket',
                  ExpressionAttributeNames: { '#bucket': 'bucket' },
                  ExpressionAttributeValues: { ':bucket': bucket },
                  ConsistentRead: true,
                }),
              ),
            )
          ).flat();
    const chains = new Map<string, object[]>();
    for (const item of items) {
      const bucket = String(item.bucket);
      // The table's own items (the `#history` marker) are no bucket's chain.
      if (bucket.startsWith(RESERVED_PARTITION_PREFIX)) continue;
      const chain = chains.get(bucket) ?? [];
      chain.push(item);
      chains.set(bucket, chain);
    }
    return chains;
  }
}
