import { readFile } from 'node:fs/promises';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parse } from 'yaml';
import { localEndpoint, uniqueBucket } from './localFactory.js';

const definition = new URL('../../../infra/resources/audit-table.yml', import.meta.url);

/**
 * An audit table of the test's own, created from infra/resources/audit-table.yml itself (keys, the four
 * indexes, TTL), so that "every event" and "every day" mean this test's events; and document clients on it.
 */
export async function auditTestTable() {
  const config = {
    endpoint: localEndpoint(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const dynamodb = new DynamoDBClient(config);
  const { AuditTable } = parse(await readFile(definition, 'utf8')) as {
    AuditTable: { Properties: Record<string, unknown> };
  };
  const { TimeToLiveSpecification, PointInTimeRecoverySpecification, SSESpecification, ...properties } =
    AuditTable.Properties;
  const tableName = uniqueBucket('audit-it');
  await dynamodb.send(
    new CreateTableCommand({ ...properties, TableName: tableName } as CreateTableCommandInput),
  );
  await dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: TimeToLiveSpecification as { AttributeName: string; Enabled: boolean },
    }),
  );
  const clients: DynamoDBClient[] = [dynamodb];
  return {
    tableName,
    documents: DynamoDBDocumentClient.from(dynamodb),
    /** Another client of its own (as another Lambda instance would have). */
    newDocumentClient(): DynamoDBDocumentClient {
      const client = new DynamoDBClient(config);
      clients.push(client);
      return DynamoDBDocumentClient.from(client);
    },
    close(): void {
      for (const client of clients) client.destroy();
    },
  };
}

export type AuditTestTable = Awaited<ReturnType<typeof auditTestTable>>;
