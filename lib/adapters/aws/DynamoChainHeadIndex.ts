import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AnchoredHead } from '../../core/audit/digestDocument.js';
import type { ChainHead } from '../../core/audit/linkEvent.js';
import type { ChainHeadIndex } from '../../usecases/anchorAudit/ports.js';
import { queryAllItems } from './readAllItems.js';

/**
 * The audit table's sparse head index (infra/resources/audit-table.yml, `byChainHead`): only `#chain`
 * items carry `chainIndex`, so the index lists every chain's head, and nothing else, in one partition.
 */
export const CHAIN_HEAD_INDEX = { name: 'byChainHead', attribute: 'chainIndex', value: 'heads' } as const;

/** A head as the sink writes it: with the index attribute and its newest event's time (for anchors). */
export function indexedHead(head: ChainHead, time: string): ChainHead & Record<string, unknown> {
  return { ...head, [CHAIN_HEAD_INDEX.attribute]: CHAIN_HEAD_INDEX.value, headTime: time };
}

export interface DynamoChainHeadIndexOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
}

/**
 * Lists chain heads from the head index: one Query (about 100 bytes a head, so 10,000 chains are about one
 * MB, a page or two), never the events. A global secondary index is eventually consistent: a head just
 * advanced may be listed at its previous seq, which the next digest anchors.
 */
export class DynamoChainHeadIndex implements ChainHeadIndex {
  private readonly options: DynamoChainHeadIndexOptions;

  constructor(options: DynamoChainHeadIndexOptions) {
    this.options = options;
  }

  async listHeads(): Promise<AnchoredHead[]> {
    const items = await queryAllItems(this.options.client, {
      TableName: this.options.tableName,
      IndexName: CHAIN_HEAD_INDEX.name,
      KeyConditionExpression: '#index = :heads',
      ExpressionAttributeNames: { '#index': CHAIN_HEAD_INDEX.attribute },
      ExpressionAttributeValues: { ':heads': CHAIN_HEAD_INDEX.value },
    });
    return items.flatMap((item): AnchoredHead[] => {
      const { bucket, seq, hash, headEventId, headTime, lastExpiresAt } = item;
      // A malformed head is not anchored; verify reports it from the table.
      if (typeof bucket !== 'string' || typeof seq !== 'number' || typeof hash !== 'string') return [];
      if (typeof headEventId !== 'string') return [];
      return [
        {
          bucket,
          seq,
          hash,
          eventId: headEventId,
          time: typeof headTime === 'string' ? headTime : '',
          ...(typeof lastExpiresAt === 'number' && { expiresAt: lastExpiresAt }),
        },
      ];
    });
  }
}
