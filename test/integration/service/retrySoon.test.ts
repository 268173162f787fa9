import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Gateway } from '../../../infra/local/gateway.js';
import { EXPIRES_AT, LEASE_PARTITION } from '../../../lib/adapters/aws/stateTableLayout.js';
import { fileToItems } from '../../../lib/core/desired/tableItems.js';
import { policyLeaseKey } from '../../../lib/core/reconcile/policyLease.js';
import { formatBucketMessage } from '../../../lib/usecases/reconcileMessage/bucketMessage.js';
import { lambdaContext, sqsEvent } from '../../e2e/lambdaHarness.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { desiredTestTable, stateTestTable } from '../aws/desiredTestTable.js';
import { uniqueBucket } from '../aws/localFactory.js';
import { privateGateway } from '../local/privateGateway.js';
import { useFunctionEnv } from './serviceLocal.js';

/**
 * The reconcile handler hands a message that failed for a passing reason back to SQS in seconds, not
 * after the queue's 720 s visibility timeout: through the real handler, on a gateway of this file's own
 * (its call counts and fault rules are this file's alone) over the shared moto and DynamoDB Local, with a
 * desired-state table, queue and topic of its own. `S3IR_RETRY_DELAY_MAX_SECONDS=1` makes "soon" one
 * second, so that only this step can bring a message back within the test.
 */
const names = {
  conflicted: uniqueBucket('rs-conflicted'),
  busyDest: uniqueBucket('rs-busy-dest'),
  fine: uniqueBucket('rs-fine'),
  fineDest: uniqueBucket('rs-fine-dest'),
  gone: uniqueBucket('rs-gone'),
};
/** serverless.yml `reconcileQueueVisibilityTimeout`: what a failed message waits without this step. */
const VISIBILITY_TIMEOUT = '720';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let restoreEnv: () => void = () => {};

type BatchResponse = { batchItemFailures: { itemIdentifier: string }[] };
let handler: (event: SQSEvent, context: Context) => Promise<BatchResponse>;
let gateway: Gateway | undefined;
let table: Awaited<ReturnType<typeof desiredTestTable>>;
let state: Awaited<ReturnType<typeof stateTestTable>>;
let sqs: SQSClient;
let queue: { url: string; arn: string };

const daily = (dest: string) =>
  makeConfiguration({
    Id: 'daily',
    Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV' } },
  });

/** Sends one message per bucket and receives them all, as the event source mapping would. */
async function deliver(buckets: string[]): Promise<Map<string, Message>> {
  const runId = `retry-soon-${Date.now()}`;
  for (const bucket of buckets) {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queue.url, MessageBody: formatBucketMessage({ bucket, runId }) }),
    );
  }
  const received = await receive(buckets.length, 10);
  expect(received).toHaveLength(buckets.length);
  return new Map(received.map((message) => [JSON.parse(message.Body!).bucket as string, message]));
}

/** Receives (without deleting) until `enough` messages came, then `extra` more 1 s waits for stragglers. */
async function receive(enough: number, rounds: number, extra = 0): Promise<Message[]> {
  const got: Message[] = [];
  let after = extra;
  for (let round = 0; round < rounds; round++) {
    const page = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    got.push(...(page.Messages ?? []));
    if (got.length >= enough && after-- <= 0) break;
  }
  return got;
}

async function remove(message: Message): Promise<void> {
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: message.ReceiptHandle! }));
}

function invoke(messages: Message[]): Promise<BatchResponse> {
  return handler(sqsEvent(messages, queue.arn), lambdaContext('reconcile', 120_000));
}

/**
 * Runs `act`, swallowing what it prints to stdout, and sums the values of each metric in the EMF lines
 * Powertools printed meanwhile (a metric added twice is an array of values).
 */
async function metricsOf<T>(act: () => Promise<T>): Promise<{ result: T; metrics: Record<string, number> }> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  });
  let result: T;
  try {
    result = await act();
  } finally {
    write.mockRestore();
  }
  const metrics: Record<string, number> = {};
  for (const line of lines.filter((text) => text.includes('"_aws"'))) {
    const emf = JSON.parse(line) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> };
    };
    for (const { Name } of emf._aws.CloudWatchMetrics.flatMap((set) => set.Metrics)) {
      const values = [emf[Name]].flat() as number[];
      metrics[Name] = (metrics[Name] ?? 0) + values.reduce((sum, value) => sum + value, 0);
    }
  }
  return { result, metrics };
}

const visibilityCalls = () =>
  Object.entries(gateway!.calls.snapshot()).filter(([name]) =>
    name.startsWith('sqs.ChangeMessageVisibility'),
  );

beforeAll(async () => {
  gateway = await privateGateway();
  if (!gateway) return;
  const config = { endpoint: gateway.endpoint, region: 'us-east-1', credentials };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sns = new SNSClient(config);
  sqs = new SQSClient(config);
  table = await desiredTestTable(gateway.endpoint);
  state = await stateTestTable(gateway.endpoint);
  for (const bucket of [names.conflicted, names.busyDest, names.fine, names.fineDest])
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));

  const items = fileToItems(
    {
      version: 1,
      buckets: {
        [names.conflicted]: { inventories: [daily(names.busyDest)] },
        [names.fine]: { inventories: [daily(names.fineDest)] },
        [names.gone]: { inventories: [daily(names.fineDest)] }, // a bucket that does not exist: terminal
      },
    },
    { fileName: 'retry-soon.yaml', appliedBy: 'it', appliedAt: '2026-03-01T00:00:00Z' },
  );
  await table.documents.send(
    new BatchWriteCommand({
      RequestItems: { [table.tableName]: items.map((Item) => ({ PutRequest: { Item } })) },
    }),
  );
  // Another worker holds the busy destination's policy lease for the whole file: every plan of the
  // conflicted bucket waits 3 s for it, re-plans, and ends `conflict`.
  await state.documents.send(
    new PutCommand({
      TableName: state.tableName,
      Item: {
        bucket: LEASE_PARTITION,
        id: policyLeaseKey('destination-policy', names.busyDest),
        holder: 'another-worker',
        [EXPIRES_AT]: Math.ceil(Date.now() / 1000) + 3_600,
      },
    }),
  );

  const url = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: uniqueBucket('rs-reconcile'),
        Attributes: { VisibilityTimeout: VISIBILITY_TIMEOUT },
      }),
    )
  ).QueueUrl!;
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  queue = { url, arn: Attributes!.QueueArn! };
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: uniqueBucket('rs-topic') }))).TopicArn!;
  s3.destroy();
  sns.destroy();

  restoreEnv = useFunctionEnv({
    endpoint: gateway.endpoint,
    desiredTable: table.tableName,
    stateTable: state.tableName,
    topicArn,
    queueUrl: queue.url,
    roleName: 's3ir-reconcile-retry-soon',
    // Metrics on: the tests read the EMF lines the handler prints (ReconcileFailed pages, README "Operating it").
    extra: { S3IR_RETRY_DELAY_MAX_SECONDS: '1', POWERTOOLS_METRICS_DISABLED: 'false' },
  });
  const reconcile = await import('../../../functions/reconcile.js');
  handler = reconcile.createHandler(process.env) as unknown as typeof handler;
}, 180_000);

afterAll(async () => {
  restoreEnv();
  sqs?.destroy();
  table?.destroy();
  state?.destroy();
  await gateway?.close();
});

describe('reconcile: a bucket that failed for a passing reason is retried in seconds', () => {
  it('hands back exactly the conflicting message, and leaves the success and the terminal failure alone', async (context) => {
    if (!gateway)
      return context.skip('the global setup reuses a running local AWS: its backends are unknown');
    const messages = await deliver([names.conflicted, names.fine, names.gone]);
    const conflicted = messages.get(names.conflicted)!;
    gateway.calls.reset();

    const { result: response, metrics } = await metricsOf(() => invoke([...messages.values()]));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: conflicted.MessageId }] });
    expect(visibilityCalls()).toEqual([['sqs.ChangeMessageVisibilityBatch', 1]]);
    // Two failed attempts (the conflict, retried; the missing bucket), one bucket failed for good: only
    // that one is ReconcileFailed, the metric that pages.
    expect(metrics).toMatchObject({ BucketsChecked: 2, ReconcileFailures: 2, ReconcileFailed: 1 });

    // Nothing is deleted here: the success and the terminal failure would come back too had their
    // visibility been changed. Only the conflict does, long before the queue's 720 s.
    const back = await receive(1, 60, 2);
    expect(back.map((message) => [message.MessageId, message.Attributes?.ApproximateReceiveCount])).toEqual([
      [conflicted.MessageId, '2'],
    ]);
    await remove(back[0]!);
  }, 180_000);

  it('asks SQS nothing for a batch of a success and a terminal failure', async (context) => {
    if (!gateway) return context.skip('no private gateway');
    const messages = await deliver([names.fine, names.gone]);
    gateway.calls.reset();
    const { result, metrics } = await metricsOf(() => invoke([...messages.values()]));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(visibilityCalls()).toEqual([]);
    expect(metrics).toMatchObject({ BucketsChecked: 2, ReconcileFailures: 1, ReconcileFailed: 1 });
    for (const message of messages.values()) await remove(message);
  }, 120_000);

  it('answers the same response when ChangeMessageVisibility fails: the message waits the full timeout', async (context) => {
    if (!gateway) return context.skip('no private gateway');
    const messages = await deliver([names.conflicted, names.fine]);
    const conflicted = messages.get(names.conflicted)!;
    gateway.faults.add({
      rules: [
        { service: 'sqs', operation: 'ChangeMessageVisibilityBatch', status: 500, code: 'InternalError' },
      ],
    });
    try {
      gateway.calls.reset();
      const { result, metrics } = await metricsOf(() => invoke([...messages.values()]));
      expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: conflicted.MessageId }] });
      // A retried conflict is a failed attempt, not a failed bucket: nothing pages.
      expect(metrics.ReconcileFailures).toBe(1);
      expect(metrics.ReconcileFailed).toBeUndefined();
      // Asked (and retried by the SDK), refused every time.
      const [rule] = gateway.faults.list();
      expect(rule!.injected).toBeGreaterThanOrEqual(1);
      expect(visibilityCalls()).toEqual([['sqs.ChangeMessageVisibilityBatch', rule!.injected]]);
    } finally {
      gateway.faults.clear();
    }
    // A 1 s hand-back would be here by now; without one the message stays out for 720 s.
    expect(await receive(1, 5)).toEqual([]);
    await remove(messages.get(names.fine)!);
  }, 180_000);
});
