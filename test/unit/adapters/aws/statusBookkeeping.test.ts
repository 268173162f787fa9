import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDesiredStore } from '../../../../lib/adapters/aws/DynamoDesiredStore.js';
import { DynamoStatusStore, statusFromItem } from '../../../../lib/adapters/aws/DynamoStatusStore.js';
import { SnsAlertPublisher } from '../../../../lib/adapters/aws/SnsAlertPublisher.js';
import { formatAlert } from '../../../../lib/core/alerts/formatAlert.js';
import { TEMPLATES_PARTITION } from '../../../../lib/core/desired/desiredTableLayout.js';
import type { BucketFacts } from '../../../../lib/core/reconcile/types.js';
import { readServiceConfig, ServiceConfigError } from '../../../../lib/wiring/serviceConfig.js';
import { makeConfiguration } from '../../../helpers/factories.js';

const documents = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
beforeEach(() => {
  documents.reset();
  sns.reset();
});

const statusItem = {
  bucket: 'src',
  id: '#status',
  state: 'drifted',
  since: '2026-03-01T00:00:00.000Z',
  conditions: {
    drift: {
      fingerprint: 'f',
      since: '2026-03-01T00:00:00.000Z',
      lastAlertAt: '2026-03-01T00:00:00.000Z',
      summary: 's',
    },
  },
  runId: 'run-1',
  version: 3,
};
const configurationItem = { bucket: 'src', id: 'daily-csv', configuration: makeConfiguration() };

function partitions(items: Record<string, Record<string, unknown>[]>) {
  documents
    .on(QueryCommand)
    .callsFake((input) => ({ Items: items[input.ExpressionAttributeValues[':bucket']] ?? [] }));
}

describe('DynamoStatusStore', () => {
  it('reads one status with a consistent GetItem of its state-table item', async () => {
    documents.on(GetCommand).resolves({ Item: statusItem });
    const statuses = new DynamoStatusStore({ client, tableName: 'state' });
    expect(await statuses.get('src')).toEqual(statusFromItem(statusItem));
    expect(documents.commandCalls(GetCommand)[0]!.args[0].input).toEqual({
      TableName: 'state',
      Key: { bucket: 'src', id: '#status' },
      ConsistentRead: true,
    });
  });

  it('reads many statuses with one consistent BatchGetItem, each bucket once', async () => {
    documents.on(BatchGetCommand).resolves({ Responses: { state: [statusItem] } });
    const statuses = new DynamoStatusStore({ client, tableName: 'state' });
    const found = await statuses.getMany(['src', 'new', 'src']);
    expect([...found]).toEqual([
      ['src', statusFromItem(statusItem)],
      ['new', undefined],
    ]);
    expect(documents.commandCalls(BatchGetCommand).map((call) => call.args[0].input)).toEqual([
      {
        RequestItems: {
          state: {
            Keys: [
              { bucket: 'src', id: '#status' },
              { bucket: 'new', id: '#status' },
            ],
            ConsistentRead: true,
          },
        },
      },
    ]);
  });

  it('asks at most 100 keys a call, and asks the unprocessed ones again', async () => {
    const buckets = Array.from({ length: 150 }, (_, n) => `b${n}`);
    let first = true;
    documents.on(BatchGetCommand).callsFake((input) => {
      const keys = input.RequestItems.state.Keys as { bucket: string }[];
      if (first) {
        first = false;
        // DynamoDB answers part of the keys and hands the rest back.
        return {
          Responses: { state: [{ ...statusItem, bucket: keys[0]!.bucket }] },
          UnprocessedKeys: { state: { Keys: keys.slice(1), ConsistentRead: true } },
        };
      }
      return { Responses: { state: keys.map(({ bucket }) => ({ ...statusItem, bucket })) } };
    });
    const statuses = new DynamoStatusStore({ client, tableName: 'state', backoffMs: () => 0 });
    const found = await statuses.getMany(buckets);
    const sizes = documents
      .commandCalls(BatchGetCommand)
      .map((call) => (call.args[0].input.RequestItems!.state!.Keys ?? []).length);
    expect(sizes).toEqual([100, 99, 50]);
    expect([...found.keys()]).toEqual(buckets);
    expect([...found.values()].every((status) => status?.version === 3)).toBe(true);
  });

  it('keeps only the items it asked for', async () => {
    documents.on(BatchGetCommand).resolves({
      Responses: {
        state: [
          { ...statusItem, bucket: 'other' },
          { ...statusItem, id: '#delivery' },
        ],
      },
    });
    const found = await new DynamoStatusStore({ client, tableName: 'state' }).getMany(['src']);
    expect([...found]).toEqual([['src', undefined]]);
  });

  it('gives up, retryable, when the table keeps handing keys back', async () => {
    documents.on(BatchGetCommand).callsFake((input) => ({
      UnprocessedKeys: { state: input.RequestItems.state },
    }));
    const statuses = new DynamoStatusStore({ client, tableName: 'state', backoffMs: () => 0 });
    await expect(statuses.getMany(['src'])).rejects.toMatchObject({
      name: 'AwsAdapterError',
      code: 'UnprocessedKeys',
      retryable: true,
      message: 'BatchGetItem state: 1 statuses still unprocessed',
    });
    expect(documents.commandCalls(BatchGetCommand)).toHaveLength(5);
  });

  it('asks nothing for no bucket', async () => {
    expect((await new DynamoStatusStore({ client, tableName: 'state' }).getMany([])).size).toBe(0);
    expect(documents.commandCalls(BatchGetCommand)).toHaveLength(0);
  });
});

describe('DynamoDesiredStore and what an older version kept in the desired table', () => {
  it('declares nothing from a bucket that has only a leftover status item', async () => {
    partitions({ gone: [{ ...statusItem, bucket: 'gone' }], [TEMPLATES_PARTITION]: [] });
    const desired = new DynamoDesiredStore({ client, tableName: 't' });
    expect(await desired.getBucket('gone')).toBeUndefined();
  });

  it('leaves leftover statuses, outbox, run budgets and leases out of the bucket list and of scanItems (apply never deletes them)', async () => {
    documents.on(ScanCommand).callsFake((input) =>
      input.Segment === 0
        ? {
            Items: [
              configurationItem,
              statusItem,
              { ...statusItem, bucket: 'only-status' },
              { bucket: '#outbox', id: 'a1', alert: {}, createdAt: 't' },
              { bucket: '#runs', id: 'run-1', changes: 1 },
              { bucket: '#lease', id: 'destination-policy:reports', holder: 'run-1/src/x', expiresAt: 1 },
              { bucket: 'src', id: '#delivery', state: 'ok' },
              { bucket: '#templates', id: 'all-prod', template: {} },
            ],
          }
        : { Items: [] },
    );
    const desired = new DynamoDesiredStore({ client, tableName: 't' });
    expect((await desired.listBuckets()).buckets).toEqual(['src']);
    expect(await desired.scanItems()).toEqual([
      configurationItem,
      { bucket: '#templates', id: 'all-prod', template: {} },
    ]);
  });
});

describe('statusFromItem()', () => {
  it('reads a hand-edited item safely: unknown state in-sync, malformed conditions left out', () => {
    expect(
      statusFromItem({
        bucket: 'b',
        id: '#status',
        state: 'weird',
        conditions: {
          drift: { fingerprint: 1 },
          failure: 'x',
          'action-required': statusItem.conditions.drift,
        },
        version: '2',
      }),
    ).toEqual({
      bucket: 'b',
      state: 'in-sync',
      since: '',
      conditions: { 'action-required': statusItem.conditions.drift },
      runId: '',
      version: 0,
    });
  });
});

describe('SnsAlertPublisher', () => {
  it('publishes the formatted alert with eventType, bucket and severity String attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const publisher = new SnsAlertPublisher({
      client: new SNSClient({ region: 'us-east-1' }),
      topicArn: 'arn:t',
    });
    const alert = { type: 'action-required' as const, bucket: 'src', runId: 'r', summary: 'add it' };
    await publisher.publish(alert);
    const formatted = formatAlert(alert);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({
      TopicArn: 'arn:t',
      Subject: formatted.subject,
      Message: formatted.message,
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: 'action-required' },
        bucket: { DataType: 'String', StringValue: 'src' },
        severity: { DataType: 'String', StringValue: 'high' },
      },
    });
  });

  it('maps a refusal to an adapter error that says whether a retry may help', async () => {
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('boom'), { name: 'InternalErrorException', $fault: 'server' }));
    const publisher = new SnsAlertPublisher({
      client: new SNSClient({ region: 'us-east-1' }),
      topicArn: 'arn:t',
    });
    await expect(
      publisher.send(formatAlert({ type: 'drift-resolved', bucket: 'src', runId: 'r', summary: 's' })),
    ).rejects.toMatchObject({
      name: 'AwsAdapterError',
      message: expect.stringContaining('Publish drift-resolved src'),
    });
  });
});

describe('readServiceConfig() S3IR_ALERT_REMINDER_HOURS', () => {
  it('reads hours, fractions and 0 (never), and leaves the default to the alerts', () => {
    expect(readServiceConfig({ S3IR_ALERT_REMINDER_HOURS: '6' }).alertReminderHours).toBe(6);
    expect(readServiceConfig({ S3IR_ALERT_REMINDER_HOURS: '0.5' }).alertReminderHours).toBe(0.5);
    expect(readServiceConfig({ S3IR_ALERT_REMINDER_HOURS: '0' }).alertReminderHours).toBe(0);
    expect(readServiceConfig({ S3IR_ALERT_REMINDER_HOURS: '' }).alertReminderHours).toBeUndefined();
  });

  it('names the setting and the bad value', () => {
    for (const bad of ['-1', 'daily', 'Infinity']) {
      expect(() => readServiceConfig({ S3IR_ALERT_REMINDER_HOURS: bad })).toThrow(
        new ServiceConfigError(
          `S3IR_ALERT_REMINDER_HOURS must be a number of hours (0 or more), not ${JSON.stringify(bad)}`,
        ),
      );
    }
  });
});

describe('createServiceDeps() status step', () => {
  it('reminds after 24 hours unless told otherwise, and alerts only when there is a topic', async () => {
    const { createServiceDeps } = await import('../../../../lib/wiring/createServiceDeps.js');
    const options = { region: 'us-east-1', env: {} };
    const silent = createServiceDeps(readServiceConfig({}), options);
    expect(silent.statusStep.reminderMs).toBe(24 * 3_600_000);
    expect(silent.statusStep).not.toHaveProperty('alerts');
    const loud = createServiceDeps(
      readServiceConfig({ S3IR_ALERT_TOPIC_ARN: 'arn:t', S3IR_ALERT_REMINDER_HOURS: '0' }),
      options,
    );
    expect(loud.statusStep).toMatchObject({
      reminderMs: 0,
      alerts: { sender: loud.alerts, outbox: loud.outbox },
    });
    for (const service of [silent, loud]) service.factory.destroy();
  });

  it('keeps statuses, the outbox, leases and the brake hold in S3IR_STATE_TABLE, never the desired table', async () => {
    const { createServiceDeps } = await import('../../../../lib/wiring/createServiceDeps.js');
    const config = readServiceConfig({
      S3IR_DESIRED_TABLE: 'desired',
      S3IR_STATE_TABLE: 'state',
      S3IR_MAX_CHANGES: '5',
    });
    const service = createServiceDeps(config, {
      region: 'us-east-1',
      env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
    });
    documents.on(GetCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [] });
    documents.on(PutCommand).resolves({});
    documents.on(UpdateCommand).resolves({});
    const deps = service.reconcileDepsFor({ bucket: 'src', runId: 'run-1' });
    // Lazy: the facts choose destination clients only when a policy is written.
    const ports = deps.applyPortsFor({ bucket: 'src', region: 'us-east-1' }, {} as BucketFacts);
    await service.statuses.get('src');
    await service.outbox.list();
    await ports.policyLease.tryAcquire('destination-policy:reports', 'me');
    await service.brakes.store.currentHold();
    const tables = documents.calls().map((call) => (call.args[0].input as { TableName?: string }).TableName);
    expect(tables).toEqual(['state', 'state', 'state', 'state']);
    service.factory.destroy();
  });
});
