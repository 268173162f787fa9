import { AuditChangeHistory } from '../adapters/aws/AuditChangeHistory.js';
import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import { auditReaderFor } from '../adapters/aws/DynamoAuditReader.js';
import { DynamoDeliveryStatusStore } from '../adapters/aws/DynamoDeliveryStatusStore.js';
import { documentClient } from '../adapters/aws/documentClient.js';
import { S3ReportReader } from '../adapters/aws/S3ReportReader.js';
import { RolePurpose } from '../adapters/aws/types.js';
import type { ChangeHistory, ReportReader } from '../usecases/deliveryCheck/ports.js';
import type { DeliveryCheckDeps } from '../usecases/deliveryCheck/runDeliveryCheck.js';
import { sweepBuckets } from '../usecases/sweep/sweep.js';
import type { ServiceDeps } from './createServiceDeps.js';

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
 * Build `service` with {@link DELIVERY_CHECK_FACTORY} so that its reads of other accounts (facts, inventory
 * lists) also go through the read-only role: the delivery check writes nothing and holds no write role.
 */
export const DELIVERY_CHECK_FACTORY = { purpose: RolePurpose.Read } as const;

/**
 * Everything the scheduled delivery check needs (lib/usecases/deliveryCheck/runDeliveryCheck): the buckets the sweep
 * reconciles, the reconciler's reads per bucket, the `#delivery` statuses, the audit sink and the alert
 * delivery (SNS, else the outbox) of the service.
 */
export async function deliveryCheckDeps(
  service: ServiceDeps,
  run: { now: Date; runId: string; actor: string },
): Promise<DeliveryCheckDeps> {
  const ports = await deliveryPorts(service.factory, service.config.auditTable);
  const documents = await documentClient(service.factory);
  const dispatch = service.alertDispatch;
  return {
    buckets: () => sweepBuckets({ catalog: () => service.desired.listBuckets(), buckets: service.catalog }),
    depsFor: (bucket) => ({
      reconcile: service.reconcileDepsFor({ bucket, runId: run.runId }),
      ...ports,
      now: run.now,
    }),
    transitions: {
      statuses: new DynamoDeliveryStatusStore({ client: documents, tableName: service.config.stateTable }),
      audit: service.audit,
      // SNS, else the outbox; flushed before the first alert (lib/usecases/recordTransition/AlertDispatch).
      ...(dispatch !== undefined && { deliverAlerts: (alerts) => dispatch.deliver(alerts) }),
      now: run.now,
      runId: run.runId,
      actor: run.actor,
      reminderMs: service.statusStep.reminderMs,
    },
  };
}
