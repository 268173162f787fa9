import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RESERVED_ID_PREFIX } from '../../core/audit/constants.js';
import type { ChainBreak, VerifyReport } from '../../core/audit/types.js';
import { verifyChain } from '../../core/audit/verifyChain.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { RESERVED_PARTITION_PREFIX } from './auditHistoryStart.js';
import { queryAllItems, scanAllItems } from './readAllItems.js';

export interface VerifyAuditTableOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
  /** Only these buckets' chains (one Query each); absent: every chain (a parallel Scan). */
  buckets?: readonly string[];
  now?: () => Date;
  /** Parallel Scan segments when reading every chain (default 4). */
  segments?: number;
}

/**
 * Recomputes the audit table's hash chains (lib/core/audit/verifyChain.ts), reading every item of each
 * bucket's partition with strongly consistent reads, and reports the first break of each broken chain.
 */
export async function verifyAuditTable(options: VerifyAuditTableOptions): Promise<VerifyReport> {
  const { client, tableName } = options;
  const items =
    options.buckets === undefined
      ? await scanAllItems(client, { TableName: tableName, ConsistentRead: true }, options.segments ?? 4)
      : (
          await Promise.all(
            [...new Set(options.buckets)].map((bucket) =>
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
  const chains = new Map<string, Record<string, unknown>[]>();
  for (const item of items) {
    const bucket = String(item.bucket);
    // The table's own items (the `#history` marker) are no bucket's chain.
    if (bucket.startsWith(RESERVED_PARTITION_PREFIX)) continue;
    chains.set(bucket, [...(chains.get(bucket) ?? []), item]);
  }
  const now = options.now?.() ?? new Date();
  const breaks: ChainBreak[] = [];
  let events = 0;
  for (const bucket of [...chains.keys()].sort(compareCodeUnits)) {
    const chain = chains.get(bucket) ?? [];
    events += chain.filter((item) => !String(item.eventId).startsWith(RESERVED_ID_PREFIX)).length;
    const found = verifyChain(bucket, chain, { now });
    if (found !== undefined) breaks.push(found);
  }
  return { intact: breaks.length === 0, chains: chains.size, events, breaks };
}
