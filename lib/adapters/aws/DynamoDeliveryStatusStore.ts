import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { BucketDeliveryStatus, DeliveryRecord } from '../../core/delivery/deliveryTransition.js';
import { isRecord } from '../../core/json/isRecord.js';
import { putVersioned } from './putVersioned.js';
import { DELIVERY_ID, deliveryKey } from './stateTableLayout.js';
import { callAws } from './toAdapterError.js';

export interface DynamoDeliveryStatusStoreOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  /** The state table (`S3IR_STATE_TABLE`). */
  tableName: string;
}

/**
 * Each bucket's delivery health between checks, as its `#delivery` item in the state table. Kept apart
 * from the reconciler's `#status` item so the daily check and the reconcile workers never contend.
 * Written with UpdateItem on the version read, setting only the delivery attributes (the delivery-check
 * role's grant names exactly these, so it can never rewrite a status).
 */
export class DynamoDeliveryStatusStore {
  private readonly options: DynamoDeliveryStatusStoreOptions;

  constructor(options: DynamoDeliveryStatusStoreOptions) {
    this.options = options;
  }

  async get(bucket: string): Promise<BucketDeliveryStatus | undefined> {
    const { tableName, client } = this.options;
    const output = await callAws(`GetItem ${tableName} ${bucket}/${DELIVERY_ID}`, () =>
      client.send(new GetCommand({ TableName: tableName, Key: deliveryKey(bucket), ConsistentRead: true })),
    );
    const item = output.Item;
    if (item === undefined) return undefined;
    return {
      bucket,
      configurations: (isRecord(item.configurations) ? item.configurations : {}) as Record<
        string,
        DeliveryRecord
      >,
      runId: String(item.runId ?? ''),
      version: Number(item.version ?? 0),
    };
  }

  /** False when another check wrote first (the version moved). */
  async put(status: BucketDeliveryStatus): Promise<boolean> {
    const { configurations, runId } = status;
    return putVersioned(this.options, deliveryKey(status.bucket), { configurations, runId }, status.version);
  }
}
