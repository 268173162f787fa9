import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditReader } from '../../../lib/adapters/aws/DynamoAuditReader.js';
import { DynamoAuditSink } from '../../../lib/adapters/aws/DynamoAuditSink.js';
import { queryAllItems } from '../../../lib/adapters/aws/readAllItems.js';
import { verifyAuditTable } from '../../../lib/adapters/aws/verifyAuditTable.js';
import { desiredChangeEvent } from '../../../lib/core/audit/desiredChangeEvent.js';
import { estimateItemBytes } from '../../../lib/core/audit/documentParts.js';
import type { AuditEvent } from '../../../lib/core/audit/types.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { type AuditTestTable, auditTestTable } from './auditTestTable.js';
import { uniqueBucket } from './localFactory.js';

let table: AuditTestTable;
let sink: DynamoAuditSink;
beforeAll(async () => {
  table = await auditTestTable();
  sink = new DynamoAuditSink({ client: table.documents, tableName: table.tableName });
});
afterAll(() => table?.close());

const event = (bucket: string, i: number, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  eventId: `${bucket}-e${String(i).padStart(2, '0')}`,
  time: `2026-04-${String(10 + (i % 5)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00.000Z`,
  runId: `run-${bucket}`,
  bucket,
  action: 'inventory-updated',
  actor: 'tester',
  message: `change ${i}`,
  ...extra,
});

/** Every item of a bucket's partition (events, head, parts), every page. */
function partition(bucket: string): Promise<Record<string, unknown>[]> {
  return queryAllItems(table.documents, {
    TableName: table.tableName,
    KeyConditionExpression: '#b = :b',
    ExpressionAttributeNames: { '#b': 'bucket' },
    ExpressionAttributeValues: { ':b': bucket },
    ConsistentRead: true,
  });
}
const verify = (buckets: string[], now?: Date) =>
  verifyAuditTable({
    client: table.documents,
    tableName: table.tableName,
    buckets,
    ...(now !== undefined && { now: () => now }),
  });

describe('DynamoAuditSink on the local AWS', () => {
  it("chains a bucket's events (seq, prevHash) under a head, and records a retried event only once", async () => {
    const bucket = uniqueBucket('chain');
    const stored = [];
    for (let i = 1; i <= 3; i++) stored.push(await sink.append(event(bucket, i)));
    expect(stored.map((e) => e?.seq)).toEqual([1, 2, 3]);
    expect(stored[1]!.prevHash).toBe(stored[0]!.hash);
    expect(stored[2]!.prevHash).toBe(stored[1]!.hash);
    expect(await sink.append({ ...event(bucket, 2), message: 'a retried worker' })).toBeUndefined();
    const items = await partition(bucket);
    expect(items.map((item) => item.eventId)).toEqual([
      '#chain',
      `${bucket}-e01`,
      `${bucket}-e02`,
      `${bucket}-e03`,
    ]);
    expect(items[0]).toEqual({
      bucket,
      eventId: '#chain',
      seq: 3,
      hash: stored[2]!.hash,
      headEventId: `${bucket}-e03`,
      // The head index of audit anchors (lib/adapters/aws/DynamoChainHeadIndex.ts).
      chainIndex: 'heads',
      headTime: stored[2]!.time,
    });
    expect(items[2]).toMatchObject({ message: 'change 2', seq: 2 });
    expect(await verify([bucket])).toEqual({ intact: true, chains: 1, events: 3, breaks: [] });
  });

  it('serializes 20 concurrent writers from 4 sinks on one chain: seq 1..20, intact', async () => {
    const bucket = uniqueBucket('race');
    const sinks = Array.from(
      { length: 4 },
      () =>
        new DynamoAuditSink({
          client: table.newDocumentClient(),
          tableName: table.tableName,
          // 20 writers on one chain at once is far more than production sees (one worker per bucket,
          // plus the odd desired-state change): room to retry, so the test checks serialization only.
          maxAttempts: 40,
        }),
    );
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sinks[i % 4]!.append(event(bucket, i + 1))),
    );
    expect(results.map((result) => result?.seq).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const items = await partition(bucket);
    expect(items.filter((item) => item.eventId !== '#chain')).toHaveLength(20);
    expect(items.find((item) => item.eventId === '#chain')).toMatchObject({ seq: 20 });
    expect(await verify([bucket])).toEqual({ intact: true, chains: 1, events: 20, breaks: [] });
  }, 120_000);

  it('two sinks that guess heads (their own writes, a batch read) take turns, then race, on one chain: seq 1..20, intact', async () => {
    const bucket = uniqueBucket('guess');
    const sinks = [0, 1].map(
      () =>
        new DynamoAuditSink({
          client: table.newDocumentClient(),
          tableName: table.tableName,
          maxAttempts: 40,
        }),
    );
    for (const each of sinks) each.expect([bucket]);
    // Taking turns: from the second event on, each sink's guess is the head it wrote before the other's.
    const turns = [];
    for (let i = 1; i <= 10; i++) turns.push(await sinks[i % 2]!.append(event(bucket, i)));
    expect(turns.map((stored) => stored?.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const raced = await Promise.all(
      Array.from({ length: 10 }, (_, i) => sinks[i % 2]!.append(event(bucket, 11 + i))),
    );
    expect(raced.map((stored) => stored?.seq).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 10 }, (_, i) => 11 + i),
    );
    // A retried event under a guessed head is still refused as a duplicate.
    expect(await sinks[0]!.append(event(bucket, 7))).toBeUndefined();
    expect(await verify([bucket])).toEqual({ intact: true, chains: 1, events: 20, breaks: [] });
    const { Item } = await table.documents.send(
      new GetCommand({ TableName: table.tableName, Key: { bucket: '#history', eventId: '#start' } }),
    );
    // The day of the chain's first event (event 1: April 11th), as the first writer put it.
    expect(Item).toEqual({ bucket: '#history', eventId: '#start', day: '2026-04-11' });
  }, 120_000);

  it('appends each event of a batch of new chains in one TransactWriteItems, after one BatchGetItem', async () => {
    const buckets = Array.from({ length: 5 }, () => uniqueBucket('batch'));
    const sent: string[] = [];
    const documents = table.newDocumentClient();
    const counting = new DynamoAuditSink({
      client: {
        send: ((command: { constructor: { name: string } }) => {
          sent.push(command.constructor.name);
          return documents.send(command as never);
        }) as typeof documents.send,
      },
      tableName: table.tableName,
    });
    counting.expect(buckets);
    for (const bucket of buckets) {
      await counting.append(event(bucket, 1));
      await counting.append(event(bucket, 2));
    }
    // The marker is read once (the first new chain); its day is earlier than these events', so no move.
    expect(sent).toEqual([
      'BatchGetCommand',
      'GetCommand',
      ...Array.from({ length: 10 }, () => 'TransactWriteCommand'),
    ]);
    expect(await verify(buckets)).toEqual({ intact: true, chains: 5, events: 10, breaks: [] });
  });

  it('stores an event over 400 KB with its documents in parts, and reads it back whole', async () => {
    const bucket = uniqueBucket('huge');
    // The desired-state-changed event of a huge desired item: two ~500 KB images.
    const configuration = makeConfiguration({ Id: 'big' });
    const notes = (tag: string) =>
      Array.from({ length: 6_000 }, (_, i) => `${tag} note ${i} ${'é'.repeat(40)}`);
    const change = desiredChangeEvent({
      changeId: uniqueBucket('stream'),
      eventName: 'MODIFY',
      bucket,
      id: 'big',
      oldImage: { bucket, id: 'big', configuration, notes: notes('old') },
      newImage: { bucket, id: 'big', configuration, notes: notes('new') },
      time: '2026-04-20T10:00:00.000Z',
    });
    expect(estimateItemBytes(change as unknown as Record<string, unknown>)).toBeGreaterThan(1_000_000);
    const stored = await sink.append(change);
    expect(stored?.before).toMatchObject({
      s3irDocument: { parts: 2, pointer: `${bucket}/#doc#${change.eventId}#before` },
    });
    const items = await partition(bucket);
    expect(items.map((item) => String(item.eventId).replace(change.eventId, 'ID')).sort()).toEqual([
      '#chain',
      '#doc#ID#after#0',
      '#doc#ID#after#1',
      '#doc#ID#before#0',
      '#doc#ID#before#1',
      'ID',
    ]);
    for (const item of items) expect(estimateItemBytes(item)).toBeLessThan(400_000);
    const reader = new DynamoAuditReader({ client: table.documents, tableName: table.tableName });
    const [read] = await reader.query({ bucket });
    expect(read).toEqual({ ...change, seq: 1, prevHash: stored!.prevHash, hash: stored!.hash });
    expect(await verify([bucket])).toMatchObject({ intact: true, events: 1 });
    // A forged part is caught by the document's digest.
    await table.documents.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { bucket, eventId: `#doc#${change.eventId}#after#1` },
        UpdateExpression: 'SET #data = :data',
        ExpressionAttributeNames: { '#data': 'data' },
        ExpressionAttributeValues: { ':data': 'x' },
      }),
    );
    expect((await verify([bucket])).breaks).toEqual([
      expect.objectContaining({
        eventId: change.eventId,
        reason: expect.stringContaining('document "after"'),
      }),
    ]);
  }, 60_000);

  it('finds a tampered event, a deleted one and a stray one in the real table', async () => {
    const [tampered, gap] = [uniqueBucket('tampered'), uniqueBucket('gap')];
    for (let i = 1; i <= 3; i++) {
      await sink.append(event(tampered, i));
      await sink.append(event(gap, i));
    }
    await table.documents.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { bucket: tampered, eventId: `${tampered}-e02` },
        UpdateExpression: 'SET message = :m',
        ExpressionAttributeValues: { ':m': 'nothing happened' },
      }),
    );
    await table.documents.send(
      new DeleteCommand({ TableName: table.tableName, Key: { bucket: gap, eventId: `${gap}-e02` } }),
    );
    const report = await verify([tampered, gap]);
    expect(report).toMatchObject({ intact: false, chains: 2, events: 5 });
    expect(report.breaks).toEqual(
      [
        {
          kind: 'event-changed',
          bucket: tampered,
          eventId: `${tampered}-e02`,
          seq: 2,
          reason: 'hash does not match its content',
        },
        {
          kind: 'events-missing',
          bucket: gap,
          eventId: `${gap}-e03`,
          seq: 3,
          reason: 'seq 2 is missing (deleted before it expired): the chain goes from seq 1 to seq 3',
        },
      ]
        .map((found) => ({ ...found, time: expect.any(String) }))
        .sort((a, b) => (a.bucket < b.bucket ? -1 : 1)),
    );
  });
});

describe('audit retention on the local AWS', () => {
  it('sets expiresAt, hides expired events from every read, and verify accepts what TTL removed', async () => {
    const bucket = uniqueBucket('ttl');
    const retained = new DynamoAuditSink({
      client: table.documents,
      tableName: table.tableName,
      retentionDays: 30,
    });
    const old = [1, 2, 3].map((i) => event(bucket, i, { time: `2020-01-0${i}T00:00:00.000Z` }));
    const recent = event(bucket, 4, { time: new Date().toISOString() });
    for (const e of [...old, recent]) await retained.append(e);
    const head = (
      await table.documents.send(
        new GetCommand({
          TableName: table.tableName,
          Key: { bucket, eventId: '#chain' },
          ConsistentRead: true,
        }),
      )
    ).Item;
    expect(head).not.toHaveProperty('expiresAt');
    const reader = new DynamoAuditReader({ client: table.documents, tableName: table.tableName });
    expect((await reader.query({ bucket })).map((e) => e.eventId)).toEqual([recent.eventId]);
    expect((await reader.query({ runId: `run-${bucket}` })).map((e) => e.eventId)).toEqual([recent.eventId]);
    expect((await reader.page({ bucket }, { limit: 10 })).events.map((e) => e.eventId)).toEqual([
      recent.eventId,
    ]);
    expect(await verify([bucket])).toMatchObject({ intact: true, events: 4 });
    // TTL deletes lazily and in any order: the 1st and 3rd expired events go first.
    for (const gone of [old[0]!, old[2]!])
      await table.documents.send(
        new DeleteCommand({ TableName: table.tableName, Key: { bucket, eventId: gone.eventId } }),
      );
    expect(await verify([bucket])).toMatchObject({ intact: true, events: 2 });
    // Deleting the live event is not TTL's doing.
    await table.documents.send(
      new DeleteCommand({ TableName: table.tableName, Key: { bucket, eventId: recent.eventId } }),
    );
    expect((await verify([bucket])).breaks).toEqual([
      expect.objectContaining({ reason: 'events after seq 2 are missing: the chain head is at seq 4' }),
    ]);
  });
});
