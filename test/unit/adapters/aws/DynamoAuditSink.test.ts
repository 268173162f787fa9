import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
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
              // The head's hash as well as its seq (#18 point 4: a head may be known from earlier, not read).
              ConditionExpression: '#seq = :seq AND #hash = :hash',
              ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash' },
              ExpressionAttributeValues: { ':seq': 1, ':hash': head.hash },
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

describe('DynamoAuditSink, an append in one request on the common path (#18 point 4)', () => {
  const marker = (day: string) => ({ Item: { bucket: '#history', eventId: '#start', day } });
  const headKey = (bucket: string) => ({ Key: { bucket, eventId: '#chain' } });
  const markerKey = { Key: { bucket: '#history', eventId: '#start' } };
  const of = (bucket: string, id: string, time = event.time): AuditEvent => ({
    ...event,
    bucket,
    eventId: id,
    time,
  });
  const headGets = () =>
    documents.commandCalls(GetCommand).filter((call) => call.args[0].input.Key?.eventId === '#chain');
  const markerGets = () =>
    documents.commandCalls(GetCommand).filter((call) => call.args[0].input.Key?.eventId === '#start');
  const batchGets = () => documents.commandCalls(BatchGetCommand).map((call) => call.args[0].input);
  const headCondition = (index: number) => {
    const put = transactions()[index]!.TransactItems![0]!.Put!;
    return [put.ConditionExpression, put.ExpressionAttributeValues];
  };

  beforeEach(() => {
    waits.length = 0;
  });

  it("reads the expected chains' heads in one BatchGetItem at the first event, then writes each event in one transaction", async () => {
    documents
      .on(BatchGetCommand)
      .resolves({ Responses: { t: [{ ...head, chainIndex: 'heads', headTime: event.time }] } });
    documents.on(GetCommand, markerKey).resolves(marker('2025-06-01'));
    documents.on(TransactWriteCommand).resolves({});
    const audit = sink();
    audit.expect(['b', 'c']);
    expect(batchGets()).toEqual([]); // nothing read before an event is recorded
    const stored = await audit.append(of('b', 'e2'));
    expect(batchGets()).toEqual([
      {
        RequestItems: {
          t: {
            Keys: [
              { bucket: 'b', eventId: '#chain' },
              { bucket: 'c', eventId: '#chain' },
            ],
            ConsistentRead: true,
          },
        },
      },
    ]);
    expect(stored).toMatchObject({ seq: 2, prevHash: head.hash });
    expect(headCondition(0)).toEqual(['#seq = :seq AND #hash = :hash', { ':seq': 1, ':hash': head.hash }]);
    // c had no head in that read: a new chain, presumed so without another read.
    await expect(audit.append(of('c', 'f1'))).resolves.toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(headCondition(1)).toEqual(['attribute_not_exists(eventId)', undefined]);
    // The next event of either chain links after the head this sink wrote: still no read.
    await expect(audit.append(of('c', 'f2'))).resolves.toMatchObject({ seq: 2 });
    await expect(audit.append(of('b', 'e3'))).resolves.toMatchObject({ seq: 3, prevHash: stored!.hash });
    expect(batchGets()).toHaveLength(1);
    expect(headGets()).toHaveLength(0);
    expect(markerGets()).toHaveLength(1); // the marker, once, for the new chain (see below)
    expect(transactions()).toHaveLength(4);
  });

  it('reads nothing for a batch that records nothing, and reads the head of a chain it was not told of', async () => {
    documents.on(GetCommand, headKey('z')).resolves({ Item: { ...head, bucket: 'z' } });
    documents.on(TransactWriteCommand).resolves({});
    const audit = sink();
    audit.expect(['b', 'c']);
    audit.expect(['d']); // the next batch: b and c are not read any more
    await audit.append(of('z', 'e2'));
    expect(batchGets()).toEqual([]);
    expect(headGets()).toHaveLength(1);
  });

  it('reads a head again at once when the guess was stale (another writer advanced it), and retries without waiting', async () => {
    const advanced = { ...head, seq: 4, hash: 'c'.repeat(64), headEventId: 'e0' };
    documents.on(BatchGetCommand).resolves({ Responses: { t: [head] } });
    documents.on(GetCommand, headKey('b')).resolves({ Item: advanced });
    documents.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).resolves({});
    const audit = sink({ maxAttempts: 1 });
    audit.expect(['b']);
    await expect(audit.append(event)).resolves.toMatchObject({ seq: 5, prevHash: advanced.hash });
    expect(transactions().map((input) => input.TransactItems![1]!.Put!.Item!.seq)).toEqual([2, 5]);
    expect(headCondition(1)).toEqual([
      '#seq = :seq AND #hash = :hash',
      { ':seq': 4, ':hash': advanced.hash },
    ]);
    expect(headGets()).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('presumes a chain new only while that is known: a chain someone else started is read and linked after', async () => {
    const other = { ...head, headEventId: 'x1' };
    documents.on(BatchGetCommand).resolves({ Responses: { t: [] } });
    documents.on(GetCommand, headKey('b')).resolves({ Item: other });
    documents.on(GetCommand, markerKey).resolves(marker('2025-06-01'));
    documents.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).resolves({});
    const audit = sink();
    audit.expect(['b']);
    await expect(audit.append(event)).resolves.toMatchObject({ seq: 2, prevHash: other.hash });
    expect(headCondition(0)).toEqual(['attribute_not_exists(eventId)', undefined]);
    expect(headCondition(1)).toEqual(['#seq = :seq AND #hash = :hash', { ':seq': 1, ':hash': other.hash }]);
  });

  it('counts a duplicate refused under a guessed head as recorded, and reads the head for the next event', async () => {
    documents.on(GetCommand, headKey('b')).resolves({ Item: head });
    documents
      .on(TransactWriteCommand)
      .resolvesOnce({})
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed'))
      .resolves({});
    const audit = sink();
    await audit.append(event); // read (not told of b), then remembered
    await expect(audit.append({ ...event, eventId: 'e1' })).resolves.toBeUndefined();
    expect(headGets()).toHaveLength(1);
    await audit.append({ ...event, eventId: 'e3' });
    expect(headGets()).toHaveLength(2);
  });

  it('trusts a head it wrote for five minutes only: later, others may have advanced the chain', async () => {
    let now = Date.parse('2026-03-01T00:00:00.000Z');
    documents.on(GetCommand, headKey('b')).resolves({ Item: head });
    documents.on(TransactWriteCommand).resolves({});
    const audit = sink({ now: () => new Date(now) });
    await audit.append(event);
    now += 5 * 60_000;
    await audit.append({ ...event, eventId: 'e3' });
    expect(headGets()).toHaveLength(1);
    now += 5 * 60_000 + 1;
    await audit.append({ ...event, eventId: 'e4' });
    expect(headGets()).toHaveLength(2);
  });

  it('asks again for unprocessed keys, 100 keys a BatchGetItem, and reads the head of a key left unprocessed', async () => {
    const buckets = Array.from({ length: 150 }, (_, i) => `b${String(i).padStart(3, '0')}`);
    const key = (bucket: string) => ({ bucket, eventId: '#chain' });
    documents
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { t: [] }, UnprocessedKeys: { t: { Keys: [key('b001'), key('b002')] } } })
      .resolvesOnce({ Responses: { t: [{ ...head, bucket: 'b001' }] } })
      .resolvesOnce({ Responses: { t: [] }, UnprocessedKeys: { t: { Keys: [key('b100')] } } })
      .resolves({ Responses: { t: [] }, UnprocessedKeys: { t: { Keys: [key('b100')] } } });
    documents.on(GetCommand, markerKey).resolves(marker('2025-06-01'));
    documents.on(GetCommand, headKey('b100')).resolves({ Item: { ...head, bucket: 'b100', seq: 7 } });
    documents.on(TransactWriteCommand).resolves({});
    const audit = sink();
    audit.expect(buckets);
    await expect(audit.append(of('b001', 'e1'))).resolves.toMatchObject({ seq: 2 });
    const keyCounts = batchGets().map((input) => input.RequestItems!.t!.Keys!.length);
    // 100, its 2 unprocessed, 50, then the 1 left unprocessed asked 3 more times before giving up on it.
    expect(keyCounts).toEqual([100, 2, 50, 1, 1, 1]);
    expect(waits).toEqual([100, 100, 200, 400]);
    await expect(audit.append(of('b002', 'e1'))).resolves.toMatchObject({ seq: 1 });
    await expect(audit.append(of('b100', 'e1'))).resolves.toMatchObject({ seq: 8 });
    expect(headGets().map((call) => call.args[0].input.Key!.bucket)).toEqual(['b100']);
  });

  it('reads each head on its own when the batch read fails', async () => {
    documents
      .on(BatchGetCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    documents.on(GetCommand, headKey('b')).resolves({ Item: head });
    documents.on(TransactWriteCommand).resolves({});
    const audit = sink();
    audit.expect(['b']);
    await expect(audit.append(event)).resolves.toMatchObject({ seq: 2 });
    expect(headGets()).toHaveLength(1);
  });

  it('does not take a malformed head from the batch read for a head: it reads it', async () => {
    documents.on(BatchGetCommand).resolves({ Responses: { t: [{ ...head, seq: '1' }] } });
    documents.on(GetCommand, headKey('b')).resolves({ Item: head });
    documents.on(TransactWriteCommand).resolves({});
    const audit = sink();
    audit.expect(['b']);
    await expect(audit.append(event)).resolves.toMatchObject({ seq: 2 });
    expect(headGets()).toHaveLength(1);
  });

  it('reads the #history marker once: a new chain on or after the day it read needs no move', async () => {
    documents.on(GetCommand, markerKey).resolves(marker('2026-01-01'));
    documents.on(BatchGetCommand).resolves({ Responses: { t: [] } });
    documents.on(TransactWriteCommand).resolves({});
    const audit = sink();
    audit.expect(['b', 'c', 'd']);
    await audit.append(of('b', 'e1'));
    await audit.append(of('c', 'e1', '2026-01-05T00:00:00.000Z'));
    await audit.append(of('d', 'e1'));
    expect(markerGets()).toHaveLength(1);
    expect(transactions().map((input) => input.TransactItems)).toSatisfy((items: unknown[][]) =>
      items.every((list) => list.length === 2),
    );
  });

  it('still moves the marker back for a new chain older than the day it read, reading it again', async () => {
    documents.on(GetCommand, markerKey).resolvesOnce(marker('2026-01-01')).resolves(marker('2025-12-20'));
    documents.on(BatchGetCommand).resolves({ Responses: { t: [] } });
    documents.on(TransactWriteCommand).resolves({});
    const audit = sink();
    audit.expect(['b', 'c', 'd']);
    await audit.append(of('b', 'e1'));
    await audit.append(of('c', 'e1', '2025-12-01T10:00:00.000Z'));
    expect(markerGets()).toHaveLength(2);
    expect(transactions()[1]!.TransactItems![2]!.Put).toEqual({
      TableName: 't',
      Item: { bucket: '#history', eventId: '#start', day: '2025-12-01' },
      ConditionExpression: '#day = :read',
      ExpressionAttributeNames: { '#day': 'day' },
      ExpressionAttributeValues: { ':read': '2025-12-20' },
    });
    // Moved by this sink to 2025-12-01: a chain of 2025-12-10 needs no move, and no read.
    await audit.append(of('d', 'e1', '2025-12-10T00:00:00.000Z'));
    expect(markerGets()).toHaveLength(2);
    expect(transactions()[2]!.TransactItems).toHaveLength(2);
  });

  it('reads a missing marker again while it is not known, and knows it once read or put', async () => {
    documents.on(GetCommand, markerKey).resolvesOnce({}).resolvesOnce({}).resolves(marker('2025-11-30'));
    documents.on(GetCommand, headKey('b')).resolves({});
    documents.on(BatchGetCommand).resolves({ Responses: { t: [] } });
    documents
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'None', 'ConditionalCheckFailed'))
      .resolves({});
    const audit = sink();
    audit.expect(['b', 'c', 'd']);
    await audit.append(of('b', 'e1'));
    // Put if missing, refused (another writer put it first): read again (still missing here), put again.
    expect(markerGets()).toHaveLength(2);
    expect(transactions()[1]!.TransactItems![2]!.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(eventId)',
    });
    // Put by this sink: known, so a chain of the same day reads nothing.
    await audit.append(of('c', 'e1'));
    expect(markerGets()).toHaveLength(2);
    // An earlier day reads it (now 2025-11-30, earlier still): no move needed, and known from then on.
    await audit.append(of('d', 'e1', '2025-12-01T00:00:00.000Z'));
    expect(markerGets()).toHaveLength(3);
    expect(transactions()[3]!.TransactItems).toHaveLength(2);
  });
});
