import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fileToItems } from '../../lib/core/desired/tableItems.js';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import { makeConfiguration, makeKmsConfiguration } from '../helpers/factories.js';
import { foreignStatement, makePolicy } from '../helpers/reconcileFactories.js';
import { stateTestTable } from '../integration/aws/desiredTestTable.js';
import { LOCAL_HOME_ACCOUNT, uniqueBucket } from '../integration/aws/localFactory.js';
import { useLocalAws } from './lambdaHarness.js';

export const names = {
  a: uniqueBucket('e2e-src-a'),
  b: uniqueBucket('e2e-src-b'),
  dest: uniqueBucket('e2e-dest'),
};
/** The reconcile role as the functions know it (`S3IR_RECONCILE_ROLE_ARN`). */
export const ROLE = 'arn:aws:iam::123456789012:role/s3ir-reconcile-e2e';
const destArn = `arn:aws:s3:::${names.dest}`;

/** A configuration delivering to the e2e destination. */
export function at(configuration: InventoryConfiguration): InventoryConfiguration {
  return {
    ...configuration,
    Destination: {
      S3BucketDestination: { ...configuration.Destination!.S3BucketDestination!, Bucket: destArn },
    },
  };
}
export const daily = at(makeConfiguration({ Id: 'daily' }));
export const weekly = at(makeConfiguration({ Id: 'weekly', Schedule: { Frequency: 'Weekly' } }));

export interface Queue {
  url: string;
  arn: string;
}

export interface E2eWorld {
  local: Awaited<ReturnType<typeof useLocalAws>>;
  clients: {
    s3: S3Client;
    kms: KMSClient;
    sqs: SQSClient;
    documents: DynamoDBDocumentClient;
    sns: SNSClient;
  };
  queue: Queue;
  alertQueue: Queue;
  keyArn: string;
  /**
   * A state table of this file's own: the schedule function's sweep removes the bookkeeping of buckets
   * its desired table does not declare, which in the shared state table would be other files' statuses.
   */
  stateTable: string;
}

async function makeQueue(sqs: SQSClient, name: string): Promise<Queue> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: attributes.Attributes!.QueueArn! };
}

/**
 * The local AWS with drift seeded, desired items in the table, a reconcile queue and an alert queue
 * subscribed to the topic, and the functions' environment pointing at all of it.
 */
export async function createWorld(): Promise<E2eWorld> {
  const local = await useLocalAws();
  const config = {
    endpoint: local.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const clients = {
    s3: new S3Client({ ...config, forcePathStyle: true }),
    kms: new KMSClient(config),
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    documents: DynamoDBDocumentClient.from(new DynamoDBClient(config)),
  };
  const queue = await makeQueue(clients.sqs, uniqueBucket('e2e-reconcile'));
  const alertQueue = await makeQueue(clients.sqs, uniqueBucket('e2e-alerts'));
  const topicArn = local.env.S3IR_ALERT_TOPIC_ARN!;
  const state = await stateTestTable(local.endpoint);
  state.destroy();
  await clients.sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: alertQueue.arn }),
  );
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: local.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    S3IR_DESIRED_TABLE: local.env.S3IR_DESIRED_TABLE,
    S3IR_STATE_TABLE: state.tableName,
    S3IR_AUDIT_TABLE: local.env.S3IR_AUDIT_TABLE,
    S3IR_ALERT_TOPIC_ARN: topicArn,
    S3IR_QUEUE_URL: queue.url,
    S3IR_RECONCILE_ROLE_ARN: ROLE,
    POWERTOOLS_SERVICE_NAME: 's3ir',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });

  // Drift: a is missing `daily`, has `weekly` changed (Daily) and an unmanaged `stray` (prune on);
  // the destination policy has only a foreign statement; b's KMS key grants S3 nothing.
  for (const bucket of Object.values(names))
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const foreign = makePolicy([foreignStatement('AnalyticsRead', names.dest, LOCAL_HOME_ACCOUNT)]);
  await clients.s3.send(new PutBucketPolicyCommand({ Bucket: names.dest, Policy: JSON.stringify(foreign) }));
  for (const configuration of [
    { ...weekly, Schedule: { Frequency: 'Daily' as const } },
    at(makeConfiguration({ Id: 'stray' })),
  ]) {
    await clients.s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: names.a,
        Id: configuration.Id,
        InventoryConfiguration: configuration,
      }),
    );
  }
  const keyArn = (
    await clients.kms.send(
      new CreateKeyCommand({ Tags: [{ TagKey: 's3ir:inventory-key', TagValue: 'true' }] }),
    )
  ).KeyMetadata!.Arn!;
  const items = fileToItems(
    {
      version: 1,
      buckets: {
        [names.a]: { prune: true, inventories: [daily, weekly] },
        [names.b]: { inventories: [at(makeKmsConfiguration(keyArn, { Id: 'encrypted' }))] },
      },
    },
    { fileName: 'e2e.yaml', appliedBy: 'e2e', appliedAt: new Date().toISOString() },
  );
  await clients.documents.send(
    new BatchWriteCommand({
      RequestItems: { [local.env.S3IR_DESIRED_TABLE!]: items.map((Item) => ({ PutRequest: { Item } })) },
    }),
  );
  return { local, clients, queue, alertQueue, keyArn, stateTable: state.tableName };
}
