import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoAuditSink } from '../../../../lib/adapters/aws/DynamoAuditSink.js';
import {
  DynamoIntentLog,
  INTENT_BATCH_MAX_PAGES,
  INTENT_BATCH_PAGE_ITEMS,
} from '../../../../lib/adapters/aws/DynamoIntentLog.js';
import { withEventId } from '../../../../lib/core/audit/eventId.js';
import type { Hold } from '../../../../lib/core/brake/types.js';
import { type ChangeIntent, intentOf } from '../../../../lib/core/reconcile/intents.js';
import { makeConfiguration } from '../../../helpers/factories.js';

const documents = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
beforeEach(() => documents.reset());

const HOLD: Hold = {
  since: '2026-12-06T14:00:00.000Z',
  reason: 'changes 101 of 100',
  counts: { changes: 100, deletes: 0 },
  requested: { changes: 1, deletes: 0 },
  limits: { maxChanges: 100, windowMinutes: 60 },
  bucket: 'elsewhere',
  runId: 'sweep-0',
  actor: 'reconcile',
};

function intent(bucket: string, id: string, recordedAt = '2026-12-06T15:00:00.000Z'): ChangeIntent {
  const event = withEventId(`create-configuration:${id}`, {
    time: recordedAt,
    runId: 'run-1',
    bucket,
    action: 'inventory-created',
    actor: 'worker',
    configId: id,
    after: makeConfiguration({ Id: id }),
  });
  return intentOf(event, `create-configuration:${id}`, recordedAt);
}

/** The item DynamoIntentLog writes for an intent, as a Query returns it. */
function itemOf(each: ChangeIntent): Record<string, unknown> {
  return {
    bucket: '#intent',
    id: `${each.bucket}#${each.intentId}`,
    runId: each.runId,
    subject: each.subject,
    recordedAt: each.recordedAt,
    event: JSON.stringify(each.event),
  };
}

function cancelled(...codes: string[]) {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

const NOW = Date.parse('2026-12-06T15:00:00.000Z');
const transactions = () => documents.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);

describe('DynamoIntentLog: the hold checked in the record (#18 point 4)', () => {
  const holdReads: number[] = [];
  const log = (hold: Hold | undefined) =>
    new DynamoIntentLog({
      client,
      tableName: 'state',
      now: () => NOW,
      hold: {
        currentHold: async () => {
          holdReads.push(1);
          return hold;
        },
      },
      sleep: async () => undefined,
    });
  beforeEach(() => {
    holdReads.length = 0;
  });

  it('records an intent with one TransactWriteItems: the hold item absent, and the intent put', async () => {
    documents.on(TransactWriteCommand).resolves({});
    const pending = intent('src', 'daily');

    expect(await log(undefined).record(pending)).toBeUndefined();

    expect(transactions()).toEqual([
      {
        TransactItems: [
          {
            ConditionCheck: {
              TableName: 'state',
              Key: { bucket: '#hold', id: 'current' },
              ConditionExpression: 'attribute_not_exists(#bucket)',
              ExpressionAttributeNames: { '#bucket': 'bucket' },
            },
          },
          {
            Put: {
              TableName: 'state',
              Item: { ...itemOf(pending), expiresAt: Math.ceil(NOW / 1000) + 30 * 86_400 },
            },
          },
        ],
      },
    ]);
    expect(documents.commandCalls(PutCommand)).toHaveLength(0);
    expect(holdReads).toEqual([]);
  });

  it('answers the hold, read once, when the check fails: nothing recorded', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));

    expect(await log(HOLD).record(intent('src', 'daily'))).toEqual({ held: HOLD });
    expect(transactions()).toHaveLength(1);
    expect(holdReads).toEqual([1]);
  });

  it('tries again when another transaction held an item, or the hold was lifted between check and read', async () => {
    documents
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('TransactionConflict', 'None'))
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'None'))
      .resolves({});

    expect(await log(undefined).record(intent('src', 'daily'))).toBeUndefined();
    expect(transactions()).toHaveLength(3);
  });

  it('gives up as retryable after its tries; any other refusal is thrown at once', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));
    await expect(log(undefined).record(intent('src', 'daily'))).rejects.toMatchObject({
      code: 'IntentContention',
      retryable: true,
    });
    expect(transactions()).toHaveLength(5);

    documents.reset();
    documents.on(TransactWriteCommand).rejects(cancelled('None', 'ValidationError'));
    await expect(log(undefined).record(intent('src', 'daily'))).rejects.toMatchObject({
      message: expect.stringContaining('TransactWriteItems state #intent/src#'),
    });
    expect(transactions()).toHaveLength(1);
  });

  it('abandons with a plain PutItem, never refused by a hold', async () => {
    documents.on(PutCommand).resolves({});
    await log(HOLD).abandon(intent('src', 'daily'));
    expect(documents.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ abandoned: true });
    expect(transactions()).toEqual([]);
  });

  it('without `hold` records with a PutItem and says it does not check the hold', async () => {
    documents.on(PutCommand).resolves({});
    const plain = new DynamoIntentLog({ client, tableName: 'state' });
    await plain.record(intent('src', 'daily'));
    expect(documents.commandCalls(PutCommand)).toHaveLength(1);
    expect(plain.checksHold).toBe(false);
    expect(plain.confirm).toBeUndefined();
    expect(log(undefined).checksHold).toBe(true);
  });
});

describe('DynamoIntentLog.confirm: the intent deleted in its change event’s transaction (#18 point 4)', () => {
  const audit = new DynamoAuditSink({ client, tableName: 'audit', sleep: async () => undefined });
  const log = new DynamoIntentLog({ client, tableName: 'state', audit });
  const pending = intent('src', 'daily');
  const head = { bucket: 'src', eventId: '#chain', seq: 1, hash: 'a'.repeat(64), headEventId: 'e1' };

  it('appends the event with the intent’s Delete as the last item of the same TransactWriteItems', async () => {
    documents.on(GetCommand).resolves({ Item: head });
    documents.on(TransactWriteCommand).resolves({});

    await log.confirm!(pending, pending.event);

    const [written] = transactions();
    expect(written!.TransactItems!.at(-1)).toEqual({
      Delete: { TableName: 'state', Key: { bucket: '#intent', id: `src#${pending.intentId}` } },
    });
    expect(written!.TransactItems![1]).toMatchObject({
      Put: { TableName: 'audit', Item: { eventId: pending.intentId, action: 'inventory-created' } },
    });
    expect(documents.commandCalls(DeleteCommand)).toHaveLength(0);
  });

  it('deletes the intent on its own when the event was recorded before (the transaction cancelled)', async () => {
    documents.on(GetCommand).resolves({ Item: head });
    documents.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed', 'None'));
    documents.on(DeleteCommand).resolves({});

    await log.confirm!(pending, pending.event);

    expect(documents.commandCalls(DeleteCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: 'state', Key: { bucket: '#intent', id: `src#${pending.intentId}` } },
    ]);
  });

  it('throws when the transaction fails otherwise: neither the event nor the removal happened', async () => {
    documents.on(GetCommand).resolves({ Item: head });
    documents.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'ValidationError'));

    await expect(log.confirm!(pending, pending.event)).rejects.toThrow(/TransactWriteItems audit/);
    expect(documents.commandCalls(DeleteCommand)).toHaveLength(0);
  });
});

describe('DynamoIntentLog.pendingOf: a batch’s intents in one Query (#18 point 4)', () => {
  const log = new DynamoIntentLog({ client, tableName: 'state' });

  it('reads the whole `#intent` partition once, consistently, and answers every bucket asked, by bucket', async () => {
    const a1 = intent('alpha', 'x', '2026-12-06T15:00:02.000Z');
    const a2 = intent('alpha', 'y', '2026-12-06T15:00:01.000Z');
    const other = intent('alpha-2', 'x');
    documents.on(QueryCommand).resolves({ Items: [a1, a2, other].map(itemOf) });

    const known = await log.pendingOf(['alpha', 'beta', 'alpha']);

    expect(documents.commandCalls(QueryCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: 'state',
        KeyConditionExpression: '#bucket = :intents',
        ExpressionAttributeNames: { '#bucket': 'bucket' },
        ExpressionAttributeValues: { ':intents': '#intent' },
        ConsistentRead: true,
        Limit: INTENT_BATCH_PAGE_ITEMS,
      },
    ]);
    expect(known).toEqual(
      new Map([
        ['alpha', [a2, a1]],
        ['beta', []],
      ]),
    );
  });

  it('stops at its bound: buckets whose intents may lie beyond where it stopped are left to read their own', async () => {
    const a = intent('alpha', 'x');
    const m = intent('mid', 'x');
    documents
      .on(QueryCommand)
      .resolvesOnce({ Items: [itemOf(a)], LastEvaluatedKey: { bucket: '#intent', id: itemOf(a).id } })
      .resolvesOnce({ Items: [itemOf(m)], LastEvaluatedKey: { bucket: '#intent', id: itemOf(m).id } })
      .resolves({ Items: [] });

    const known = await log.pendingOf(['alpha', 'beta', 'mid', 'zulu']);

    expect(documents.commandCalls(QueryCommand)).toHaveLength(INTENT_BATCH_MAX_PAGES);
    expect(documents.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toEqual({
      bucket: '#intent',
      id: itemOf(a).id,
    });
    // Read up to `mid#…`: alpha and beta are known in full; mid may have more, zulu is beyond.
    expect(known).toEqual(
      new Map([
        ['alpha', [a]],
        ['beta', []],
      ]),
    );
  });
});
