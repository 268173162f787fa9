import { lazySend } from '../adapters/aws/lazySend.js';
import { SqsDiscoveryQueue } from '../adapters/aws/SqsDiscoveryQueue.js';
import { parentsOf } from '../core/organization/membership.js';
import type { DiscoverAccountDeps } from '../usecases/discovery/discoverAccount.js';
import type { SweepAccountsDeps } from '../usecases/discovery/sweepAccounts.js';
import type { ServiceDeps } from './createServiceDeps.js';

/**
 * The ports of the discovery fan-out (#18) over a service's deps: the schedule's member-account half
 * (`sweepAccounts`, when `S3IR_DISCOVERY_QUEUE_URL` is set) and the discovery handler (`discoverAccount`).
 */
export function discoveryWiring(service: ServiceDeps) {
  const { factory, organization, config } = service;
  const templates = async () => (await service.desired.listBuckets()).templates;
  const parents = async (account: string) => parentsOf(account, await organization.membership());
  const sweep: SweepAccountsDeps | undefined =
    config.discoveryQueueUrl === undefined
      ? undefined
      : {
          refresh: () => organization.refresh(),
          templates,
          allowedAccounts: service.allowedAccounts,
          homeAccount: () => factory.homeAccount(),
          parentsOf: parents,
          queue: new SqsDiscoveryQueue({
            client: lazySend(() => factory.sqs()),
            queueUrl: config.discoveryQueueUrl,
          }),
        };
  const discover: DiscoverAccountDeps = {
    templates,
    allowedAccounts: service.allowedAccounts,
    parentsOf: parents,
    bucketsOf: (account) => service.catalogOf(account),
    queue: service.queue,
  };
  return { sweep, discover };
}
