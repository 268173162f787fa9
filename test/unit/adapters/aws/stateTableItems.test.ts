import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoAlertOutbox } from '../../../../lib/adapters/aws/DynamoAlertOutbox.js';
import { DynamoDeliveryStatusStore } from '../../../../lib/adapters/aws/DynamoDeliveryStatusStore.js';
import { DynamoPolicyLease } from '../../../../lib/adapters/aws/DynamoPolicyLease.js';
import { DynamoStatusStore } from '../../../../lib/adapters/aws/DynamoStatusStore.js';
import {
  DELIVERY_ATTRIBUTES,
  LEASE_ATTRIBUTES,
  OUTBOX_ATTRIBUTES,
  STATUS_ATTRIBUTES,
} from '../../../../lib/adapters/aws/stateTableLayout.js';

// The adapters write exactly the attributes the layout declares for each kind.
const documents = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const options = { client, tableName: 'state' };
beforeEach(() => documents.reset());

const sorted = (names: readonly string[]) => [...names].sort();
const updatedNames = () => {
  const input = documents.commandCalls(UpdateCommand)[0]?.args[0].input;
  return sorted([...Object.values(input?.ExpressionAttributeNames ?? {}), ...Object.keys(input?.Key ?? {})]);
};

describe('state table items as the adapters write them', () => {
  it('a status write touches exactly STATUS_ATTRIBUTES', async () => {
    documents.on(UpdateCommand).resolves({});
    await new DynamoStatusStore(options).put({
      bucket: 'photos',
      state: 'drifted',
      since: '2026-01-01T00:00:00.000Z',
      conditions: {},
      runId: 'run-1',
      version: 2,
    });
    expect(updatedNames()).toEqual(sorted(STATUS_ATTRIBUTES));
  });

  it('a delivery write touches exactly DELIVERY_ATTRIBUTES', async () => {
    documents.on(UpdateCommand).resolves({});
    await new DynamoDeliveryStatusStore(options).put({
      bucket: 'photos',
      configurations: {},
      runId: 'r',
      version: 1,
    });
    expect(updatedNames()).toEqual(sorted(DELIVERY_ATTRIBUTES));
  });

  it('an outbox item and a lease item hold exactly their declared attributes', async () => {
    documents.on(PutCommand).resolves({});
    await new DynamoAlertOutbox(options).put({
      id: 'a1',
      createdAt: '2026-01-01T00:00:00.000Z',
      alert: {
        subject: 's',
        message: 'm',
        attributes: { eventType: 'drift-detected', bucket: 'photos', severity: 'warning' },
      },
    } as never);
    await new DynamoPolicyLease({ ...options, now: () => 0 }).tryAcquire('bucket-policy:dest', 'run-1');
    const [outbox, lease] = documents
      .commandCalls(PutCommand)
      .map((call) => sorted(Object.keys(call.args[0].input.Item ?? {})));
    expect(outbox).toEqual(sorted(OUTBOX_ATTRIBUTES));
    expect(lease).toEqual(sorted(LEASE_ATTRIBUTES));
  });
});
