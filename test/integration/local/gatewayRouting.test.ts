import { DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, ListTopicsCommand, PublishCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { dynamoDbClient, localAws, rawRequest, snsClient, sqsClient, stsClient } from './localAwsClients.js';

describe('local AWS gateway: routing by the SigV4 credential scope', () => {
  it('sends dynamodb to DynamoDB Local, where the desired-state table of infra/resources exists', async () => {
    const dynamodb = dynamoDbClient();
    const table = localAws().env.S3IR_DESIRED_TABLE!;
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'bucket', KeyType: 'HASH' },
      { AttributeName: 'id', KeyType: 'RANGE' },
    ]);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });

    const key = { bucket: { S: 'routing-bucket' }, id: { S: 'daily-csv' } };
    await dynamodb.send(new PutItemCommand({ TableName: table, Item: { ...key, mode: { S: 'detect' } } }));
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName: table, Key: key }));
    expect(Item).toEqual({ ...key, mode: { S: 'detect' } });
  });

  it('sends sns (query protocol) to moto, where the alert topic exists and Publish works', async () => {
    const sns = snsClient();
    const { Topics } = await sns.send(new ListTopicsCommand({}));
    expect(Topics?.map((topic) => topic.TopicArn)).toContain(localAws().env.S3IR_ALERT_TOPIC_ARN);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'routing-topic' }));
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:routing-topic');
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn,
        Message: JSON.stringify({ type: 'drift-detected', bucket: 'b', summary: 'one line' }),
        MessageAttributes: { eventType: { DataType: 'String', StringValue: 'drift-detected' } },
      }),
    );
    expect(MessageId).toBeTruthy();
  });

  it('sends sqs (JSON protocol) to moto, with queue URLs that point at the gateway', async () => {
    const sqs = sqsClient();
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'routing-queue' }));
    expect(QueueUrl).toBe(`${localAws().endpoint}/123456789012/routing-queue`);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
    expect(Messages?.[0]?.Body).toBe('hello');
  });

  it('sends sts to moto (moto maps unknown access keys to account 123456789012)', async () => {
    const identity = await stsClient().send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('123456789012');
  });

  it('reports ready on GET /_local/health and 404 for an unknown control path', async () => {
    const health = await fetch(`${localAws().endpoint}/_local/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ready' });
    const unknown = await rawRequest('GET', '/_local/nothing-here');
    expect(unknown.status).toBe(404);
  });
});
