import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, AuditSink } from '../audit/types.js';
import { toAdapterError } from './toAdapterError.js';

export interface DynamoAuditSinkOptions {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
}

/** The audit table item of an event: the event plus the keys of its indexes. */
export function auditItem(event: AuditEvent): Record<string, unknown> {
  const timeKey = `${event.time}#${event.eventId}`;
  return { ...event, timeKey, day: event.time.slice(0, 10) };
}

/**
 * Appends audit events (table: partition `bucket`, sort `eventId`; infra/resources/audit-table.yml).
 * Each put is conditional on the event not existing: events are append-only, and since ids are
 * deterministic a retried worker's second put of the same event is refused, which counts as success.
 */
export class DynamoAuditSink implements AuditSink {
  private readonly options: DynamoAuditSinkOptions;

  constructor(options: DynamoAuditSinkOptions) {
    this.options = options;
  }

  async record(event: AuditEvent): Promise<void> {
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: auditItem(event),
          ConditionExpression: 'attribute_not_exists(eventId)',
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return;
      throw toAdapterError(error, `PutItem ${this.options.tableName} ${event.action} ${event.eventId}`);
    }
  }
}
