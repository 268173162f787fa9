import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { formatAlert } from '../../../lib/alerts/formatAlert.js';
import { DynamoDesiredStore } from '../../../lib/aws/DynamoDesiredStore.js';
import { DynamoStatusStore, statusFromItem } from '../../../lib/aws/DynamoStatusStore.js';
import { SnsAlertPublisher } from '../../../lib/aws/SnsAlertPublisher.js';
import { readServiceConfig, ServiceConfigError } from '../../../lib/aws/serviceConfig.js';
import { TEMPLATES_PARTITION } from '../../../lib/desired/constants.js';
import { makeConfiguration } from '../../helpers/factories.js';

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

describe('DynamoDesiredStore and DynamoStatusStore together', () => {
  it('hands the status item of the desired-state Query to the status store: no second read', async () => {
    partitions({ src: [configurationItem, statusItem], [TEMPLATES_PARTITION]: [] });
    const desired = new DynamoDesiredStore({ client, tableName: 't' });
    const statuses = new DynamoStatusStore({
      client,
      tableName: 't',
      prefetched: (bucket) => desired.takeStatusItem(bucket),
    });
    const bucket = await desired.getBucket('src');
    expect(bucket?.items.map((item) => item.id)).toEqual(['daily-csv']);
    expect(await statuses.get('src')).toEqual(statusFromItem(statusItem));
    expect(documents.commandCalls(GetCommand)).toHaveLength(0);

    // Handed over once: a later read asks the table.
    documents.on(GetCommand).resolves({});
    expect(await statuses.get('src')).toBeUndefined();
    expect(documents.commandCalls(GetCommand)[0]!.args[0].input).toEqual({
      TableName: 't',
      Key: { bucket: 'src', id: '#status' },
      ConsistentRead: true,
    });
  });

  it('says a partition without a status item has none, without asking again', async () => {
    partitions({ src: [configurationItem], [TEMPLATES_PARTITION]: [] });
    const desired = new DynamoDesiredStore({ client, tableName: 't' });
    await desired.getBucket('src');
    expect(desired.takeStatusItem('src')).toBeNull();
    expect(desired.takeStatusItem('src')).toBeUndefined();
  });

  it('never hands over a status older than the last read, even when that read failed', async () => {
    partitions({ src: [configurationItem, statusItem], [TEMPLATES_PARTITION]: [] });
    const desired = new DynamoDesiredStore({ client, tableName: 't' });
    await desired.getBucket('src');
    documents.on(QueryCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    await expect(desired.getBucket('src')).rejects.toThrow();
    expect(desired.takeStatusItem('src')).toBeUndefined();
  });

  it('keeps at most 1,000 status items waiting to be taken', async () => {
    documents.on(QueryCommand).callsFake((input) => {
      const bucket = input.ExpressionAttributeValues[':bucket'];
      return { Items: bucket === TEMPLATES_PARTITION ? [] : [{ ...configurationItem, bucket }] };
    });
    const desired = new DynamoDesiredStore({ client, tableName: 't' });
    for (let n = 0; n <= 1_000; n++) await desired.getBucket(`b${n}`);
    expect(desired.takeStatusItem('b0')).toBeUndefined();
    expect(desired.takeStatusItem('b1')).toBeNull();
    expect(desired.takeStatusItem('b1000')).toBeNull();
  });

  it('declares nothing from a bucket that has only its status item', async () => {
    partitions({ gone: [{ ...statusItem, bucket: 'gone' }], [TEMPLATES_PARTITION]: [] });
    const desired = new DynamoDesiredStore({ client, tableName: 't' });
    expect(await desired.getBucket('gone')).toBeUndefined();
  });

  it('leaves statuses, the outbox, run budgets and policy leases out of the bucket list and of scanItems', async () => {
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
    const { createServiceDeps } = await import('../../../lib/aws/createServiceDeps.js');
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
});
