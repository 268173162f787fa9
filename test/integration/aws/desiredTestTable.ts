import { readFile } from 'node:fs/promises';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parse } from 'yaml';
import { uniqueBucket } from './localFactory.js';

const definition = new URL('../../../infra/resources/desired-state-table.yml', import.meta.url);

/**
 * A desired-state table of the test's own, keyed as infra/resources/desired-state-table.yml defines it,
 * so that "the `#outbox` partition" and "every `#status` item" mean this test's; and a document client
 * on it. `endpoint` is the local AWS (or a private gateway in front of it).
 */
export async function desiredTestTable(endpoint: string) {
  const dynamodb = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { DesiredStateTable } = parse(await readFile(definition, 'utf8')) as {
    DesiredStateTable: { Properties: Record<string, unknown> };
  };
  const { BillingMode, AttributeDefinitions, KeySchema } = DesiredStateTable.Properties;
  const tableName = uniqueBucket('desired-it');
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode,
      AttributeDefinitions,
      KeySchema,
    } as CreateTableCommandInput),
  );
  const documents = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { tableName, documents, destroy: () => dynamodb.destroy() };
}
