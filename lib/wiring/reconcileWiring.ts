import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import { SqsMessageVisibility } from '../adapters/aws/SqsMessageVisibility.js';
import type { AuditSink } from '../core/audit/types.js';
import type { BatchIntentStore } from '../usecases/reconcileBucket/PrefetchedIntentStore.js';
import type { MessageVisibilityPort } from '../usecases/reconcileMessage/retrySoon.js';
import type { AlertDispatch } from '../usecases/recordTransition/AlertDispatch.js';
import { adoptionLedger } from './adoptionWiring.js';
import { alertWiring, type StatusStep, statusStep } from './alertWiring.js';
import { allowedAccountsOnce } from './allowedAccounts.js';
import { auditSink } from './auditSink.js';
import { accountBrakeOf } from './brakeWiring.js';
import { bucketTagSource, desiredStore } from './desiredWiring.js';
import { intentLog } from './intentWiring.js';
import { organizationOf } from './organizationWiring.js';
import {
  type ReconcileDepsFor,
  reconcileBucketWiring,
  reconcileIntentFolds,
} from './reconcileBucketWiring.js';
import type { ServiceConfig } from './serviceConfig.js';
import { lazyDocuments, serviceFactory } from './serviceFactory.js';
import { alertOutbox, type BatchStatusStore, stateTable, statusStore } from './stateStores.js';

/** What functions/reconcile uses: per message its reconcile deps, then the status step; retries soon. */
export interface ReconcileDeps {
  reconcileDepsFor: ReconcileDepsFor;
  /** The batch's statuses, read ahead in one request. */
  statuses: BatchStatusStore;
  /** The status step after each bucket (statuses, alerts, reminders). */
  statusStep: StatusStep;
  /** Makes a failed message visible again soon (lib/usecases/reconcileMessage/retrySoon). */
  messageVisibility: MessageVisibilityPort;
  /** The sandbox's alert delivery, which also flushes the outbox; absent without a topic. */
  alertDispatch?: AlertDispatch;
  /** #18 point 4: the audit sink, told each batch's buckets (`expect`) so their chain heads are read at once. */
  audit: AuditSink;
  /** #18 point 4: the batch's unfinished intents read ahead in one request (as each bucket's deps write them). */
  intents: BatchIntentStore;
}

/** The reconcile function's deps (one sandbox's), built once per cold start; no AWS call until the first batch. */
export function reconcileWiring(
  config: ServiceConfig,
  factory: ClientFactory = serviceFactory(config),
): ReconcileDeps {
  const documents = lazyDocuments(factory);
  const state = stateTable(config, documents);
  const statuses = statusStore(state);
  const alerts = alertWiring(config, factory, alertOutbox(state));
  const audit = auditSink(config, documents);
  const reconcileDepsFor = reconcileBucketWiring(config, factory, {
    desired: desiredStore(config, documents, bucketTagSource(factory), factory),
    audit,
    state,
    brake: accountBrakeOf(config, documents, audit, alerts.dispatch).brake,
    allowedAccounts: allowedAccountsOnce(
      config,
      () => factory.homeAccount(),
      () => organizationOf(config, factory).allowed(),
    ),
  });
  return {
    reconcileDepsFor,
    statuses,
    // #18 point 4: a bucket's first alerts summarised per run and account.
    statusStep: { ...statusStep(config, statuses, alerts), ...adoptionLedger(config, state, alerts) },
    // The queue of each failed record's ARN, in its region.
    messageVisibility: new SqsMessageVisibility({
      clientFor: (region) => factory.sqs({ region }),
      ...(config.queueUrl !== undefined && { queueUrl: config.queueUrl }),
    }),
    ...(alerts.dispatch !== undefined && { alertDispatch: alerts.dispatch }),
    audit,
    intents: intentLog(config, state.client, reconcileIntentFolds(config, audit)),
  };
}
