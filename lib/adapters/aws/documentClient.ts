import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClientFactory } from './ClientFactory.js';

/**
 * The one way lib/ builds a DynamoDB document client: over the client factory's home DynamoDB client (so one
 * retry policy and one endpoint), with undefined attributes dropped rather than refused, as every store writes
 * optional fields.
 */
export async function documentClient(
  factory: Pick<ClientFactory, 'client'>,
): Promise<DynamoDBDocumentClient> {
  return DynamoDBDocumentClient.from(await factory.client(DynamoDBClient), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
