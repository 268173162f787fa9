import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleDesiredChange } from '../../../lib/usecases/fanOut/desiredChanges.js';
import { desiredChangeWiring } from '../../../lib/wiring/desiredChangeWiring.js';
import { readServiceConfig } from '../../../lib/wiring/serviceConfig.js';
import { serviceFactory } from '../../../lib/wiring/serviceFactory.js';
import { makeConfiguration } from '../../helpers/factories.js';

const documents = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const config = readServiceConfig({ S3IR_AUDIT_TABLE: 'audit', S3IR_QUEUE_URL: 'https://queue' });
const factory = serviceFactory(config, { homeAccount: '111122223333', region: 'us-east-1', env: {} });

beforeEach(() => {
  documents.reset();
  sqs.reset();
});
afterEach(() => factory.destroy());

describe('desiredChangeWiring()', () => {
  it('holds the audit sink, the queue and the tag source: no desired store, no state table', () => {
    expect(Object.keys(desiredChangeWiring(config, factory)).sort()).toEqual(['audit', 'buckets', 'queue']);
  });

  it('records the change in S3IR_AUDIT_TABLE and enqueues its bucket on S3IR_QUEUE_URL', async () => {
    documents.on(GetCommand).resolves({});
    documents.on(TransactWriteCommand).resolves({});
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: '' }] });
    const image = { bucket: 'src', id: 'daily-csv', configuration: makeConfiguration() };
    const buckets = await handleDesiredChange(
      {
        changeId: 'e1',
        eventName: 'INSERT',
        bucket: 'src',
        id: 'daily-csv',
        newImage: image,
        time: '2026-01-01T00:00:00.000Z',
      },
      desiredChangeWiring(config, factory),
    );
    expect(buckets).toEqual(['src']);
    const written = documents
      .commandCalls(TransactWriteCommand)
      .flatMap((call) => call.args[0].input.TransactItems ?? [])
      .map((item) => (item.Put ?? item.Update ?? item.ConditionCheck)?.TableName);
    expect(new Set(written)).toEqual(new Set(['audit']));
    // The chain head, and the table's `#history` marker a new chain reads (lib/adapters/aws/auditHistoryStart).
    expect(documents.commandCalls(GetCommand).map((call) => call.args[0].input.TableName)).toEqual([
      'audit',
      'audit',
    ]);
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.QueueUrl).toBe('https://queue');
  });
});
