import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_ID, dynamoDbClient, localAws, region, snsClient, sqsClient } from './localAwsClients.js';

/**
 * What the local AWS creates at start-up from infra/resources/*.yml (the files serverless.yml
 * deploys), and the env it hands out for them. Needs the global setup's own local AWS (a reused
 * one, `S3IR_LOCAL_ENDPOINT`, hands out no env).
 */
describe.runIf(localAws().env.S3IR_QUEUE_URL)('resources of the local AWS', () => {
  const env = localAws().env;

  it('hands out the env of the Contract plus S3IR_QUEUE_URL and S3IR_DLQ_URL', () => {
    expect(env).toMatchObject({
      AWS_REGION: region,
      AWS_ENDPOINT_URL: localAws().endpoint,
      S3IR_DESIRED_TABLE: 's3ir-desired-state',
      S3IR_STATE_TABLE: 's3ir-state',
      S3IR_AUDIT_TABLE: 's3ir-audit',
      S3IR_ALERT_TOPIC_ARN: `arn:aws:sns:${region}:${ACCOUNT_ID}:s3ir-alerts`,
      S3IR_QUEUE_URL: `${localAws().endpoint}/${ACCOUNT_ID}/s3ir-reconcile`,
      S3IR_DLQ_URL: `${localAws().endpoint}/${ACCOUNT_ID}/s3ir-reconcile-dlq`,
      S3IR_ALLOWED_ACCOUNTS: `${ACCOUNT_ID},222233334444`,
    });
  });

  it('creates both tables with their keys, indexes and stream', async () => {
    const dynamodb = dynamoDbClient();
    const [desired, audit] = await Promise.all(
      [env.S3IR_DESIRED_TABLE, env.S3IR_AUDIT_TABLE].map(
        async (TableName) => (await dynamodb.send(new DescribeTableCommand({ TableName }))).Table,
      ),
    );
    dynamodb.destroy();
    expect(desired?.KeySchema).toEqual([
      { AttributeName: 'bucket', KeyType: 'HASH' },
      { AttributeName: 'id', KeyType: 'RANGE' },
    ]);
    expect(desired?.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    expect(audit?.KeySchema).toEqual([
      { AttributeName: 'bucket', KeyType: 'HASH' },
      { AttributeName: 'eventId', KeyType: 'RANGE' },
    ]);
    expect(audit?.LocalSecondaryIndexes?.map(({ IndexName }) => IndexName)).toEqual(['byTime']);
    expect(audit?.GlobalSecondaryIndexes?.map(({ IndexName }) => IndexName).sort()).toEqual([
      'byAction',
      'byChainHead',
      'byDay',
      'byRun',
    ]);
  });

  it('creates the state table from infra/resources/state-table.yml: same key, TTL on expiresAt, no stream', async () => {
    const dynamodb = dynamoDbClient();
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: env.S3IR_STATE_TABLE }));
    const { TimeToLiveDescription } = await dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName: env.S3IR_STATE_TABLE }),
    );
    dynamodb.destroy();
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'bucket', KeyType: 'HASH' },
      { AttributeName: 'id', KeyType: 'RANGE' },
    ]);
    expect(Table?.StreamSpecification?.StreamEnabled ?? false).toBe(false);
    expect(TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
  });

  it('creates the reconcile queue with its redrive policy (params.default.maxReceiveCount) and the DLQ', async () => {
    const sqs = sqsClient();
    const attributes = async (QueueUrl: string) =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes ?? {};
    const [queue, deadLetters] = await Promise.all([
      attributes(env.S3IR_QUEUE_URL!),
      attributes(env.S3IR_DLQ_URL!),
    ]);
    sqs.destroy();
    expect(queue.VisibilityTimeout).toBe('720');
    expect(JSON.parse(queue.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: deadLetters.QueueArn,
      maxReceiveCount: 5,
    });
    expect(deadLetters.MessageRetentionPeriod).toBe('1209600');
  });

  it('skips the deploy-only queue policies (they deny plain HTTP, which the local AWS serves)', async () => {
    const sqs = sqsClient();
    const policies = await Promise.all(
      [env.S3IR_QUEUE_URL!, env.S3IR_DLQ_URL!].map(
        async (QueueUrl) =>
          (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }))).Attributes
            ?.Policy,
      ),
    );
    sqs.destroy();
    expect(policies).toEqual([undefined, undefined]);
  });

  it('creates the alert topic', async () => {
    const sns = snsClient();
    const { Attributes } = await sns.send(
      new GetTopicAttributesCommand({ TopicArn: env.S3IR_ALERT_TOPIC_ARN }),
    );
    sns.destroy();
    expect(Attributes?.TopicArn).toBe(env.S3IR_ALERT_TOPIC_ARN);
  });
});
