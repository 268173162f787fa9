import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import type { AlertDeliveryPorts } from '../core/alerts/types.js';
import type { ChangeWindowStore } from '../usecases/brake/ports.js';
import type { SweepAccountsDeps } from '../usecases/discovery/sweepAccounts.js';
import type { TransitionDeps } from '../usecases/recordTransition/recordTransition.js';
import type { BookkeepingStore } from '../usecases/sweep/cleanBookkeeping.js';
import type { SendSummariesDeps } from '../usecases/sweep/sendAdoptionSummaries.js';
import type { SweepDeps } from '../usecases/sweep/sweep.js';
import { adoptionSender } from './adoptionWiring.js';
import { alertWiring, statusStep } from './alertWiring.js';
import type { AnchorPorts } from './anchorWiring.js';
import { anchorWiring } from './anchorWiring.js';
import { auditSink } from './auditSink.js';
import { bucketTagSource, desiredStore } from './desiredWiring.js';
import { discoveryWiring } from './discoveryWiring.js';
import { reconcileQueue } from './reconcileQueue.js';
import type { ServiceConfig } from './serviceConfig.js';
import { lazyDocuments, serviceFactory } from './serviceFactory.js';
import { alertOutbox, bookkeepingStore, changeWindowStore, stateTable, statusStore } from './stateStores.js';

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
  return {
    catalog: () => desired.listBuckets(),
    buckets,
    queue,
    ...(discovery !== undefined && { discovery }),
    ...(anchors !== undefined && { anchors }),
    bookkeeping: bookkeepingStore(state),
    brakeStore: changeWindowStore(state),
    templateStatus: {
      ...statusStep(config, statusStore(state), alerts),
      audit: auditSink(config, documents),
    },
    ...(alerts.delivery !== undefined && { alertDelivery: alerts.delivery }),
    ...adoptionSender(state, alerts), // #18 point 4: the first reconciles' summaries
  };
}
