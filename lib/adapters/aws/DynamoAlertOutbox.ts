import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertOutbox, AlertSeverity, AlertType, OutboxEntry } from '../../core/alerts/types.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { isRecord } from '../../core/json/isRecord.js';
import type { AwsAdapterError } from './errors.js';
import { OUTBOX_PARTITION, outboxKey, STATE_TABLE_KEY } from './stateTableLayout.js';
import { callAws } from './toAdapterError.js';

export interface DynamoAlertOutboxOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  /** The state table (`S3IR_STATE_TABLE`). */
  tableName: string;
}

/**
 * Alerts SNS refused, as items `{ bucket: '#outbox', id, alert, createdAt }` of the state table,
 * until a flush sends them (lib/usecases/flushOutbox/flushOutbox: the writer that kept them, lib/usecases/recordTransition/AlertDispatch,
 * or the next sweep). `put` is conditional on the id (a hash of the alert): a retried worker keeps an
 * alert once. The reconcile and delivery-check roles may PutItem, Query and DeleteItem in this partition
 * only; the schedule role Query and DeleteItem it (and delete outbox entries of buckets no longer swept).
 */
export class DynamoAlertOutbox implements AlertOutbox {
  private readonly options: DynamoAlertOutboxOptions;

  constructor(options: DynamoAlertOutboxOptions) {
    this.options = options;
  }

  async put(entry: OutboxEntry): Promise<void> {
    const { tableName, client } = this.options;
    try {
      await callAws(`PutItem ${tableName} ${OUTBOX_PARTITION}/${entry.id}`, () =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...outboxKey(entry.id), alert: entry.alert, createdAt: entry.createdAt },
            ConditionExpression: `attribute_not_exists(${STATE_TABLE_KEY.sort})`,
          }),
        ),
      );
    } catch (error) {
      // Kept already (a retried worker): that is what was asked.
      if ((error as AwsAdapterError).code !== 'ConditionalCheckFailedException') throw error;
    }
  }

  async list(): Promise<OutboxEntry[]> {
    const { tableName, client } = this.options;
    const entries: OutboxEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const output = await callAws(`Query ${tableName} ${OUTBOX_PARTITION}`, () =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#bucket = :outbox',
            ExpressionAttributeNames: { '#bucket': STATE_TABLE_KEY.partition },
            ExpressionAttributeValues: { ':outbox': OUTBOX_PARTITION },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of output.Items ?? []) {
        const entry = entryFromItem(item);
        if (entry !== undefined) entries.push(entry);
      }
      start = output.LastEvaluatedKey;
    } while (start !== undefined);
    return entries.sort((a, b) => compareCodeUnits(a.createdAt, b.createdAt) || compareCodeUnits(a.id, b.id));
  }

  async delete(id: string): Promise<void> {
    const { tableName, client } = this.options;
    await callAws(`DeleteItem ${tableName} ${OUTBOX_PARTITION}/${id}`, () =>
      client.send(new DeleteCommand({ TableName: tableName, Key: outboxKey(id) })),
    );
  }
}

/** An outbox item as an entry; one that is not a kept alert (edited by hand) is left alone. */
function entryFromItem(item: Record<string, unknown>): OutboxEntry | undefined {
  const { id, alert, createdAt } = item;
  if (typeof id !== 'string' || typeof createdAt !== 'string' || !isRecord(alert)) return undefined;
  const { subject, message, attributes } = alert;
  if (typeof subject !== 'string' || typeof message !== 'string' || !isRecord(attributes)) return undefined;
  const { eventType, bucket, severity } = attributes;
  if (typeof eventType !== 'string' || typeof bucket !== 'string' || typeof severity !== 'string') {
    return undefined;
  }
  return {
    id,
    createdAt,
    alert: {
      subject,
      message,
      attributes: { eventType: eventType as AlertType, bucket, severity: severity as AlertSeverity },
    },
  };
}
