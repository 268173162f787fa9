import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { planAuditRead } from '../../../../lib/adapters/aws/auditReadPlan.js';
import { DynamoAuditReader } from '../../../../lib/adapters/aws/DynamoAuditReader.js';
import { reduceLargeFields } from '../../../../lib/core/audit/documentParts.js';
import {
  InvalidAuditQueryError,
  InvalidPageTokenError,
  UnboundedAuditQueryError,
} from '../../../../lib/core/audit/errors.js';
import { encodePageToken } from '../../../../lib/core/audit/pageToken.js';

const documents = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const NOW = new Date('2026-03-10T12:00:00.000Z');
const reader = new DynamoAuditReader({ client, tableName: 't', now: () => NOW });
beforeEach(() => documents.reset());

const item = (eventId: string, time: string, bucket = 'photos') => ({
  bucket,
  eventId,
  time,
  runId: 'r1',
  action: 'inventory-created',
  actor: 'a',
  timeKey: `${time}#${eventId}`,
  day: time.slice(0, 10),
});
const keyOf = (event: ReturnType<typeof item>) => ({
  bucket: event.bucket,
  eventId: event.eventId,
  timeKey: event.timeKey,
});
const queries = () => documents.commandCalls(QueryCommand).map((call) => call.args[0].input);
const live = '(attribute_not_exists(#expiresAt) OR #expiresAt > :now)';

describe('planAuditRead()', () => {
  const plan = (query: object) => planAuditRead(query, { tableName: 't', now: NOW });

  it('reads a run through byRun, filtering bucket and action', () => {
    expect(plan({ runId: 'r1', bucket: 'photos', action: 'inventory-created' })).toMatchObject({
      kind: 'query',
      input: {
        IndexName: 'byRun',
        KeyConditionExpression: '#key = :key',
        FilterExpression: `#f0 = :f0 AND #f1 = :f1 AND ${live}`,
        ExpressionAttributeNames: { '#key': 'runId', '#f0': 'action', '#f1': 'bucket' },
        ExpressionAttributeValues: {
          ':key': 'r1',
          ':f0': 'inventory-created',
          ':f1': 'photos',
          ':now': NOW.getTime() / 1000,
        },
        ScanIndexForward: false,
      },
    });
  });

  it('reads a bucket through byTime and an action through byAction, the span as a key condition', () => {
    expect(plan({ bucket: 'photos', since: '2026-03-01T00:00:00.000Z' })).toMatchObject({
      input: { IndexName: 'byTime', KeyConditionExpression: '#key = :key AND #timeKey >= :since' },
    });
    expect(plan({ action: 'inventory-deleted', until: '2026-03-01T00:00:00.000Z' })).toMatchObject({
      input: {
        IndexName: 'byAction',
        KeyConditionExpression: '#key = :key AND #timeKey <= :until',
        ExpressionAttributeValues: { ':key': 'inventory-deleted', ':until': '2026-03-01T00:00:00.000Z~' },
      },
    });
  });

  it('reads any span, or no filter at all, day by day through byDay, newest day first: never a Scan', () => {
    const days = plan({ since: '2026-03-08T00:00:00.000Z' });
    expect(days).toMatchObject({ kind: 'days', newest: '2026-03-10', oldest: '2026-03-08' });
    if (days.kind !== 'days') throw new Error('days');
    expect(days.inputFor('2026-03-09')).toMatchObject({
      IndexName: 'byDay',
      KeyConditionExpression: '#key = :key AND #timeKey >= :since',
      ExpressionAttributeValues: { ':key': '2026-03-09' },
    });
    expect(plan({ since: '2020-01-01T00:00:00.000Z' })).toMatchObject({ kind: 'days', oldest: '2020-01-01' });
    const all = plan({});
    expect(all).toMatchObject({ kind: 'days', newest: '2026-03-10' });
    expect(all).not.toHaveProperty('oldest');
    expect(plan({ until: '2026-02-01T10:00:00.000Z' })).toMatchObject({ kind: 'days', newest: '2026-02-01' });
  });

  it('refuses an action with a bucket and no since (no index serves both), and reads it with since', () => {
    expect(() => plan({ bucket: 'photos', action: 'inventory-created' })).toThrow(UnboundedAuditQueryError);
    expect(() => plan({ bucket: 'photos', action: 'inventory-created' })).toThrow(
      "action with bucket: no index serves both, so bucket's whole history would be read to filter it; give since as well",
    );
    expect(
      plan({ bucket: 'photos', action: 'inventory-created', since: '2026-03-01T00:00:00.000Z' }),
    ).toMatchObject({
      input: {
        IndexName: 'byTime',
        KeyConditionExpression: '#key = :key AND #timeKey >= :since',
        FilterExpression: `#f0 = :f0 AND ${live}`,
      },
    });
  });
});

describe('DynamoAuditReader.page()', () => {
  const e3 = item('e3', '2026-03-03T00:00:00.000Z');
  const e2 = item('e2', '2026-03-02T00:00:00.000Z');
  const e1 = item('e1', '2026-03-01T00:00:00.000Z');

  it('asks for only what is left of the page, and hands out a token that continues there', async () => {
    documents
      .on(QueryCommand)
      .resolvesOnce({ Items: [e3], LastEvaluatedKey: keyOf(e3) }) // a filtered page came back short
      .resolvesOnce({ Items: [e2], LastEvaluatedKey: keyOf(e2) })
      .resolvesOnce({ Items: [e1] });
    const first = await reader.page({ bucket: 'photos' }, { limit: 2 });
    expect(first.events.map((event) => event.eventId)).toEqual(['e3', 'e2']);
    expect(first.events[0]).toEqual({ ...e3, timeKey: undefined, day: undefined }); // index keys dropped
    expect(first.next).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await reader.page({ bucket: 'photos' }, { limit: 2, next: first.next! });
    expect(second).toEqual({ events: [expect.objectContaining({ eventId: 'e1' })] });
    expect(queries().map((input) => [input.IndexName, input.Limit, input.ExclusiveStartKey])).toEqual([
      ['byTime', 2, undefined],
      ['byTime', 1, keyOf(e3)],
      ['byTime', 2, keyOf(e2)],
    ]);
  });

  it('refuses a limit out of range, and tokens of other queries or forged positions', async () => {
    await expect(reader.page({}, { limit: 0 })).rejects.toThrow(InvalidAuditQueryError);
    await expect(reader.page({}, { limit: 1001 })).rejects.toThrow(
      'limit must be a whole number from 1 to 1000',
    );
    const other = encodePageToken({ bucket: 'logs' }, { key: keyOf(e3) });
    await expect(reader.page({ bucket: 'photos' }, { limit: 2, next: other })).rejects.toThrow(
      /handed out for another query/,
    );
    const forged = encodePageToken({ bucket: 'photos' }, { key: { ...keyOf(e3), bucket: 'logs' } });
    await expect(reader.page({ bucket: 'photos' }, { limit: 2, next: forged })).rejects.toThrow(
      "its position does not belong to this query's index",
    );
    const day = encodePageToken({ bucket: 'photos' }, { day: '2026-03-01' });
    await expect(reader.page({ bucket: 'photos' }, { limit: 2, next: day })).rejects.toThrow(
      InvalidPageTokenError,
    );
    const after = encodePageToken({ bucket: 'photos' }, { after: ['t', 'b'] });
    await expect(reader.page({ bucket: 'photos' }, { limit: 2, next: after })).rejects.toThrow(
      InvalidPageTokenError,
    );
    const outside = encodePageToken({ since: '2026-03-09' }, { day: '2026-01-01' });
    await expect(reader.page({ since: '2026-03-09' }, { limit: 2, next: outside })).rejects.toThrow(
      'its day 2026-01-01 is outside',
    );
    expect(queries()).toEqual([]);
  });

  it('pages across days, the token naming the day and the position in it', async () => {
    const d10 = item('d10', '2026-03-10T01:00:00.000Z');
    const d9a = item('d9a', '2026-03-09T02:00:00.000Z');
    const d9b = item('d9b', '2026-03-09T01:00:00.000Z');
    const byDay = (day: string) =>
      queries().filter((input) => input.ExpressionAttributeValues?.[':key'] === day);
    documents
      .on(QueryCommand)
      .resolvesOnce({ Items: [d10] })
      .resolvesOnce({ Items: [d9a], LastEvaluatedKey: { ...keyOf(d9a), day: '2026-03-09' } })
      .resolvesOnce({ Items: [d9b] })
      .resolves({ Items: [] });
    const query = { since: '2026-03-09T00:00:00.000Z' };
    const first = await reader.page(query, { limit: 2 });
    expect(first.events.map((event) => event.eventId)).toEqual(['d10', 'd9a']);
    const second = await reader.page(query, { limit: 2, next: first.next! });
    expect(second.events.map((event) => event.eventId)).toEqual(['d9b']);
    expect(second.next).toBeUndefined();
    expect(byDay('2026-03-09').map((input) => [input.Limit, input.ExclusiveStartKey])).toEqual([
      [1, undefined],
      [2, { ...keyOf(d9a), day: '2026-03-09' }],
    ]);
  });

  it('hands out a token for the next day when a page ends with a day', async () => {
    documents
      .on(QueryCommand)
      .resolvesOnce({ Items: [item('x', '2026-03-10T01:00:00.000Z')] })
      .resolves({ Items: [] });
    const query = { since: '2026-03-09T00:00:00.000Z' };
    const first = await reader.page(query, { limit: 1 });
    const second = await reader.page(query, { limit: 1, next: first.next! });
    expect(second).toEqual({ events: [] });
    expect(queries().map((input) => input.ExpressionAttributeValues?.[':key'])).toEqual([
      '2026-03-10',
      '2026-03-09',
    ]);
  });

  it('walks byDay back to the day before the #history marker without a Scan, two days a page, then says no more', async () => {
    const d10 = item('d10', '2026-03-10T01:00:00.000Z');
    const d8 = item('d8', '2026-03-08T01:00:00.000Z');
    documents
      .on(GetCommand)
      .resolves({ Item: { bucket: '#history', eventId: '#start', day: '2026-03-08' } })
      .on(QueryCommand)
      .callsFake((input) => ({
        Items:
          { '2026-03-10': [d10], '2026-03-08': [d8] }[input.ExpressionAttributeValues[':key'] as string] ??
          [],
      }));
    const first = await reader.page({}, { limit: 10 });
    expect(first.events).toEqual([expect.objectContaining({ eventId: 'd10' })]);
    expect(first.next).toBeDefined();
    // Issue 16: a page reads at most 2 DynamoDB pages, however thin the days are.
    expect(queries()).toHaveLength(2);
    const second = await reader.page({}, { limit: 10, next: first.next! });
    expect(second).toEqual({ events: [expect.objectContaining({ eventId: 'd8' })] });
    expect(queries().map((input) => [input.IndexName, input.ExpressionAttributeValues?.[':key']])).toEqual([
      ['byDay', '2026-03-10'],
      ['byDay', '2026-03-09'],
      ['byDay', '2026-03-08'],
      ['byDay', '2026-03-07'],
    ]);
    expect(documents.commandCalls(ScanCommand)).toEqual([]);
    expect(documents.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({
      bucket: '#history',
      eventId: '#start',
    });
  });

  it('reads no #history marker for a page its newest day fills', async () => {
    documents
      .on(QueryCommand)
      .resolves({ Items: [item('a', '2026-03-10T02:00:00.000Z'), item('b', '2026-03-10T01:00:00.000Z')] });
    const page = await reader.page({}, { limit: 2 });
    expect(page.events).toHaveLength(2);
    expect(page.next).toBeDefined();
    expect(documents.commandCalls(GetCommand)).toEqual([]);
  });

  it('reads at most maxDaysPerPage days for one page, and continues with the next day', async () => {
    const short = new DynamoAuditReader({ client, tableName: 't', now: () => NOW, maxDaysPerPage: 2 });
    documents
      .on(GetCommand)
      .resolves({ Item: { bucket: '#history', eventId: '#start', day: '2026-01-01' } })
      .on(QueryCommand)
      .resolves({ Items: [] });
    const first = await short.page({}, { limit: 5 });
    expect(first.events).toEqual([]);
    expect(first.next).toBeDefined();
    await short.page({}, { limit: 5, next: first.next! });
    expect(queries().map((input) => input.ExpressionAttributeValues?.[':key'])).toEqual([
      '2026-03-10',
      '2026-03-09',
      '2026-03-08',
      '2026-03-07',
    ]);
  });

  it('reads only the newest day when the table has no #history marker (no chain was created)', async () => {
    documents.on(GetCommand).resolves({}).on(QueryCommand).resolves({ Items: [] });
    expect(await reader.query({})).toEqual([]);
    expect(queries().map((input) => input.ExpressionAttributeValues?.[':key'])).toEqual(['2026-03-10']);
  });

  it('puts documents stored in parts back whole', async () => {
    const after = { policy: 'p'.repeat(1_000) };
    const { event, parts } = reduceLargeFields({ ...e1, after }, { limit: 600, partBytes: 400 });
    documents
      .on(QueryCommand, { IndexName: 'byRun' })
      .resolves({ Items: [event] })
      .on(QueryCommand, { KeyConditionExpression: '#bucket = :bucket AND begins_with(#eventId, :prefix)' })
      .resolves({ Items: parts });
    const events = await reader.query({ runId: 'r1' });
    expect(events).toEqual([{ ...e1, timeKey: undefined, day: undefined, after }]);
    expect(queries()[1]).toMatchObject({
      ExpressionAttributeValues: { ':bucket': 'photos', ':prefix': '#doc#e1#' },
      ConsistentRead: true,
    });
  });
});
