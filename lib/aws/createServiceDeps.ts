import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlertDispatch } from '../alerts/AlertDispatch.js';
import { DEFAULT_REMINDER_HOURS } from '../alerts/constants.js';
import type { AlertDeliveryPorts } from '../alerts/types.js';
import type { BucketMessage } from '../reconcile/bucketMessage.js';
import { type DesiredIndex, desiredIndex } from '../reconcile/changeTargets.js';
import type { ReconcileBucketDeps } from '../reconcile/servicePorts.js';
import { ClientFactory, type ClientFactoryOptions } from './ClientFactory.js';
import { DynamoAlertOutbox } from './DynamoAlertOutbox.js';
import { DynamoAuditSink } from './DynamoAuditSink.js';
import { DynamoBookkeeping } from './DynamoBookkeeping.js';
import { DynamoDesiredStore } from './DynamoDesiredStore.js';
import { DynamoPolicyLease } from './DynamoPolicyLease.js';
import { DynamoRunBudget } from './DynamoRunBudget.js';
import { DynamoStatusStore } from './DynamoStatusStore.js';
import { destinationClients, destinationOwners } from './destinationClients.js';
import { KmsKeyPolicyAdapter } from './KmsKeyPolicyAdapter.js';
import { lazySend } from './lazySend.js';
import { RunFactsReaders } from './RunFactsReader.js';
import { S3BucketPolicyAdapter } from './S3BucketPolicyAdapter.js';
import { S3InventoryAdapter } from './S3InventoryAdapter.js';
import { SnsAlertPublisher } from './SnsAlertPublisher.js';
import { SqsMessageVisibility } from './SqsMessageVisibility.js';
import { SqsReconcileQueue } from './SqsReconcileQueue.js';
import { partitionOfRegion } from './scopes.js';
import type { ServiceConfig } from './serviceConfig.js';
import { TaggingBucketSource } from './TaggingBucketSource.js';

/** Everything the functions use, built once per cold start over the one client factory. */
export function createServiceDeps(config: ServiceConfig, factoryOptions: ClientFactoryOptions = {}) {
  // Clients only for the home account and the allowed ones: no AssumeRole is ever tried elsewhere.
  const factory = new ClientFactory({
    crossAccountRoleName: config.crossAccountRoleName,
    ...(config.readRoleName !== undefined && { readRoleName: config.readRoleName }),
    ...(config.allowedAccounts !== undefined && { allowedAccounts: config.allowedAccounts }),
    ...factoryOptions,
  });
  const documents = lazySend(async () =>
    DynamoDBDocumentClient.from(await factory.client(DynamoDBClient), {
      marshallOptions: { removeUndefinedValues: true },
    }),
  );
  const s3Home = lazySend(() => factory.s3());
  const catalog = new TaggingBucketSource({
    s3: s3Home,
    expectedBucketOwner: () => factory.homeAccount(),
    // Regional: every region that holds a bucket of the account is asked (made on first use).
    taggingFor: (region) => factory.tagging({ region }),
    region: factory.region,
    partition: partitionOfRegion(factory.region),
  });
  const desired = new DynamoDesiredStore({
    client: documents,
    tableName: config.desiredTable,
    tagsOf: (bucket) => catalog.tagsOf(bucket),
  });
  const audit = new DynamoAuditSink({
    client: documents,
    tableName: config.auditTable,
    retentionDays: config.auditRetentionDays,
  });
  const alerts = new SnsAlertPublisher({
    client: lazySend(() => factory.sns()),
    topicArn: config.alertTopicArn ?? '',
  });
  const queue = new SqsReconcileQueue({
    client: lazySend(() => factory.sqs()),
    queueUrl: config.queueUrl ?? '',
  });
  // A failed message made visible again soon (lib/reconcile/retrySoon): the queue of its record's ARN.
  const messageVisibility = new SqsMessageVisibility({
    clientFor: (region) => factory.sqs({ region }),
    ...(config.queueUrl !== undefined && { queueUrl: config.queueUrl }),
  });
  // The service's own bookkeeping (statuses, outbox, leases, run budgets) is in the state table, which
  // only its roles write; the desired table holds what owners declare.
  const state = { client: documents, tableName: config.stateTable };
  const statuses = new DynamoStatusStore(state);
  const outbox = new DynamoAlertOutbox(state);
  // What the sweep removes once a bucket leaves it (lib/reconcile/cleanBookkeeping).
  const bookkeeping = new DynamoBookkeeping(state);
  // SNS, else the outbox for the next flush; with no topic (an `s3ir` user may have none), no alert.
  const alertDelivery: AlertDeliveryPorts | undefined = config.alertTopicArn
    ? { sender: alerts, outbox }
    : undefined;
  // The writer's delivery: also flushes the outbox when it may hold alerts (lib/alerts/AlertDispatch).
  const alertDispatch = alertDelivery !== undefined ? new AlertDispatch(alertDelivery) : undefined;
  /** The status step after every reconcile (lib/reconcile/recordTransition). */
  const statusStep = {
    status: statuses,
    reminderMs: (config.alertReminderHours ?? DEFAULT_REMINDER_HOURS) * 3_600_000,
    ...(alertDelivery !== undefined && { alerts: alertDelivery }),
    ...(alertDispatch !== undefined && { dispatch: alertDispatch }),
  };
  const factsRuns = new RunFactsReaders({
    factory,
    ...(config.destinationBuckets !== undefined && { destinationBuckets: config.destinationBuckets }),
  });
  /** The source bucket's owner, sent as ExpectedBucketOwner on every inventory call. */
  const sourceOwner = (scope: { account?: string }) => () => scope.account ?? factory.homeAccount();
  const keyPolicy = new KmsKeyPolicyAdapter({ clientFor: (keyArn) => factory.kmsForKey(keyArn) });
  // Shared destination and key policies are written under a lease, so that the Lambdas and `s3ir
  // reconcile` never lose each other's grants.
  const policyLease = new DynamoPolicyLease(state);
  const limits = {
    ...(config.maxChanges !== undefined && { remainingChanges: config.maxChanges }),
    ...(config.maxDeletes !== undefined && { remainingDeletes: config.maxDeletes }),
  };
  // The limits hold per run: every worker of a run reserves from one counter in the state table.
  const limited = config.maxChanges !== undefined || config.maxDeletes !== undefined;
  const budget = limited
    ? new DynamoRunBudget({
        ...state,
        ...(config.maxChanges !== undefined && { maxChanges: config.maxChanges }),
        ...(config.maxDeletes !== undefined && { maxDeletes: config.maxDeletes }),
      })
    : undefined;

  let index: { at: number; value: Promise<DesiredIndex> } | undefined;
  /** Which sources use each destination and key: one table Scan, reused for 30 s (a burst of events). */
  function desiredIndexCached(now = Date.now()): Promise<DesiredIndex> {
    if (!index || now - index.at >= 30_000) {
      const value = desired.scanItems().then(desiredIndex);
      value.catch(() => {
        index = undefined;
      });
      index = { at: now, value };
    }
    return index.value;
  }

  /** The deps of one bucket message: its run's facts cache and its run id on every audit event. */
  function reconcileDepsFor(message: BucketMessage): ReconcileBucketDeps {
    return {
      desired,
      facts: factsRuns.forRun(message.runId),
      inventoryFor: (scope) =>
        new S3InventoryAdapter({
          clientFor: () => factory.s3({ account: scope.account, region: scope.region }),
          expectedBucketOwner: sourceOwner(scope),
        }),
      applyPortsFor: (scope, facts) => ({
        inventory: new S3InventoryAdapter({
          clientFor: () => factory.s3({ account: scope.account, region: scope.region }),
          expectedBucketOwner: sourceOwner(scope),
        }),
        bucketPolicy: new S3BucketPolicyAdapter({
          clientFor: destinationClients(factory, facts),
          expectedBucketOwner: destinationOwners(facts),
        }),
        keyPolicy,
        policyLease,
        audit,
      }),
      audit,
      context: { runId: message.runId, actor: config.reconcileRoleArn ?? 's3ir-reconcile' },
      limits,
      ...(budget !== undefined && { budget }),
    };
  }

  return {
    config,
    factory,
    desired,
    audit,
    alerts,
    queue,
    messageVisibility,
    catalog,
    statuses,
    outbox,
    bookkeeping,
    alertDelivery,
    alertDispatch,
    statusStep,
    reconcileDepsFor,
    desiredIndex: desiredIndexCached,
  };
}

export type ServiceDeps = ReturnType<typeof createServiceDeps>;
