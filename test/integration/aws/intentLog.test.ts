import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { DynamoIntentLog, INTENT_RETENTION_DAYS } from '../../../lib/adapters/aws/DynamoIntentLog.js';
import { INTENT_PARTITION, intentKey } from '../../../lib/adapters/aws/stateTableLayout.js';
import { withEventId } from '../../../lib/core/audit/eventId.js';
import { type ChangeIntent, intentOf } from '../../../lib/core/reconcile/intents.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { documentClient, localNames } from '../service/serviceLocal.js';
import { localFactory, uniqueBucket } from './localFactory.js';

const factories: ClientFactory[] = [];
afterAll(() => Promise.all(factories.map((factory) => factory.destroy())));

async function log(now?: () => number) {
  const factory = localFactory();
  factories.push(factory);
  const client = await documentClient(factory);
  const tableName = localNames().stateTable;
  return { client, tableName, intents: new DynamoIntentLog({ client, tableName, ...(now && { now }) }) };
}

function intent(bucket: string, id: string, recordedAt: string): ChangeIntent {
  const event = withEventId(`create-configuration:${id}`, {
    time: recordedAt,
    runId: 'run-1',
    bucket,
    action: 'inventory-created',
    actor: 'worker',
    configId: id,
    after: makeConfiguration({ Id: id, OptionalFields: ['Size', 'ETag'] }),
  });
  return intentOf(event, `create-configuration:${id}`, recordedAt);
}

describe('DynamoIntentLog on the local AWS (the state table)', () => {
  it('keeps an intent as a `#intent` item until it is completed, its event exactly as recorded, abandoned or not', async () => {
    const now = Date.parse('2030-01-01T00:00:00.400Z');
    const { client, tableName, intents } = await log(() => now);
    const bucket = uniqueBucket('intent');
    const pending = intent(bucket, 'daily', '2030-01-01T00:00:00.000Z');

    await intents.record(pending);
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: intentKey(bucket, pending.intentId),
        ConsistentRead: true,
      }),
    );

    expect(Item).toMatchObject({
      bucket: INTENT_PARTITION,
      id: `${bucket}#${pending.intentId}`,
      runId: 'run-1',
    });
    expect(Item!.expiresAt).toBe(Math.ceil(now / 1000) + INTENT_RETENTION_DAYS * 86_400);
    expect(await intents.pending(bucket)).toEqual([pending]);
    await intents.abandon(pending);
    expect(await intents.pending(bucket)).toEqual([{ ...pending, abandoned: true }]);
    await intents.complete(pending);
    expect(await intents.pending(bucket)).toEqual([]);
  });

  it('reads one bucket’s intents only, oldest first, and drops items that are not intents of that bucket', async () => {
    const { client, tableName, intents } = await log();
    const bucket = uniqueBucket('intent');
    const later = intent(bucket, 'b', '2030-01-01T00:00:02.000Z');
    const earlier = intent(bucket, 'a', '2030-01-01T00:00:01.000Z');
    // A bucket whose name starts with this one's: its intents are not this bucket's.
    const longer = intent(`${bucket}x`, 'a', '2030-01-01T00:00:00.000Z');
    for (const each of [later, earlier, longer]) await intents.record(each);
    const forged = { ...intent(`${uniqueBucket('other')}`, 'c', '2030-01-01T00:00:00.000Z') };
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...intentKey(bucket, forged.intentId),
          runId: 'run-1',
          subject: forged.subject,
          recordedAt: forged.recordedAt,
          event: JSON.stringify(forged.event),
        },
      }),
    );
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...intentKey(bucket, 'not-json'), runId: 'run-1', subject: 's', recordedAt: 'x', event: '{' },
      }),
    );

    expect((await intents.pending(bucket)).map((each) => each.event.configId)).toEqual(['a', 'b']);
  });
});
