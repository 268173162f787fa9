import { ClientFactory, type ClientFactoryOptions } from '../adapters/aws/ClientFactory.js';
import { DynamoAlertOutbox } from '../adapters/aws/DynamoAlertOutbox.js';
import { DynamoAuditSink } from '../adapters/aws/DynamoAuditSink.js';
import { DynamoBookkeeping } from '../adapters/aws/DynamoBookkeeping.js';
import { DynamoDesiredStore } from '../adapters/aws/DynamoDesiredStore.js';
import { DynamoPolicyLease } from '../adapters/aws/DynamoPolicyLease.js';
import { DynamoStatusStore } from '../adapters/aws/DynamoStatusStore.js';
import { destinationClients, destinationOwners } from '../adapters/aws/destinationClients.js';
import { documentClient } from '../adapters/aws/documentClient.js';
import { KmsKeyPolicyAdapter } from '../adapters/aws/KmsKeyPolicyAdapter.js';
import { lazySend } from '../adapters/aws/lazySend.js';
import { RunFactsReaders } from '../adapters/aws/RunFactsReader.js';
import { S3BucketPolicyAdapter } from '../adapters/aws/S3BucketPolicyAdapter.js';
import { S3InventoryAdapter } from '../adapters/aws/S3InventoryAdapter.js';
import { SnsAlertPublisher } from '../adapters/aws/SnsAlertPublisher.js';
import { SqsMessageVisibility } from '../adapters/aws/SqsMessageVisibility.js';
import { SqsReconcileQueue } from '../adapters/aws/SqsReconcileQueue.js';
import { partitionOfRegion } from '../adapters/aws/scopes.js';
import { TaggingBucketSource } from '../adapters/aws/TaggingBucketSource.js';
import { DEFAULT_REMINDER_HOURS } from '../core/alerts/constants.js';
import type { AlertDeliveryPorts } from '../core/alerts/types.js';
import { allowedAccountSet } from '../core/reconcile/allowedAccounts.js';
import { type DesiredIndex, desiredIndex } from '../usecases/fanOut/changeTargets.js';
import type { ReconcileBucketDeps } from '../usecases/ports.js';
import type { BucketMessage } from '../usecases/reconcileMessage/bucketMessage.js';
import { AlertDispatch } from '../usecases/recordTransition/AlertDispatch.js';
import { brakeWiring } from './brakeWiring.js';
import type { ServiceConfig } from './serviceConfig.js';

/** Everything the functions use, built once per cold start over the one client factory. */
export function createServiceDeps(config: ServiceConfig, factoryOptions: ClientFactoryOptions = {}) {
  // Clients only for the home account and the allowed ones: no AssumeRole is ever tried elsewhere.
  const factory = new ClientFactory({
    crossAccountRoleName: config.crossAccountRoleName,
    ...(config.readRoleName !== undefined && { readRoleName: config.readRoleName }),
    ...(config.allowedAccounts !== undefined && { allowedAccounts: config.allowedAccounts }),
    ...factoryOptions,
  });
  const documents = lazySend(() => documentClient(factory));
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
  // A failed message made visible again soon (lib/usecases/reconcileMessage/retrySoon): the queue of its record's ARN.
  const messageVisibility = new SqsMessageVisibility({
    clientFor: (region) => factory.sqs({ region }),
    ...(config.queueUrl !== undefined && { queueUrl: config.queueUrl }),
  });
  // The service's own bookkeeping (statuses, outbox, leases, the brake) is in the state table, which
  // only its roles write; the desired table holds what owners declare.
  const state = { client: documents, tableName: config.stateTable };
  const statuses = new DynamoStatusStore(state);
  const outbox = new DynamoAlertOutbox(state);
  // What the sweep removes once a bucket leaves it (lib/usecases/sweep/cleanBookkeeping).
  const bookkeeping = new DynamoBookkeeping(state);
  // SNS, else the outbox for the next flush; with no topic (an `s3ir` user may have none), no alert.
  const alertDelivery: AlertDeliveryPorts | undefined = config.alertTopicArn
    ? { sender: alerts, outbox }
    : undefined;
  // The writer's delivery: also flushes the outbox when it may hold alerts (lib/usecases/recordTransition/AlertDispatch).
  const alertDispatch = alertDelivery !== undefined ? new AlertDispatch(alertDelivery) : undefined;
  /** The status step after every reconcile (lib/usecases/recordTransition/recordTransition). */
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
  // The account-wide brake (lib/wiring/brakeWiring): every writer reserves in one window in the state table.
  const brakes = brakeWiring(config, {
    client: documents,
    audit,
    ...(alertDispatch !== undefined && { deliver: (alerts) => alertDispatch.deliver(alerts) }),
  });

  let allowed: Promise<ReadonlySet<string>> | undefined;
  /** S3IR_ALLOWED_ACCOUNTS with the home account, resolved (STS) on first use and kept. */
  function allowedAccounts(): Promise<ReadonlySet<string>> {
    if (!allowed) {
      allowed = factory.homeAccount().then((home) => allowedAccountSet(config.allowedAccounts, home));
      allowed.catch(() => {
        allowed = undefined; // a failed STS call is asked again by the next bucket
      });
    }
    return allowed;
  }

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
      allowedAccounts,
      audit,
      context: { runId: message.runId, actor: config.reconcileRoleArn ?? 's3ir-reconcile' },
      limits,
      brake: brakes.brake,
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
    allowedAccounts,
    desiredIndex: desiredIndexCached,
    brakes,
  };
}

export type ServiceDeps = ReturnType<typeof createServiceDeps>;
