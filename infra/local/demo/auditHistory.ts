import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditLine, DemoClientConfig } from './types.js';

export interface AuditHistoryOptions {
  config: DemoClientConfig;
  tableName: string;
  /** Events at or after this time (default: the last 24 hours). */
  since?: Date;
}

/**
 * The audit history, newest first: the audit table's `byDay` index (partition `day`, sort `timeKey`),
 * queried backwards for each day since `since`, every page.
 */
export async function auditHistory(options: AuditHistoryOptions): Promise<AuditLine[]> {
  const since = options.since ?? new Date(Date.now() - 86_400_000);
  const days: string[] = [];
  for (let day = new Date(Date.now()); day.getTime() >= since.getTime() - 86_400_000; ) {
    days.push(day.toISOString().slice(0, 10));
    day = new Date(day.getTime() - 86_400_000);
  }
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(options.config));
  try {
    const lines: AuditLine[] = [];
    for (const day of [...new Set(days)]) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: options.tableName,
            IndexName: 'byDay',
            KeyConditionExpression: '#day = :day AND timeKey >= :since',
            ExpressionAttributeNames: { '#day': 'day' },
            ExpressionAttributeValues: { ':day': day, ':since': since.toISOString() },
            ScanIndexForward: false,
            ExclusiveStartKey: start,
          }),
        );
        lines.push(...((page.Items ?? []) as AuditLine[]));
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
    }
    return lines;
  } finally {
    client.destroy();
  }
}
