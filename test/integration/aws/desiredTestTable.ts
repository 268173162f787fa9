import { readFile } from 'node:fs/promises';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parse } from 'yaml';
import { uniqueBucket } from './localFactory.js';

/** The tables a test may make its own: infra/resources file and logical id. */
const DEFINITIONS = {
  desired: { file: 'desired-state-table.yml', id: 'DesiredStateTable', prefix: 'desired-it' },
  state: { file: 'state-table.yml', id: 'StateTable', prefix: 'state-it' },
} as const;

/**
 * A desired-state table of the test's own, keyed as infra/resources/desired-state-table.yml defines it,
 * and a document client on it. `endpoint` is the local AWS (or a private gateway in front of it).
 */
export function desiredTestTable(endpoint: string) {
  return testTable(endpoint, 'desired');
}

/**
 * A state table of the test's own, keyed as infra/resources/state-table.yml defines it, so that "the
 * `#outbox` partition" and "every `#status` item" mean this test's; and a document client on it.
 */
export function stateTestTable(endpoint: string) {
  return testTable(endpoint, 'state');
}

async function testTable(endpoint: string, kind: keyof typeof DEFINITIONS) {
  const { file, id, prefix } = DEFINITIONS[kind];
  const dynamodb = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const definitions = parse(
    await readFile(new URL(`../../../infra/resources/${file}`, import.meta.url), 'utf8'),
  ) as Record<string, { Properties: Record<string, unknown> }>;
  const { BillingMode, AttributeDefinitions, KeySchema } = definitions[id]!.Properties;
  const tableName = uniqueBucket(prefix);
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
