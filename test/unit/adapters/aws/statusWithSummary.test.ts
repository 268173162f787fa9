import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoStatusStore } from '../../../../lib/adapters/aws/DynamoStatusStore.js';
import type { AdoptionEntry } from '../../../../lib/core/alerts/adoptionSummary.js';
import type { BucketStatus } from '../../../../lib/core/alerts/bucketStatus.js';

const documents = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
beforeEach(() => documents.reset());

const NOW = new Date('2030-01-01T00:00:00Z');
const EXPIRES = Math.floor(NOW.getTime() / 1000) + 14 * 86_400;
const status: BucketStatus = {
  bucket: 'src',
  state: 'in-sync',
  since: NOW.toISOString(),
  conditions: {},
  runId: 'sweep-1',
  version: 1,
};
const entry: AdoptionEntry = {
  runId: 'sweep-1',
  account: '222233334444',
  bucket: 'src',
  kinds: ['drift-resolved'],
  targets: [],
};
const names = (count: number) => new Set(Array.from({ length: count }, (_, index) => `other-${index}`));

/** A cancelled transaction, as the SDK throws it: one reason per item, in request order. */
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const store = () => new DynamoStatusStore({ client, tableName: 'state', backoffMs: () => 0 });
const transactions = () => documents.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);

describe('DynamoStatusStore.putWithSummary (aws-sdk-client-mock)', () => {
  it('writes the status and adds the entry in one TransactWriteItems, every condition kept', async () => {
    documents.on(TransactWriteCommand).resolves({});

    expect(await store().putWithSummary(status, entry, NOW)).toEqual({ written: true, summarised: true });

    expect(transactions()).toEqual([
      {
        TransactItems: [
          {
            Update: {
              TableName: 'state',
              Key: { bucket: 'src', id: '#status' },
              UpdateExpression:
                'SET #state = :state, #since = :since, #conditions = :conditions, #runId = :runId, #version = :version',
              ConditionExpression: 'attribute_not_exists(#version)',
              ExpressionAttributeNames: {
                '#state': 'state',
                '#since': 'since',
                '#conditions': 'conditions',
                '#runId': 'runId',
                '#version': 'version',
              },
              ExpressionAttributeValues: {
                ':state': 'in-sync',
                ':since': NOW.toISOString(),
                ':conditions': {},
                ':runId': 'sweep-1',
                ':version': 1,
              },
            },
          },
          {
            Update: {
              TableName: 'state',
              Key: { bucket: '#adoption', id: 'sweep-1#222233334444' },
              UpdateExpression:
                'SET #runId = :run, #account = :account, #expiresAt = if_not_exists(#expiresAt, :expires), #firstAt = if_not_exists(#firstAt, :now), #lastAt = :now ADD #writes :one, #buckets :one, #resolvedCount :one, #resolvedBuckets :name',
              ConditionExpression:
                '(attribute_not_exists(#resolvedBuckets) OR (size(#resolvedBuckets) < :cap AND NOT contains(#resolvedBuckets, :bucket)))',
              ExpressionAttributeNames: expect.objectContaining({
                '#expiresAt': 'expiresAt',
                '#resolvedCount': 'resolvedCount',
                '#resolvedBuckets': 'resolvedBuckets',
              }),
              ExpressionAttributeValues: {
                ':run': 'sweep-1',
                ':account': '222233334444',
                ':expires': EXPIRES,
                ':now': NOW.toISOString(),
                ':one': 1,
                ':bucket': 'src',
                ':name': new Set(['src']),
                ':cap': 50,
              },
            },
          },
        ],
      },
    ]);
    expect(documents.commandCalls(UpdateCommand)).toEqual([]);
  });

  it('writes nothing when the status condition cancels the transaction (another run wrote first)', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));

    expect(await store().putWithSummary(status, entry, NOW)).toEqual({ written: false, summarised: false });
    expect(transactions()).toHaveLength(1);
    expect(documents.commandCalls(GetCommand)).toEqual([]);
  });

  it('on a full name list, retries once without the name, and sends no name for that list again', async () => {
    documents.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ConditionalCheckFailed')).resolves({});
    documents.on(GetCommand).resolves({ Item: { resolvedBuckets: names(50), resolvedCount: 60 } });
    const statuses = store();

    expect(await statuses.putWithSummary(status, entry, NOW)).toEqual({ written: true, summarised: true });
    expect(
      await statuses.putWithSummary({ ...status, bucket: 'next' }, { ...entry, bucket: 'next' }, NOW),
    ).toEqual({ written: true, summarised: true });

    const [first, retry, next] = transactions().map((input) => input.TransactItems![1]!.Update!);
    expect(first!.UpdateExpression).toMatch(/#resolvedBuckets :name$/);
    for (const update of [retry!, next!]) {
      expect(update.UpdateExpression).toMatch(/ADD #writes :one, #buckets :one, #resolvedCount :one$/);
      expect(update.ConditionExpression).toBe(
        '(attribute_not_exists(#resolvedBuckets) OR NOT contains(#resolvedBuckets, :bucket))',
      );
      expect(update.ExpressionAttributeValues).not.toHaveProperty(':name');
    }
    // One read of the summary, consistent, after the one cancellation.
    expect(documents.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: 'state', Key: { bucket: '#adoption', id: 'sweep-1#222233334444' }, ConsistentRead: true },
    ]);
  });

  it('writes the status alone when the summary names the bucket already (a retry: not counted twice)', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed'));
    documents.on(GetCommand).resolves({ Item: { resolvedBuckets: new Set(['src']), resolvedCount: 1 } });
    documents.on(UpdateCommand).resolves({});

    expect(await store().putWithSummary(status, entry, NOW)).toEqual({ written: true, summarised: true });
    expect(transactions()).toHaveLength(1);
    const [alone] = documents.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(alone).toMatchObject({
      Key: { bucket: 'src', id: '#status' },
      ConditionExpression: 'attribute_not_exists(#version)',
    });
  });

  it('after four rounds of conflicts with other transactions, writes the status alone and leaves the entry to the caller', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('None', 'TransactionConflict'));
    documents.on(UpdateCommand).resolves({});

    expect(await store().putWithSummary(status, entry, NOW)).toEqual({ written: true, summarised: false });
    expect(transactions()).toHaveLength(4);
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(documents.commandCalls(GetCommand)).toEqual([]);
  });

  it('throws any other failure as an adapter error naming the call', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('None', 'ValidationError'));
    await expect(store().putWithSummary(status, entry, NOW)).rejects.toMatchObject({
      name: 'AwsAdapterError',
      message: expect.stringMatching(/^TransactWriteItems state src\/#status: /),
    });
  });
});
