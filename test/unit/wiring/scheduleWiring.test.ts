import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoAlertOutbox } from '../../../lib/adapters/aws/DynamoAlertOutbox.js';
import { SnsAlertPublisher } from '../../../lib/adapters/aws/SnsAlertPublisher.js';
import { runSweep } from '../../../lib/usecases/sweep/sweep.js';
import { scheduleWiring } from '../../../lib/wiring/scheduleWiring.js';
import { readServiceConfig } from '../../../lib/wiring/serviceConfig.js';
import { serviceFactory } from '../../../lib/wiring/serviceFactory.js';
import { makeConfiguration } from '../../helpers/factories.js';

const documents = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const config = readServiceConfig({
  S3IR_DESIRED_TABLE: 'desired',
  S3IR_STATE_TABLE: 'state',
  S3IR_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111122223333/s3ir-reconcile',
});
const factory = serviceFactory(config, { homeAccount: '111122223333', region: 'us-east-1', env: {} });

beforeEach(() => {
  documents.reset();
  sqs.reset();
});
afterEach(() => factory.destroy());

describe('scheduleWiring()', () => {
  it('holds what the schedule function uses, and no alert delivery without a topic', () => {
    const deps = scheduleWiring(config, factory);
    expect(Object.keys(deps).sort()).toEqual([
      'bookkeeping',
      'brakeStore',
      'buckets',
      'catalog',
      // #18 point 4: the grant step before the fan-out.
      'grants',
      'queue',
      'templateStatus',
    ]);
    expect(documents.calls()).toHaveLength(0);
  });

  it('sweeps the desired table onto S3IR_QUEUE_URL and lists bookkeeping in the state table', async () => {
    documents.on(ScanCommand, { TableName: 'desired' }).resolves({
      Items: [{ bucket: 'src', id: 'daily-csv', configuration: makeConfiguration() }],
    });
    documents
      .on(ScanCommand, { TableName: 'state' })
      .resolves({ Items: [{ bucket: 'gone', id: '#status' }] });
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: '' }] });
    const deps = scheduleWiring(config, factory);
    expect(await runSweep(deps, 'sweep-1')).toEqual(['src']);
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.QueueUrl).toBe(config.queueUrl);
    expect((await deps.bookkeeping.list()).map((item) => item.bucket)).toEqual(['gone']);
  });

  it('flushes through SNS and the state table outbox when S3IR_ALERT_TOPIC_ARN is set', () => {
    const withTopic = { ...config, alertTopicArn: 'arn:aws:sns:us-east-1:111122223333:s3ir-alerts' };
    const deps = scheduleWiring(withTopic, factory);
    expect(deps.alertDelivery?.sender).toBeInstanceOf(SnsAlertPublisher);
    expect(deps.alertDelivery?.outbox).toBeInstanceOf(DynamoAlertOutbox);
  });
});
