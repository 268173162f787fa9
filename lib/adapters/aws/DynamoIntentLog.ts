import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../core/audit/types.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { isRecord } from '../../core/json/isRecord.js';
import type { ChangeIntent } from '../../core/reconcile/intents.js';
import type { IntentStore } from '../../usecases/ports.js';
import { queryAllItems } from './readAllItems.js';
import { EXPIRES_AT, INTENT_PARTITION, intentKey, STATE_TABLE_KEY } from './stateTableLayout.js';
import { callAws } from './toAdapterError.js';

/**
 * How long an intent nobody resolves stays (DynamoDB TTL): a declared bucket is reconciled by every sweep,
 * which resolves it within minutes; only a bucket no longer declared leaves one behind, and it goes then.
 */
export const INTENT_RETENTION_DAYS = 30;

export interface DynamoIntentLogOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  /** The state table (`S3IR_STATE_TABLE`). */
  tableName: string;
  /** Milliseconds; default `Date.now`. */
  now?: () => number;
}

/**
 * Intents of writes as items `{ bucket: '#intent', id: '<bucket>#<intentId>', runId, subject, recordedAt,
 * event, expiresAt }` of the state table. `record` is a PutItem (the id is the change's own event id, so a retry
 * writes the same item), `complete` a DeleteItem, `pending` one strongly consistent Query of the
 * bucket's prefix (an intent recorded just before a worker died is seen). `event` is kept as JSON text: a
 * policy document keeps its exact values, with no DynamoDB type mapping in between. Only the reconcile
 * role writes this partition.
 */
export class DynamoIntentLog implements IntentStore {
  private readonly options: DynamoIntentLogOptions;

  constructor(options: DynamoIntentLogOptions) {
    this.options = options;
  }

  async abandon(intent: ChangeIntent): Promise<void> {
    await this.record({ ...intent, abandoned: true });
  }

  async record(intent: ChangeIntent): Promise<void> {
    const { client, tableName } = this.options;
    const key = intentKey(intent.bucket, intent.intentId);
    const now = (this.options.now ?? Date.now)();
    await callAws(`PutItem ${tableName} ${INTENT_PARTITION}/${key.id}`, () =>
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...key,
            runId: intent.runId,
            subject: intent.subject,
            recordedAt: intent.recordedAt,
            event: JSON.stringify(intent.event),
            ...(intent.abandoned === true && { abandoned: true }),
            [EXPIRES_AT]: Math.ceil(now / 1000) + INTENT_RETENTION_DAYS * 86_400,
          },
        }),
      ),
    );
  }

  async complete(intent: ChangeIntent): Promise<void> {
    const { client, tableName } = this.options;
    const key = intentKey(intent.bucket, intent.intentId);
    await callAws(`DeleteItem ${tableName} ${INTENT_PARTITION}/${key.id}`, () =>
      client.send(new DeleteCommand({ TableName: tableName, Key: key })),
    );
  }

  async pending(bucket: string): Promise<ChangeIntent[]> {
    const { client, tableName } = this.options;
    const items = await queryAllItems(client, {
      TableName: tableName,
      KeyConditionExpression: '#bucket = :intents AND begins_with(#id, :prefix)',
      ExpressionAttributeNames: { '#bucket': STATE_TABLE_KEY.partition, '#id': STATE_TABLE_KEY.sort },
      ExpressionAttributeValues: { ':intents': INTENT_PARTITION, ':prefix': `${bucket}#` },
      ConsistentRead: true,
    });
    return items
      .flatMap((item) => intentFromItem(item, bucket))
      .sort(
        (a, b) => compareCodeUnits(a.recordedAt, b.recordedAt) || compareCodeUnits(a.intentId, b.intentId),
      );
  }
}

/**
 * An item read back, checked: its event must be this bucket's and carry the id the key names. An item that
 * is not is dropped (with its TTL it goes by itself): it cannot be resolved, and it must not block the bucket.
 */
function intentFromItem(item: Record<string, unknown>, bucket: string): ChangeIntent[] {
  const { id, runId, subject, recordedAt, event: text } = item;
  if (typeof id !== 'string' || typeof runId !== 'string' || typeof recordedAt !== 'string') return [];
  if (typeof subject !== 'string') return [];
  if (typeof text !== 'string') return [];
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    return [];
  }
  const intentId = id.slice(bucket.length + 1);
  if (!isRecord(event) || event.bucket !== bucket || event.eventId !== intentId || event.runId !== runId) {
    return [];
  }
  if (typeof event.action !== 'string' || typeof event.time !== 'string') return [];
  const intent: ChangeIntent = {
    intentId,
    bucket,
    runId,
    subject,
    recordedAt,
    event: event as unknown as AuditEvent,
  };
  return [item.abandoned === true ? { ...intent, abandoned: true } : intent];
}
