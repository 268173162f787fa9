import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DesiredConflictError, DynamoDesiredStore } from '../../../../lib/adapters/aws/DynamoDesiredStore.js';
import { SqsReconcileQueue } from '../../../../lib/adapters/aws/SqsReconcileQueue.js';
import { TEMPLATES_PARTITION } from '../../../../lib/core/desired/desiredTableLayout.js';
import { makeConfiguration } from '../../../helpers/factories.js';

const documents = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
beforeEach(() => {
  documents.reset();
  sqs.reset();
});

describe('DynamoDesiredStore', () => {
  const store = (options = {}) => new DynamoDesiredStore({ client, tableName: 't', ...options });
  const template = (name: string, id: string) => ({
    bucket: TEMPLATES_PARTITION,
    id: name,
    template: { name, match: { names: ['src'] }, inventories: [makeConfiguration({ Id: id })] },
  });

  it('follows every Query page of the bucket', async () => {
    documents
      .on(QueryCommand, { ExpressionAttributeValues: { ':bucket': 'src' } })
      .resolvesOnce({
        Items: [{ bucket: 'src', id: 'a', configuration: makeConfiguration({ Id: 'a' }) }],
        LastEvaluatedKey: { bucket: 'src', id: 'a' },
      })
      .resolvesOnce({ Items: [{ bucket: 'src', id: 'b', configuration: makeConfiguration({ Id: 'b' }) }] });
    documents
      .on(QueryCommand, { ExpressionAttributeValues: { ':bucket': TEMPLATES_PARTITION } })
      .resolves({ Items: [] });
    expect((await store().getBucket('src'))?.items.map((item) => item.id)).toEqual(['a', 'b']);
  });

  it('refuses a bucket two templates give the same Id (terminal)', async () => {
    documents.on(QueryCommand, { ExpressionAttributeValues: { ':bucket': 'src' } }).resolves({ Items: [] });
    documents
      .on(QueryCommand, { ExpressionAttributeValues: { ':bucket': TEMPLATES_PARTITION } })
      .resolves({ Items: [template('one', 'same'), template('two', 'same')] });
    await expect(store().getBucket('src')).rejects.toBeInstanceOf(DesiredConflictError);
  });

  it("matches tag templates with the tags on the message's location, asking none; without them it asks (#18)", async () => {
    const byTag = (name: string, tags: Record<string, string>) => ({
      bucket: TEMPLATES_PARTITION,
      id: name,
      template: {
        name,
        match: { tags, accounts: ['222233334444'] },
        inventories: [makeConfiguration({ Id: name })],
      },
    });
    documents.on(QueryCommand, { ExpressionAttributeValues: { ':bucket': 'src' } }).resolves({ Items: [] });
    documents
      .on(QueryCommand, { ExpressionAttributeValues: { ':bucket': TEMPLATES_PARTITION } })
      .resolves({ Items: [byTag('sec', { team: 'sec' }), byTag('web', { team: 'web' })] });
    const asked: string[] = [];
    const placed = store({
      tagsOf: async (bucket: string, where?: { account?: string; region?: string }) => {
        asked.push(`${bucket} ${where?.account} ${where?.region}`);
        return { team: 'web' };
      },
      placementOf: async (_bucket: string, location?: { region: string; account?: string }) => ({
        account: location?.account ?? '111122223333',
        parents: [],
        home: location?.account === undefined,
        ...(location && { region: location.region }),
      }),
    });
    const location = { account: '222233334444', region: 'eu-west-1' };

    const fromMessage = await placed.getBucket('src', { ...location, tags: { team: 'sec', cost: 'x' } });
    expect(fromMessage?.items.map((item) => item.id)).toEqual(['sec']);
    expect(fromMessage?.account).toBe('222233334444');
    expect(asked).toEqual([]);

    const looked = await placed.getBucket('src', location);
    expect(looked?.items.map((item) => item.id)).toEqual(['web']);
    expect(asked).toEqual(['src 222233334444 eu-west-1']);

    // Tags that select nothing: the bucket is not managed, and still nothing is asked.
    expect(await placed.getBucket('src', { ...location, tags: {} })).toBeUndefined();
    expect(asked).toHaveLength(1);
  });

  it('reads the templates partition once per TTL', async () => {
    let now = 0;
    documents.on(QueryCommand).resolves({ Items: [] });
    const cached = store({ now: () => now, templatesTtlMs: 100 });
    await cached.getBucket('a');
    await cached.getBucket('b');
    now = 100;
    await cached.getBucket('c');
    const templateQueries = documents
      .commandCalls(QueryCommand)
      .filter((call) => call.args[0].input.ExpressionAttributeValues?.[':bucket'] === TEMPLATES_PARTITION);
    expect(templateQueries).toHaveLength(2);
  });

  it('writes in batches of 25 and sends unprocessed items again', async () => {
    documents
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { t: [{ PutRequest: { Item: { bucket: 'x', id: '0' } } }] } })
      .resolves({});
    const items = Array.from({ length: 30 }, (_, i) => ({ bucket: 'x', id: String(i) }));
    await store().putItems(items);
    const sizes = documents
      .commandCalls(BatchWriteCommand)
      .map((call) => call.args[0].input.RequestItems!.t!.length);
    expect(sizes).toEqual([25, 1, 5]);
  });

  it('gives up on items the table keeps refusing', async () => {
    documents
      .on(BatchWriteCommand)
      .resolves({ UnprocessedItems: { t: [{ DeleteRequest: { Key: { bucket: 'x', id: '1' } } }] } });
    await expect(store().deleteItems([{ bucket: 'x', id: '1' }])).rejects.toMatchObject({
      code: 'UnprocessedItems',
      retryable: true,
    });
  }, 10_000);
});

describe('SqsReconcileQueue', () => {
  const queue = () =>
    new SqsReconcileQueue({ client: new SQSClient({ region: 'us-east-1' }), queueUrl: 'q', backoffMs: 1 });
  const messages = Array.from({ length: 12 }, (_, i) => ({ bucket: `b${i}`, runId: 'r' }));

  it('keeps at most `concurrency` SendMessageBatch calls in flight, sending every message once', async () => {
    let inFlight = 0;
    let most = 0;
    const sent: string[] = [];
    const slow = {
      send: async (command: SendMessageBatchCommand) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight -= 1;
        sent.push(...command.input.Entries!.map((entry) => JSON.parse(entry.MessageBody!).bucket));
        return {};
      },
    };
    const many = Array.from({ length: 200 }, (_, i) => ({ bucket: `b${i}`, runId: 'r' }));
    await new SqsReconcileQueue({ client: slow as never, queueUrl: 'q', concurrency: 4 }).enqueue(many);
    expect(most).toBe(4);
    expect(sent.sort()).toEqual(many.map((message) => message.bucket).sort());
  });

  it('resends only the entries SQS failed', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '3', Code: 'InternalError', SenderFault: false }] })
      .resolves({});
    await queue().enqueue(messages);
    const batches = sqs
      .commandCalls(SendMessageBatchCommand)
      .map((call) => call.args[0].input.Entries!.map((e) => e.Id));
    expect(batches).toHaveLength(3);
    expect(batches).toContainEqual(['3']);
  });

  it('fails on a sender fault, and after the rounds run out', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: '0', Code: 'InvalidMessageContents', SenderFault: true }] });
    await expect(queue().enqueue(messages.slice(0, 1))).rejects.toMatchObject({
      code: 'InvalidMessageContents',
    });
    sqs.reset();
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    await expect(queue().enqueue(messages.slice(0, 1))).rejects.toMatchObject({
      code: 'BatchEntriesFailed',
      retryable: true,
    });
  });
});
