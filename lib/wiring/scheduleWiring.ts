import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import type { AlertDeliveryPorts } from '../core/alerts/types.js';
import type { ChangeWindowStore } from '../usecases/brake/ports.js';
import type { AccountStatusDeps } from '../usecases/discovery/accountReports.js';
import type { DiscoveredStore } from '../usecases/discovery/discoveredBuckets.js';
import type { SweepAccountsDeps } from '../usecases/discovery/sweepAccounts.js';
import type { TransitionDeps } from '../usecases/recordTransition/recordTransition.js';
import type { BookkeepingStore } from '../usecases/sweep/cleanBookkeeping.js';
import type { SendSummariesDeps } from '../usecases/sweep/sendAdoptionSummaries.js';
import type { SweepDeps } from '../usecases/sweep/sweep.js';
import type { SweepGrantsDeps } from '../usecases/sweepGrants/ports.js';
import { accountStatusWiring } from './accountStatusWiring.js';
import { adoptionSender } from './adoptionWiring.js';
import { alertWiring, statusStep } from './alertWiring.js';
import type { AnchorPorts } from './anchorWiring.js';
import { anchorWiring } from './anchorWiring.js';
import { auditSink } from './auditSink.js';
import { accountBrakeOf } from './brakeWiring.js';
import { bucketTagSource, desiredStore } from './desiredWiring.js';
import { discoveryWiring } from './discoveryWiring.js';
import { reconcileQueue } from './reconcileQueue.js';
import type { ServiceConfig } from './serviceConfig.js';
import { lazyDocuments, serviceFactory } from './serviceFactory.js';
import {
  alertOutbox,
  bookkeepingStore,
  changeWindowStore,
  discoveredStore,
  stateTable,
  statusStore,
} from './stateStores.js';
import { sweepGrantsWiring } from './sweepGrantsWiring.js';

/** What functions/schedule uses: the sweep's reads and queue, the outbox to flush, the bookkeeping to clean. */
export interface ScheduleDeps extends SweepDeps {
  /** The state table's per-bucket items, removed once their bucket leaves the sweep. */
  bookkeeping: BookkeepingStore;
  /** SNS and the outbox the sweep flushes; absent without a topic. */
  alertDelivery?: AlertDeliveryPorts;
  /** The member accounts' half of the sweep (#18), when `S3IR_DISCOVERY_QUEUE_URL` is set. */
  discovery?: SweepAccountsDeps;
  /** The audit anchor written at the end of each sweep (issue 16), when a digest bucket is configured. */
  anchors?: AnchorPorts;
  /** The account-wide brake's hold, read for the HoldActive metric every sweep. */
  brakeStore: ChangeWindowStore;
  /** Where the refused templates' status, alerts and audit events go (lib/usecases/sweep/reportTemplates). */
  templateStatus: Omit<TransitionDeps, 'context'>;
  /** #18 point 4: the grant step before the fan-out (one policy write per destination and key at most). */
  grants: SweepGrantsDeps;
  /** #18: where accounts that left the organization (or came back) are recorded; set with `discovery`. */
  accountStatus?: Omit<AccountStatusDeps, 'context'>;
  /** #18: what each member account's last discovery selected (the cleanup keeps those buckets); with `discovery`. */
  discovered?: DiscoveredStore;
  /** #18 point 4: the first reconciles' summaries, sent once per run and account; absent without a topic. */
  adoption?: SendSummariesDeps;
}

/** The schedule function's deps, built once per cold start; no AWS call until the first sweep. */
export function scheduleWiring(
  config: ServiceConfig,
  factory: ClientFactory = serviceFactory(config),
): ScheduleDeps {
  const documents = lazyDocuments(factory);
  const state = stateTable(config, documents);
  const buckets = bucketTagSource(factory);
  const desired = desiredStore(config, documents, buckets, factory);
  const alerts = alertWiring(config, factory, alertOutbox(state));
  const queue = reconcileQueue(config, factory);
  const discovery = discoveryWiring(config, factory, { desired, queue }).sweep;
  const anchors = anchorWiring(config, factory);
  // #18 point 4: the sweep's grant step writes as a reconcile does (lease, intent, brake, audit).
  const audit = auditSink(config, documents);
  const brake = accountBrakeOf(config, documents, audit, alerts.dispatch).brake;
  return {
    catalog: () => desired.listBuckets(),
    buckets,
    queue,
    ...(discovery !== undefined && { discovery }),
    ...(discovery !== undefined && { accountStatus: accountStatusWiring(config, factory) }),
    ...(discovery !== undefined && { discovered: discoveredStore(state) }),
    ...(anchors !== undefined && { anchors }),
    bookkeeping: bookkeepingStore(state),
    brakeStore: changeWindowStore(state),
    templateStatus: {
      ...statusStep(config, statusStore(state), alerts),
      audit,
    },
    grants: sweepGrantsWiring(config, factory, { state, audit, brake }),
    ...(alerts.delivery !== undefined && { alertDelivery: alerts.delivery }),
    ...adoptionSender(state, alerts), // #18 point 4: the first reconciles' summaries
  };
}
