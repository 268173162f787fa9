import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AwsAdapterError } from './errors.js';
import { callAws } from './toAdapterError.js';

/**
 * Writes a versioned bookkeeping item of the state table (a `#status` or `#delivery` item) with one
 * UpdateItem that sets exactly `attributes` and `version`, on the condition that the stored version is
 * still `version - 1` (absent for 1). UpdateItem, never PutItem: a role granted only these attributes
 * (IAM `dynamodb:Attributes`) can never replace or strip another kind's item. False when another writer
 * got there first.
 */
export async function putVersioned(
  options: { client: Pick<DynamoDBDocumentClient, 'send'>; tableName: string },
  key: { bucket: string; id: string },
  attributes: Readonly<Record<string, unknown>>,
  version: number,
): Promise<boolean> {
  try {
    await callAws(`UpdateItem ${options.tableName} ${key.bucket}/${key.id}`, () =>
      options.client.send(new UpdateCommand(versionedUpdate(options.tableName, key, attributes, version))),
    );
    return true;
  } catch (error) {
    if ((error as AwsAdapterError).code === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** The UpdateItem input of {@link putVersioned}, also the `Update` of a transaction that writes the item. */
export function versionedUpdate(
  tableName: string,
  key: { bucket: string; id: string },
  attributes: Readonly<Record<string, unknown>>,
  version: number,
) {
  const names = Object.keys(attributes);
  const first = version <= 1;
  return {
    TableName: tableName,
    Key: key,
    UpdateExpression: `SET ${[...names, 'version'].map((name) => `#${name} = :${name}`).join(', ')}`,
    ConditionExpression: first ? 'attribute_not_exists(#version)' : '#version = :previous',
    ExpressionAttributeNames: Object.fromEntries([...names, 'version'].map((name) => [`#${name}`, name])),
    ExpressionAttributeValues: {
      ...Object.fromEntries(names.map((name) => [`:${name}`, attributes[name]])),
      ':version': version,
      ...(!first && { ':previous': version - 1 }),
    },
  };
}
