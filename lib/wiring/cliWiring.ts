import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import type { DynamoDesiredStore } from '../adapters/aws/DynamoDesiredStore.js';
import type { AccountStatusStore } from '../core/accounts/accountStatus.js';
import type { AuditSink } from '../core/audit/types.js';
import { parentsOf } from '../core/organization/membership.js';
import type { MemberBucketsDeps } from '../usecases/discovery/memberBuckets.js';
import type { AlertDispatch } from '../usecases/recordTransition/AlertDispatch.js';
import type { BucketTagSource, DesiredCatalog } from '../usecases/sweep/sweep.js';
import { accountCatalogs } from './accountCatalogs.js';
import { alertWiring, type StatusStep, statusStep } from './alertWiring.js';
import { allowedAccountsOnce } from './allowedAccounts.js';
import { auditSink } from './auditSink.js';
import { accountBrakeOf, type BrakeWiring } from './brakeWiring.js';
import { bucketTagSource, desiredStore } from './desiredWiring.js';
import { organizationOf } from './organizationWiring.js';
import { type ReconcileDepsFor, reconcileBucketWiring } from './reconcileBucketWiring.js';
import type { ServiceConfig } from './serviceConfig.js';
import { lazyDocuments, serviceFactory } from './serviceFactory.js';
import {
  accountStatusStore,
  alertOutbox,
  type BatchStatusStore,
  stateTable,
  statusStore,
} from './stateStores.js';

/** What the AWS-facing `s3ir` commands use (lib/cli/cliContext): the service's ports, over one factory. */
export interface CliDeps {
  config: ServiceConfig;
  /** For the commands' own reads (the audit table, delivered reports, the caller) and to close the clients. */
  factory: ClientFactory;
  /** The desired-state table, which `s3ir apply` writes (no port declares those writes). */
  desired: DynamoDesiredStore;
  /** What the table declares, as the sweep reads it. */
  catalog(): Promise<DesiredCatalog>;
  /** The account's buckets, by name and tag, for templates, and one bucket's tags. */
  buckets: BucketTagSource & { tagsOf(bucket: string): Promise<Record<string, string>> };
  statuses: BatchStatusStore;
  /** `S3IR_ALLOWED_ACCOUNTS` with the home account, resolved once. */
  allowedAccounts(): Promise<ReadonlySet<string>>;
  /** The member accounts' buckets, for templates that name accounts (#18): each account's own role. */
  members: MemberBucketsDeps;
  reconcileDepsFor: ReconcileDepsFor;
  statusStep: StatusStep;
  /** Alerts when a topic is set, flushing the outbox too; absent without one. */
  alertDispatch?: AlertDispatch;
  /** The audit sink (`s3ir hold release` records who lifted the hold). */
  audit: AuditSink;
  /** The account-wide brake: `s3ir hold`, and the hold `s3ir apply` reports. */
  brakes: BrakeWiring;
  /** #18: member accounts whose discovery failed or that left the organization (`s3ir status`). */
  accountStatuses: AccountStatusStore;
}

/** The CLI's deps; nothing is called until a command needs it. */
export function cliWiring(config: ServiceConfig, factory: ClientFactory = serviceFactory(config)): CliDeps {
  const documents = lazyDocuments(factory);
  const state = stateTable(config, documents);
  const buckets = bucketTagSource(factory);
  const desired = desiredStore(config, documents, buckets, factory);
  const statuses = statusStore(state);
  const organization = organizationOf(config, factory);
  const allowedAccounts = allowedAccountsOnce(
    config,
    () => factory.homeAccount(),
    () => organization.allowed(),
  );
  const alerts = alertWiring(config, factory, alertOutbox(state));
  const audit = auditSink(config, documents);
  const brakes = accountBrakeOf(config, documents, audit, alerts.dispatch);
  return {
    config,
    factory,
    desired,
    catalog: () => desired.listBuckets(),
    buckets,
    statuses,
    allowedAccounts,
    members: {
      allowedAccounts,
      homeAccount: () => factory.homeAccount(),
      parentsOf: async (account) => parentsOf(account, await organization.membership()),
      bucketsOf: accountCatalogs(factory),
    },
    reconcileDepsFor: reconcileBucketWiring(config, factory, {
      desired,
      audit,
      state,
      allowedAccounts,
      brake: brakes.brake,
    }),
    statusStep: statusStep(config, statuses, alerts),
    ...(alerts.dispatch !== undefined && { alertDispatch: alerts.dispatch }),
    audit,
    brakes,
    accountStatuses: accountStatusStore(state),
  };
}
