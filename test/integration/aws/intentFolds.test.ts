import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditSink } from '../../../lib/adapters/aws/DynamoAuditSink.js';
import { DynamoChangeWindow } from '../../../lib/adapters/aws/DynamoChangeWindow.js';
import { DynamoIntentLog } from '../../../lib/adapters/aws/DynamoIntentLog.js';
import { intentKey } from '../../../lib/adapters/aws/stateTableLayout.js';
import { withEventId } from '../../../lib/core/audit/eventId.js';
import type { Hold } from '../../../lib/core/brake/types.js';
import { type ChangeIntent, intentOf } from '../../../lib/core/reconcile/intents.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { localNames } from '../service/serviceLocal.js';
import { stateTestTable } from './desiredTestTable.js';
import { localEndpoint, uniqueBucket } from './localFactory.js';

/**
 * #18 point 4 on DynamoDB Local, in a state table of this file's own (so the `#intent` partition and the hold
 * are this file's): the record's transaction with the hold check, the event's transaction deleting the intent
 * (across the audit and state tables), and a batch's intents in one Query.
 */
let state: Awaited<ReturnType<typeof stateTestTable>>;
beforeAll(async () => {
  state = await stateTestTable(localEndpoint());
});
afterAll(() => state?.destroy());

function intent(bucket: string, id: string, recordedAt = '2030-01-01T00:00:00.000Z'): ChangeIntent {
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

const HOLD: Hold = {
  since: '2030-01-01T00:00:00.000Z',
  reason: 'the test put it',
  counts: { changes: 3, deletes: 0 },
  requested: { changes: 1, deletes: 0 },
  limits: { maxChanges: 3, windowMinutes: 60 },
  bucket: 'elsewhere',
  runId: 'run-0',
  actor: 'another-writer',
};

describe('DynamoIntentLog folds on the local AWS', () => {
  it('records while no hold is in force, answers the hold once one is, and reads a batch’s intents at once', async () => {
    const client = state.documents;
    const window = new DynamoChangeWindow({ client, tableName: state.tableName });
    const log = new DynamoIntentLog({ client, tableName: state.tableName, hold: window });
    const [a, b] = [uniqueBucket('fold-a'), uniqueBucket('fold-b')];
    const first = intent(a, 'x');

    expect(await log.record(first)).toBeUndefined();
    expect(await window.startHold(HOLD)).toBe(true);
    expect(await log.record(intent(b, 'y'))).toEqual({ held: HOLD });

    const known = await log.pendingOf([a, b]);
    expect(known).toEqual(
      new Map([
        [a, [first]],
        [b, []],
      ]),
    );
    await window.release(60, Date.now());
  });

  it('deletes the intent in its change event’s transaction, and on its own when the event was recorded before', async () => {
    const client = state.documents;
    const audit = new DynamoAuditSink({ client, tableName: localNames().auditTable });
    const log = new DynamoIntentLog({ client, tableName: state.tableName, audit });
    const bucket = uniqueBucket('fold-confirm');
    const made = intent(bucket, 'daily');
    const item = async () =>
      (
        await client.send(
          new GetCommand({
            TableName: state.tableName,
            Key: intentKey(bucket, made.intentId),
            ConsistentRead: true,
          }),
        )
      ).Item;

    await log.record(made);
    await log.confirm!(made, made.event);
    expect(await item()).toBeUndefined();
    const { Item: event } = await client.send(
      new GetCommand({
        TableName: localNames().auditTable,
        Key: { bucket, eventId: made.intentId },
        ConsistentRead: true,
      }),
    );
    expect(event).toMatchObject({ action: 'inventory-created', seq: 1 });

    // A reconcile resolving the same intent again: the event is a duplicate, the intent still goes.
    await log.record(made);
    await log.confirm!(made, made.event);
    expect(await item()).toBeUndefined();
  });
});
