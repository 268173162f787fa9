import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import { lazySend } from '../adapters/aws/lazySend.js';
import { SqsDiscoveryQueue } from '../adapters/aws/SqsDiscoveryQueue.js';
import { parentsOf } from '../core/organization/membership.js';
import type { DiscoverAccountDeps } from '../usecases/discovery/discoverAccount.js';
import { keepDiscovered } from '../usecases/discovery/discoveredBuckets.js';
import type { SweepAccountsDeps } from '../usecases/discovery/sweepAccounts.js';
import type { ReconcileQueue } from '../usecases/reconcileMessage/bucketMessage.js';
import type { SweepDeps } from '../usecases/sweep/sweep.js';
import { accountCatalogs } from './accountCatalogs.js';
import { allowedAccountsOnce } from './allowedAccounts.js';
import { bucketTagSource, desiredStore } from './desiredWiring.js';
import { organizationOf } from './organizationWiring.js';
import { reconcileQueue } from './reconcileQueue.js';
import type { ServiceConfig } from './serviceConfig.js';
import { lazyDocuments, serviceFactory } from './serviceFactory.js';
import { discoveredStore, stateTable } from './stateStores.js';

/** What the discovery ports share with their entry point: the templates' store and the reconcile queue. */
export interface DiscoveryParts {
  desired: { listBuckets: SweepDeps['catalog'] };
  queue: ReconcileQueue;
}

/**
 * The ports of the discovery fan-out (#18): the schedule's member-account half (`sweepAccounts`, only when
 * `S3IR_DISCOVERY_QUEUE_URL` is set) and the discovery handler's (`discoverAccount`), over one client factory.
 */
export function discoveryWiring(
  config: ServiceConfig,
  factory: ClientFactory,
  parts: DiscoveryParts,
): { sweep?: SweepAccountsDeps; discover: DiscoverAccountDeps } {
  const organization = organizationOf(config, factory);
  const templates = async () => (await parts.desired.listBuckets()).templates;
  const parents = async (account: string) => parentsOf(account, await organization.membership());
  const allowedAccounts = allowedAccountsOnce(
    config,
    () => factory.homeAccount(),
    () => organization.allowed(),
  );
  const discover: DiscoverAccountDeps = {
    templates,
    allowedAccounts,
    forgetMembership: () => organization.forget(),
    parentsOf: parents,
    bucketsOf: accountCatalogs(factory),
    queue: parts.queue,
    // #18: what it selected, for the sweep's cleanup of member buckets' bookkeeping.
    keepSelected: (account, buckets, runId) =>
      keepDiscovered(discoveredStore(stateTable(config, lazyDocuments(factory))), account, buckets, runId),
  };
  if (config.discoveryQueueUrl === undefined) return { discover };
  const sweep: SweepAccountsDeps = {
    refresh: () => organization.refresh(),
    templates,
    allowedAccounts,
    homeAccount: () => factory.homeAccount(),
    parentsOf: parents,
    queue: new SqsDiscoveryQueue({
      client: lazySend(() => factory.sqs()),
      queueUrl: config.discoveryQueueUrl,
    }),
  };
  return { sweep, discover };
}

/** What functions/discover uses: one member account's selected buckets onto the reconcile queue. */
export function discoverWiring(
  config: ServiceConfig,
  factory: ClientFactory = serviceFactory(config),
): DiscoverAccountDeps {
  const desired = desiredStore(config, lazyDocuments(factory), bucketTagSource(factory), factory);
  return discoveryWiring(config, factory, { desired, queue: reconcileQueue(config, factory) }).discover;
}
