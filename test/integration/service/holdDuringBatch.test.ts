import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  ListBucketInventoryConfigurationsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../infra/local/gateway.js';
import { DynamoChangeWindow } from '../../../lib/adapters/aws/DynamoChangeWindow.js';
import { INTENT_PARTITION } from '../../../lib/adapters/aws/stateTableLayout.js';
import { fileToItems } from '../../../lib/core/desired/tableItems.js';
import { formatBucketMessage } from '../../../lib/usecases/reconcileMessage/bucketMessage.js';
import { lambdaContext, sqsEvent } from '../../e2e/lambdaHarness.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { desiredTestTable, stateTestTable } from '../aws/desiredTestTable.js';
import { uniqueBucket } from '../aws/localFactory.js';
import { privateGateway } from '../local/privateGateway.js';
import { localNames, useFunctionEnv } from './serviceLocal.js';

/**
 * #18 point 4: without brake limits (the local AWS's default), no bucket reads the hold before its plan:
 * each write's intent record checks it in the same transaction. Here the hold is put (as `s3ir hold` would
 * show it: the `#hold/current` item another writer's reservation put) in the middle of a batch, right after
 * the first bucket's first write took effect, through a pass-through proxy in front of a gateway of this
 * file's own; the real reconcile handler makes no write after it.
 */
const names = {
  first: uniqueBucket('hdb-first'),
  second: uniqueBucket('hdb-second'),
  dest: uniqueBucket('hdb-dest'),
};
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

type BatchResponse = { batchItemFailures: { itemIdentifier: string }[] };
let handler: (event: SQSEvent, context: Context) => Promise<BatchResponse>;
let gateway: Gateway | undefined;
let proxy: Server | undefined;
let restoreEnv: () => void = () => {};
let table: Awaited<ReturnType<typeof desiredTestTable>>;
let state: Awaited<ReturnType<typeof stateTestTable>>;
let s3: S3Client;

/** Every request the handler made, in order: `<operation or method path> <body>`. */
const seen: string[] = [];
/** Runs once, after AWS answered the first request it matches and before the handler hears the answer. */
let afterAnswer: { matches: (line: string) => boolean; run: () => Promise<void> } | undefined;

/** A pass-through proxy in front of `target`, logging each request and running {@link afterAnswer}. */
async function startProxy(target: URL): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = req.headers['x-amz-target'];
      const line = `${typeof operation === 'string' ? operation.split('.')[1] : `${req.method} ${req.url}`} ${body.toString('utf8')}`;
      seen.push(line);
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', async () => {
            const hook = afterAnswer?.matches(line) ? afterAnswer : undefined;
            if (hook !== undefined) {
              afterAnswer = undefined;
              await hook.run();
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(parts));
          });
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const daily = makeConfiguration({
  Id: 'daily',
  Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${names.dest}`, Format: 'CSV' } },
});

beforeAll(async () => {
  gateway = await privateGateway();
  if (!gateway) return;
  const config = { endpoint: gateway.endpoint, region: 'us-east-1', credentials };
  s3 = new S3Client({ ...config, forcePathStyle: true });
  table = await desiredTestTable(gateway.endpoint);
  state = await stateTestTable(gateway.endpoint);
  for (const bucket of Object.values(names)) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const items = fileToItems(
    {
      version: 1,
      buckets: { [names.first]: { inventories: [daily] }, [names.second]: { inventories: [daily] } },
    },
    { fileName: 'hold-during-batch.yaml', appliedBy: 'it', appliedAt: '2026-03-01T00:00:00Z' },
  );
  await table.documents.send(
    new BatchWriteCommand({
      RequestItems: { [table.tableName]: items.map((Item) => ({ PutRequest: { Item } })) },
    }),
  );
  proxy = await startProxy(new URL(gateway.endpoint));
  restoreEnv = useFunctionEnv({
    endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    desiredTable: table.tableName,
    stateTable: state.tableName,
    topicArn: localNames().topicArn,
    queueUrl: `${gateway.endpoint}/000000000000/s3ir-hold-during-batch-unused`,
    roleName: 's3ir-reconcile-hold-during-batch',
  });
  const reconcile = await import('../../../functions/reconcile.js');
  handler = reconcile.createHandler(process.env) as unknown as typeof handler;
}, 180_000);

afterAll(async () => {
  restoreEnv();
  s3?.destroy();
  table?.destroy();
  state?.destroy();
  proxy?.closeAllConnections();
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await gateway?.close();
});

async function configurationIds(bucket: string): Promise<string[]> {
  const output = await s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket }));
  return (output.InventoryConfigurationList ?? []).map((configuration) => configuration.Id!);
}

describe('reconcile: a hold put while a batch runs', () => {
  it('stops every write after it: the write made before it stands, recorded; nothing else is written', async (context) => {
    if (!gateway)
      return context.skip('the global setup reuses a running local AWS: its backends are unknown');
    const window = new DynamoChangeWindow({ client: state.documents, tableName: state.tableName });
    // Right after the first write took effect (the destination's grant), another writer's hold is put.
    afterAnswer = {
      matches: (line) => line.startsWith(`PUT /${names.dest}/?policy`),
      run: async () => {
        await window.startHold({
          since: new Date().toISOString(),
          reason: 'put by the test while the batch runs',
          counts: { changes: 10, deletes: 0 },
          requested: { changes: 1, deletes: 0 },
          limits: { maxChanges: 10, windowMinutes: 60 },
          bucket: 'elsewhere',
          runId: 'another-run',
          actor: 'another-writer',
        });
      },
    };
    const runId = `hold-during-batch-${Date.now()}`;
    const event = sqsEvent(
      [names.first, names.second].map((bucket, index) => ({
        MessageId: `m-${index}`,
        ReceiptHandle: `r-${index}`,
        Body: formatBucketMessage({ bucket, runId }),
        Attributes: { ApproximateReceiveCount: '1' },
      })),
      'arn:aws:sqs:us-east-1:000000000000:s3ir-hold-during-batch-unused',
    );

    const response = await handler(event, lambdaContext('reconcile', 120_000));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(afterAnswer).toBeUndefined(); // the hold was put
    // The grant made before the hold stands; no configuration was written, on either bucket.
    const policy = await s3.send(new GetBucketPolicyCommand({ Bucket: names.dest }));
    expect(JSON.parse(policy.Policy!).Statement).toHaveLength(1);
    expect(await configurationIds(names.first)).toEqual([]);
    expect(await configurationIds(names.second)).toEqual([]);
    const writes = seen.filter((line) => /^(PUT|DELETE) /.test(line));
    expect(writes.map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual([
      `PUT /${names.dest}/?policy=`,
    ]);
    // The hold was never read before a plan; each held record read it once, to say why.
    const holdReads = seen.filter((line) => line.startsWith('GetItem') && line.includes('"#hold"'));
    expect(holdReads).toHaveLength(2);
    // One Query of the intents for the whole batch; records are transactions, and none is left behind.
    expect(
      seen.filter((line) => line.startsWith('Query') && line.includes(`"${INTENT_PARTITION}"`)),
    ).toHaveLength(1);
    expect(
      seen.filter((line) => /^(PutItem|DeleteItem) /.test(line) && line.includes(INTENT_PARTITION)),
    ).toEqual([]);
    // The grant's change event recorded (on the first bucket's chain); no inventory change recorded anywhere.
    const changes = async (bucket: string) =>
      (
        await state.documents.send(
          new QueryCommand({
            TableName: localNames().auditTable,
            KeyConditionExpression: '#bucket = :bucket',
            ExpressionAttributeNames: { '#bucket': 'bucket' },
            ExpressionAttributeValues: { ':bucket': bucket },
            ConsistentRead: true,
          }),
        )
      ).Items!.flatMap((item) =>
        /-(created|updated|deleted)$/.test(String(item.action)) ? [item.action] : [],
      );
    expect(await changes(names.first)).toEqual(['destination-policy-updated']);
    expect(await changes(names.second)).toEqual([]);
    const { Items } = await state.documents.send(
      new QueryCommand({
        TableName: state.tableName,
        KeyConditionExpression: '#bucket = :intents',
        ExpressionAttributeNames: { '#bucket': 'bucket' },
        ExpressionAttributeValues: { ':intents': INTENT_PARTITION },
        ConsistentRead: true,
      }),
    );
    expect(Items).toEqual([]);
  }, 180_000);
});
