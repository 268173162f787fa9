import { SNSClient } from '@aws-sdk/client-sns';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { DynamoAlertOutbox } from '../../../lib/adapters/aws/DynamoAlertOutbox.js';
import { SnsAlertPublisher } from '../../../lib/adapters/aws/SnsAlertPublisher.js';
import type { BucketFacts } from '../../../lib/core/reconcile/types.js';
import { AlertDispatch } from '../../../lib/usecases/recordTransition/AlertDispatch.js';
import { reconcileWiring } from '../../../lib/wiring/reconcileWiring.js';
import { readServiceConfig } from '../../../lib/wiring/serviceConfig.js';
import { serviceFactory } from '../../../lib/wiring/serviceFactory.js';

const documents = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const factories: ClientFactory[] = [];
const options = { homeAccount: '111122223333', region: 'us-east-1', env: {} };

function factoryFor(config: ReturnType<typeof readServiceConfig>): ClientFactory {
  const factory = serviceFactory(config, options);
  factories.push(factory);
  return factory;
}

beforeEach(() => {
  documents.reset();
  sns.reset();
});
afterEach(() => {
  for (const factory of factories.splice(0)) factory.destroy();
});

describe('reconcileWiring() status step', () => {
  it('reminds after 24 hours unless told otherwise, and alerts only when there is a topic', () => {
    const quiet = readServiceConfig({});
    const silent = reconcileWiring(quiet, factoryFor(quiet));
    expect(silent.statusStep.reminderMs).toBe(24 * 3_600_000);
    expect(silent.statusStep).not.toHaveProperty('alerts');
    expect(silent.statusStep).not.toHaveProperty('dispatch');
    expect(silent).not.toHaveProperty('alertDispatch');
    expect(silent.statusStep.status).toBe(silent.statuses);

    const config = readServiceConfig({ S3IR_ALERT_TOPIC_ARN: 'arn:t', S3IR_ALERT_REMINDER_HOURS: '0' });
    const loud = reconcileWiring(config, factoryFor(config));
    expect(loud.statusStep.reminderMs).toBe(0);
    expect(loud.statusStep.alerts?.sender).toBeInstanceOf(SnsAlertPublisher);
    expect(loud.statusStep.alerts?.outbox).toBeInstanceOf(DynamoAlertOutbox);
    expect(loud.alertDispatch).toBeInstanceOf(AlertDispatch);
    // One dispatch per sandbox: the status step and the batch's begin/settle share it.
    expect(loud.statusStep.dispatch).toBe(loud.alertDispatch);
  });
});

describe('reconcileWiring() tables', () => {
  it('keeps statuses, the outbox, leases and the brake in S3IR_STATE_TABLE, never the desired table', async () => {
    const config = readServiceConfig({
      S3IR_DESIRED_TABLE: 'desired',
      S3IR_STATE_TABLE: 'state',
      S3IR_MAX_CHANGES: '5',
      S3IR_ALERT_TOPIC_ARN: 'arn:t',
    });
    const service = reconcileWiring(config, factoryFor(config));
    documents.on(GetCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [] });
    documents.on(PutCommand).resolves({});
    documents.on(UpdateCommand).resolves({});
    const deps = service.reconcileDepsFor({ bucket: 'src', runId: 'run-1' });
    // Lazy: the facts choose destination clients only when a policy is written.
    const ports = deps.applyPortsFor({ bucket: 'src', region: 'us-east-1' }, {} as BucketFacts);
    await service.statuses.get('src');
    await service.statusStep.alerts!.outbox.list();
    await ports.policyLease.tryAcquire('destination-policy:reports', 'me');
    await deps.brake!.reserve({ bucket: 'src', runId: 'run-1', actor: 'me', changes: 1, deletes: 0 });
    // Each call's table; a transaction's (the brake's reservation: hold check and counter) per item.
    const tables = documents.calls().flatMap((call) => {
      const input = call.args[0].input as {
        TableName?: string;
        TransactItems?: Record<string, { TableName?: string }>[];
      };
      return input.TransactItems?.map((item) => Object.values(item)[0]?.TableName) ?? [input.TableName];
    });
    expect(tables.length).toBeGreaterThanOrEqual(6);
    expect(new Set(tables)).toEqual(new Set(['state']));
  });

  it('shares one facts cache per run, with the run id and the reconcile role on every audit event', () => {
    const config = readServiceConfig({ S3IR_RECONCILE_ROLE_ARN: 'arn:aws:iam::111122223333:role/r' });
    const service = reconcileWiring(config, factoryFor(config));
    const a = service.reconcileDepsFor({ bucket: 'a', runId: 'sweep-1' });
    const b = service.reconcileDepsFor({ bucket: 'b', runId: 'sweep-1' });
    const other = service.reconcileDepsFor({ bucket: 'a', runId: 'change-2' });
    expect(a.facts).toBe(b.facts);
    expect(other.facts).not.toBe(a.facts);
    expect(a.context).toEqual({ runId: 'sweep-1', actor: 'arn:aws:iam::111122223333:role/r' });
    expect(a.allowedAccounts).toBe(other.allowedAccounts);
    // No S3IR_MAX_*: no limits and no budget to ask.
    expect(a.limits).toEqual({});
    expect(a).not.toHaveProperty('budget');
  });
});
