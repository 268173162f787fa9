import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DynamoAuditSink,
  type DynamoAuditSinkOptions,
} from '../../../../lib/adapters/aws/DynamoAuditSink.js';
import { chainHash } from '../../../../lib/core/audit/chainHash.js';
import { GENESIS_HASH } from '../../../../lib/core/audit/constants.js';
import type { AuditEvent } from '../../../../lib/core/audit/types.js';

const documents = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
beforeEach(() => documents.reset());

const event: AuditEvent = {
  eventId: 'e2',
  time: '2026-01-01T00:00:00.000Z',
  runId: 'r',
  bucket: 'b',
  action: 'drift-detected',
  actor: 'a',
};
const head = { bucket: 'b', eventId: '#chain', seq: 1, hash: 'a'.repeat(64), headEventId: 'e1' };
const waits: number[] = [];
const sink = (options: Partial<DynamoAuditSinkOptions> = {}) =>
  new DynamoAuditSink({
    client,
    tableName: 't',
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    ...options,
  });

function cancelled(...codes: string[]) {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

const transactions = () => documents.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);

describe('DynamoAuditSink', () => {
  beforeEach(() => {
    waits.length = 0;
  });

  it('reads the head consistently and writes head and event in one conditional transaction', async () => {
    documents.on(GetCommand).resolves({ Item: head });
    documents.on(TransactWriteCommand).resolves({});
    const stored = await sink().append(event);
    expect(stored).toEqual({ ...event, seq: 2, prevHash: head.hash, hash: chainHash(stored!) });
    expect(documents.commandCalls(GetCommand)[0]!.args[0].input).toEqual({
      TableName: 't',
      Key: { bucket: 'b', eventId: '#chain' },
      ConsistentRead: true,
    });
    expect(transactions()).toEqual([
      {
        TransactItems: [
          {
            Put: {
              TableName: 't',
              Item: {
                bucket: 'b',
                eventId: '#chain',
                seq: 2,
                hash: stored!.hash,
                headEventId: 'e2',
                // The head index (anchors): the marker and the newest event's time.
                chainIndex: 'heads',
                headTime: '2026-01-01T00:00:00.000Z',
              },
              ConditionExpression: '#seq = :seq',
              ExpressionAttributeNames: { '#seq': 'seq' },
              ExpressionAttributeValues: { ':seq': 1 },
            },
          },
          {
            Put: {
              TableName: 't',
              Item: { ...stored, timeKey: '2026-01-01T00:00:00.000Z#e2', day: '2026-01-01' },
              ConditionExpression: 'attribute_not_exists(eventId)',
            },
          },
        ],
      },
    ]);
  });

  it('starts a chain: the head must not exist yet, prevHash is the genesis hash', async () => {
    documents.on(GetCommand).resolves({});
    documents.on(TransactWriteCommand).resolves({});
    await expect(sink().append(event)).resolves.toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(transactions()[0]!.TransactItems![0]!.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(eventId)',
    });
  });

  it('re-reads a head another writer advanced and retries after a jittered wait', async () => {
    const advanced = { ...head, seq: 2, hash: 'c'.repeat(64), headEventId: 'e0' };
    documents.on(GetCommand).resolvesOnce({ Item: head }).resolves({ Item: advanced });
    documents
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'None'))
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .resolves({});
    await expect(sink().record(event)).resolves.toBeUndefined();
    expect(transactions().map((input) => input.TransactItems![1]!.Put!.Item!.seq)).toEqual([2, 3, 3]);
    expect(transactions()[2]!.TransactItems![1]!.Put!.Item!.prevHash).toBe(advanced.hash);
    expect(waits).toEqual([20, 40]); // random 0.5 of 40 ms, then of 80 ms
  });

  it('treats an event that exists already (a retried worker) as recorded, writing nothing else', async () => {
    documents.on(GetCommand).resolves({ Item: head });
    documents.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed'));
    await expect(sink().append(event)).resolves.toBeUndefined();
    expect(transactions()).toHaveLength(1);
  });

  it('gives up on a head that keeps moving with a retryable error', async () => {
    documents.on(GetCommand).resolves({ Item: head });
    documents.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    await expect(sink({ maxAttempts: 3 }).record(event)).rejects.toMatchObject({
      name: 'AwsAdapterError',
      code: 'AuditChainContention',
      retryable: true,
      message: 'TransactWriteItems t drift-detected e2: the chain head of b kept moving (3 tries)',
    });
    expect(transactions()).toHaveLength(3);
  });

  it('maps other failures to adapter errors', async () => {
    documents.on(GetCommand).resolves({ Item: head });
    documents.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'ValidationError'));
    await expect(sink().record(event)).rejects.toMatchObject({ name: 'AwsAdapterError', retryable: false });
    documents
      .on(GetCommand)
      .rejects(Object.assign(new Error('slow'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(sink().record(event)).rejects.toMatchObject({ name: 'ThrottledError', retryable: true });
  });

  it('sets expiresAt from the event time when retention is on, on the event and its parts, not the head', async () => {
    documents.on(GetCommand).resolves({});
    documents.on(TransactWriteCommand).resolves({});
    const large = { ...event, after: { policy: 'p'.repeat(400_000) } };
    const stored = await sink({ retentionDays: 30 }).append(large);
    const expiresAt = Date.parse(event.time) / 1000 + 30 * 86_400;
    expect(stored).toMatchObject({ expiresAt, after: { s3irDocument: { parts: 2 } } });
    const [headPut, eventPut, startPut, ...partPuts] = transactions()[0]!.TransactItems!.map(
      (item) => item.Put!,
    );
    expect(startPut!.Item).toEqual({ bucket: '#history', eventId: '#start', day: event.time.slice(0, 10) });
    expect(headPut!.Item).toEqual(expect.objectContaining({ lastExpiresAt: expiresAt }));
    expect(headPut!.Item).not.toHaveProperty('expiresAt');
    expect(eventPut!.Item).toMatchObject({ expiresAt });
    expect(partPuts.map((put) => [put.Item!.eventId, put.Item!.expiresAt, put.ConditionExpression])).toEqual([
      ['#doc#e2#after#0', expiresAt, 'attribute_not_exists(eventId)'],
      ['#doc#e2#after#1', expiresAt, 'attribute_not_exists(eventId)'],
    ]);
  });

  it('moves the #history marker back when a new chain starts before it, conditioned on what it read', async () => {
    documents
      .on(GetCommand, { Key: { bucket: 'b', eventId: '#chain' } })
      .resolves({})
      .on(GetCommand, { Key: { bucket: '#history', eventId: '#start' } })
      .resolvesOnce({ Item: { bucket: '#history', eventId: '#start', day: '2026-02-01' } })
      .resolves({ Item: { bucket: '#history', eventId: '#start', day: '2025-12-31' } });
    documents
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'None', 'ConditionalCheckFailed'))
      .resolves({});
    await sink().record(event);
    const [first, second] = transactions();
    expect(first!.TransactItems![2]!.Put).toEqual({
      TableName: 't',
      Item: { bucket: '#history', eventId: '#start', day: '2026-01-01' },
      ConditionExpression: '#day = :read',
      ExpressionAttributeNames: { '#day': 'day' },
      ExpressionAttributeValues: { ':read': '2026-02-01' },
    });
    // Another writer moved it earlier meanwhile: retried, and this chain's day no longer moves it.
    expect(second!.TransactItems).toHaveLength(2);
  });

  it('leaves the #history marker alone while the chain exists', async () => {
    documents.on(GetCommand).resolves({ Item: head });
    documents.on(TransactWriteCommand).resolves({});
    await sink().record(event);
    expect(transactions()[0]!.TransactItems).toHaveLength(2);
    expect(documents.commandCalls(GetCommand)).toHaveLength(1);
  });

  it('counts retention from now for an event whose time does not parse', async () => {
    documents.on(GetCommand).resolves({});
    documents.on(TransactWriteCommand).resolves({});
    const now = new Date('2026-02-01T00:00:00.000Z');
    const stored = await sink({ retentionDays: 1, now: () => now }).append({ ...event, time: 'soon' });
    expect(stored?.expiresAt).toBe(now.getTime() / 1000 + 86_400);
  });
});
