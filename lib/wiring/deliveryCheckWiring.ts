import { AuditChangeHistory } from '../adapters/aws/AuditChangeHistory.js';
import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import { auditReaderFor } from '../adapters/aws/DynamoAuditReader.js';
import { S3ReportReader } from '../adapters/aws/S3ReportReader.js';
import { RolePurpose } from '../adapters/aws/types.js';
import { parentsOf } from '../core/organization/membership.js';
import type { ChangeHistory, ReportReader } from '../usecases/deliveryCheck/ports.js';
import type { DeliveryCheckDeps } from '../usecases/deliveryCheck/runDeliveryCheck.js';
import { type MemberBucketsDeps, memberBuckets } from '../usecases/discovery/memberBuckets.js';
import type { AlertDispatch } from '../usecases/recordTransition/AlertDispatch.js';
import { sweepBuckets } from '../usecases/sweep/sweep.js';
import { accountCatalogs } from './accountCatalogs.js';
import { alertWiring, reminderMs } from './alertWiring.js';
import { allowedAccountsOnce } from './allowedAccounts.js';
import { auditSink } from './auditSink.js';
import { bucketTagSource, desiredStore } from './desiredWiring.js';
import { organizationOf } from './organizationWiring.js';
import { bucketReadsWiring } from './reconcileBucketWiring.js';
import type { ServiceConfig } from './serviceConfig.js';
import { lazyDocuments, serviceFactory } from './serviceFactory.js';
import { alertOutbox, deliveryStatusStore, stateTable } from './stateStores.js';

/**
 * The ports a delivery check needs beyond the reconciler's: delivered reports, read in the destination
 * owner's account (its read-only role, `S3IR_READ_ROLE`, never the reconcile role) and the source's region,
 * each call with ExpectedBucketOwner, and the audit history of configuration changes.
 */
export async function deliveryPorts(
  factory: ClientFactory,
  auditTable: string,
): Promise<{ reports: ReportReader; history: ChangeHistory }> {
  const reports = new S3ReportReader({
    clientFor: (location) =>
      factory.s3({ account: location.account, region: location.region, purpose: RolePurpose.Read }),
    defaultOwner: () => factory.homeAccount(),
  });
  const history = new AuditChangeHistory(await auditReaderFor(factory, auditTable));
  return { reports, history };
}

/**
 * The delivery check's factory options: its reads of other accounts (member accounts' bucket listings and
 * tags, facts, inventory lists, reports) go through the read-only role. The delivery check writes nothing
 * and holds no write role.
 */
export const DELIVERY_CHECK_FACTORY = { purpose: RolePurpose.Read } as const;

/** Who runs one delivery check, and when it judges. */
export interface DeliveryCheckRun {
  now: Date;
  runId: string;
  actor: string;
}

/** What functions/deliveryCheck uses: the deps of each run, and the sandbox's alert delivery. */
export interface DeliveryCheckFunctionDeps {
  /**
   * Everything one scheduled check needs (lib/usecases/deliveryCheck/runDeliveryCheck): the buckets the sweep
   * reconciles (the member accounts' too, #18), the reconciler's reads per bucket, the reports and the change
   * history, the `#delivery` statuses, the audit sink and the alert delivery (SNS, else the outbox).
   */
  deliveryCheckDeps(run: DeliveryCheckRun): Promise<DeliveryCheckDeps>;
  /** Also flushes the outbox (lib/usecases/recordTransition/AlertDispatch); absent without a topic. */
  alertDispatch?: AlertDispatch;
}

/** The delivery check function's deps over a read-purpose factory; no AWS call until the first check. */
export function deliveryCheckWiring(
  config: ServiceConfig,
  factory: ClientFactory = serviceFactory(config, DELIVERY_CHECK_FACTORY),
): DeliveryCheckFunctionDeps {
  const documents = lazyDocuments(factory);
  const state = stateTable(config, documents);
  const buckets = bucketTagSource(factory);
  const desired = desiredStore(config, documents, buckets, factory);
  const audit = auditSink(config, documents);
  const statuses = deliveryStatusStore(state);
  const dispatch = alertWiring(config, factory, alertOutbox(state)).dispatch;
  const organization = organizationOf(config, factory);
  const allowedAccounts = allowedAccountsOnce(
    config,
    () => factory.homeAccount(),
    () => organization.allowed(),
  );
  const readsFor = bucketReadsWiring(config, factory, { desired, allowedAccounts });
  // #18: member accounts' buckets as the deployed discovery finds them (ListBuckets and the tagging API in
  // each account), but through the read-only role of this factory.
  const members: MemberBucketsDeps = {
    allowedAccounts,
    homeAccount: () => factory.homeAccount(),
    parentsOf: async (account) => parentsOf(account, await organization.membership()),
    bucketsOf: accountCatalogs(factory),
  };
  return {
    deliveryCheckDeps: async (run) => {
      const ports = await deliveryPorts(factory, config.auditTable);
      const reads = readsFor(run.runId);
      // The table is read once a check, for the home account's buckets and the member accounts' templates.
      let catalog: ReturnType<typeof desired.listBuckets> | undefined;
      const catalogOnce = () => {
        catalog ??= desired.listBuckets();
        return catalog;
      };
      return {
        buckets: () => sweepBuckets({ catalog: catalogOnce, buckets }),
        memberBuckets: async () =>
          memberBuckets((await catalogOnce()).templates, members, { runId: run.runId }),
        depsFor: () => ({ reconcile: reads, ...ports, now: run.now }),
        transitions: {
          statuses,
          audit,
          // SNS, else the outbox; flushed before the first alert.
          ...(dispatch !== undefined && { deliverAlerts: (alerts) => dispatch.deliver(alerts) }),
          now: run.now,
          runId: run.runId,
          actor: run.actor,
          reminderMs: reminderMs(config),
        },
      };
    },
    ...(dispatch !== undefined && { alertDispatch: dispatch }),
  };
}
