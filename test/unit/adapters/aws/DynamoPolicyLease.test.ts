import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoPolicyLease } from '../../../../lib/adapters/aws/DynamoPolicyLease.js';
import { ThrottledError } from '../../../../lib/adapters/aws/errors.js';

// The lease rules themselves run against DynamoDB Local (test/integration/aws/policyLease.test.ts); these
// are the requests and the error paths DynamoDB Local cannot be made to take.
const documents = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
beforeEach(() => documents.reset());

const NOW = Date.parse('2026-01-02T03:04:05.600Z');
const lease = () => new DynamoPolicyLease({ client, tableName: 'desired', now: () => NOW });
const conditionFailed = (Item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    ...(Item && { Item }),
  } as never);

describe('DynamoPolicyLease', () => {
  it('takes a lease with one conditional PutItem: free, or expired before this second', async () => {
    documents.on(PutCommand).resolves({});
    const attempt = await lease().tryAcquire('destination-policy:reports', 'run-1/src/u');
    expect(documents.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'desired',
      Item: {
        bucket: '#lease',
        id: 'destination-policy:reports',
        holder: 'run-1/src/u',
        expiresAt: 1767323076,
      },
      ConditionExpression: 'attribute_not_exists(#bucket) OR #expiresAt < :now',
      ExpressionAttributeNames: { '#bucket': 'bucket', '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: { ':now': 1767323045 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(attempt).toMatchObject({ acquired: true, lease: { expiresAt: new Date(1767323076_000) } });
  });

  it('names the holder the refusal returns, and says so when DynamoDB returned none', async () => {
    documents
      .on(PutCommand)
      .rejectsOnce(conditionFailed({ holder: { S: 'run-9/other/u' }, expiresAt: { N: '1767323070' } }))
      .rejectsOnce(conditionFailed());
    expect(await lease().tryAcquire('k', 'me')).toEqual({
      acquired: false,
      heldBy: { holder: 'run-9/other/u', expiresAt: new Date(1767323070_000) },
    });
    expect(await lease().tryAcquire('k', 'me')).toEqual({
      acquired: false,
      heldBy: { holder: 'an unknown holder', expiresAt: new Date(0) },
    });
  });

  it('throws other failures as adapter errors, for the caller to retry or record', async () => {
    documents
      .on(PutCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const error = await lease()
      .tryAcquire('k', 'me')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as Error).message).toBe('PutItem desired #lease/k: slow down');
  });

  it('releases only its own lease: a refused delete is a no-op, other failures are thrown', async () => {
    documents.on(PutCommand).resolves({});
    const attempt = await lease().tryAcquire('k', 'me');
    if (!attempt.acquired) throw new Error('expected the lease');
    documents.on(DeleteCommand).rejectsOnce(conditionFailed()).rejectsOnce(new Error('socket hang up'));

    await attempt.lease.release();
    await expect(attempt.lease.release()).rejects.toThrow('DeleteItem desired #lease/k: socket hang up');
    expect(documents.commandCalls(DeleteCommand)[0]!.args[0].input).toEqual({
      TableName: 'desired',
      Key: { bucket: '#lease', id: 'k' },
      ConditionExpression: '#holder = :holder',
      ExpressionAttributeNames: { '#holder': 'holder' },
      ExpressionAttributeValues: { ':holder': 'me' },
    });
  });
});
