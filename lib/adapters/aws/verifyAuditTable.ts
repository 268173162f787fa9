import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RESERVED_ID_PREFIX } from '../../core/audit/constants.js';
import type { ChainBreak, VerifyReport } from '../../core/audit/types.js';
import { verifyChain } from '../../core/audit/verifyChain.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { DynamoAuditChains } from './DynamoAuditChains.js';

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
  // Each chain's whole partition, read as the anchored verify reads it (lib/adapters/aws/DynamoAuditChains).
  const chains = await new DynamoAuditChains({
    client: options.client,
    tableName: options.tableName,
    ...(options.segments !== undefined && { segments: options.segments }),
  }).readChains(options.buckets);
  const now = options.now?.() ?? new Date();
  const breaks: ChainBreak[] = [];
  let events = 0;
  for (const bucket of [...chains.keys()].sort(compareCodeUnits)) {
    const chain = chains.get(bucket) ?? [];
    events += chain.filter(
      (item) => !String((item as { eventId?: unknown }).eventId).startsWith(RESERVED_ID_PREFIX),
    ).length;
    const found = verifyChain(bucket, chain, { now });
    if (found !== undefined) breaks.push(found);
  }
  return { intact: breaks.length === 0, chains: chains.size, events, breaks };
}
