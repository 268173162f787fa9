import { AwsFactsReader } from '../adapters/aws/AwsFactsReader.js';
import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import { destinationClients, destinationOwners } from '../adapters/aws/destinationClients.js';
import { KmsKeyPolicyAdapter } from '../adapters/aws/KmsKeyPolicyAdapter.js';
import { S3BucketPolicyAdapter } from '../adapters/aws/S3BucketPolicyAdapter.js';
import type { AlertDeliveryPorts } from '../core/alerts/types.js';
import type { AuditSink } from '../core/audit/types.js';
import type { ApplyPorts, InventoryPort } from '../core/reconcile/ports.js';
import type { BucketFacts, DestinationFacts, KeyFacts } from '../core/reconcile/types.js';
import type { ChangeBrake } from '../usecases/brake/ports.js';
import { deliverAlerts } from '../usecases/recordTransition/deliverAlerts.js';
import type {
  GrantDestinationRequest,
  SweepGrantPorts,
  SweepGrantsDeps,
} from '../usecases/sweepGrants/ports.js';
import { reminderMs } from './alertWiring.js';
import { allowedAccountsOnce } from './allowedAccounts.js';
import { intentDeps } from './intentWiring.js';
import { organizationOf } from './organizationWiring.js';
import type { ServiceConfig } from './serviceConfig.js';
import { grantRecordStore, policyLease, type StateTable } from './stateStores.js';

/** What the grant step shares with the schedule's other parts. */
export interface SweepGrantsParts {
  state: StateTable;
  audit: AuditSink;
  brake: ChangeBrake;
  /** #18: where the step's own lasting failures are said (SNS, else the outbox); absent without a topic. */
  alerts?: AlertDeliveryPorts;
}

/**
 * The schedule's grant step (#18 point 4, lib/usecases/sweepGrants): the bounds (home account, allowed
 * accounts, the organization's membership, one `#accounts` read), a facts reader per sweep, and the same
 * write path as a reconcile's grant: each destination's clients chosen by its facts (its account's role), the
 * key policy adapter, the policy lease, the intent log, the audit sink and the account-wide brake.
 */
export function sweepGrantsWiring(
  config: ServiceConfig,
  factory: ClientFactory,
  parts: SweepGrantsParts,
): SweepGrantsDeps {
  const organization = organizationOf(config, factory);
  const allowed = allowedAccountsOnce(
    config,
    () => factory.homeAccount(),
    () => organization.allowed(),
  );
  const keyPolicy = new KmsKeyPolicyAdapter({ clientFor: (keyArn) => factory.kmsForKey(keyArn) });
  const lease = policyLease(parts.state);
  const intents = intentDeps(config, parts.state.client);
  // A bucket never moves (DESIGN, cost): a destination's region learned once serves every later sweep.
  const regions = new Map<string, string>();
  const readerOf = () =>
    new AwsFactsReader({
      factory,
      ...(config.destinationBuckets !== undefined && { destinationBuckets: config.destinationBuckets }),
    });
  return {
    bounds: async () => {
      const [home, accounts, membership] = await Promise.all([
        factory.homeAccount(),
        allowed(),
        organization.membership(),
      ]);
      return { home, allowed: accounts, membership };
    },
    portsForSweep: (): SweepGrantPorts => {
      let reader = readerOf();
      const destination = async (request: GrantDestinationRequest): Promise<DestinationFacts> => {
        const known = `${request.account}|${request.bucket}`;
        let region = request.region ?? regions.get(known);
        if (region === undefined) {
          region = await reader.bucketRegion(request.bucket, request.account);
          regions.set(known, region);
        }
        const ref = { bucket: request.bucket, account: request.account, region };
        return reader.destination(ref, request.account, region);
      };
      return {
        destination,
        key: (keyArn) => reader.key(keyArn),
        invalidate: () => {
          reader = readerOf();
        },
        applyPorts: (holder): ApplyPorts => ({
          inventory: NO_CONFIGURATION_WRITES,
          bucketPolicy: new S3BucketPolicyAdapter({
            clientFor: destinationClients(factory, holderFacts(holder)),
            expectedBucketOwner: destinationOwners(holderFacts(holder)),
          }),
          keyPolicy,
          policyLease: lease,
          audit: parts.audit,
        }),
      };
    },
    brake: parts.brake,
    ...intents,
    // #18: the `#grants` records (prune of policies no declaration names; the step's own failures alerted).
    records: grantRecordStore(parts.state),
    failures: {
      audit: parts.audit,
      reminderMs: reminderMs(config),
      ...(parts.alerts !== undefined && {
        deliver: (sent: Parameters<typeof deliverAlerts>[0]) => deliverAlerts(sent, parts.alerts!),
      }),
    },
  };
}

/** A destination's facts as the destination adapters take them (a plan of one policy has no source bucket). */
function holderFacts(holder: DestinationFacts | KeyFacts): BucketFacts {
  const account = holder.account ?? '';
  const region = holder.region ?? '';
  const destinations = 'keyArn' in holder ? {} : { [holder.bucket]: holder };
  return { bucket: '', account, region, destinations, keys: {} };
}

/** The grant step's plans hold one policy action: a configuration call would be a bug, refused before S3. */
const NO_CONFIGURATION_WRITES: InventoryPort = {
  list: refuseConfigurationCall,
  get: refuseConfigurationCall,
  put: refuseConfigurationCall,
  delete: refuseConfigurationCall,
};

function refuseConfigurationCall(): Promise<never> {
  return Promise.reject(
    new Error('the sweep grant step reads and writes policies only, never a configuration'),
  );
}
