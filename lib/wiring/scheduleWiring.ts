import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import type { ScheduledSweepDeps } from '../usecases/sweep/scheduledSweep.js';
import { accountStatusWiring } from './accountStatusWiring.js';
import { adoptionSender } from './adoptionWiring.js';
import { alertWiring, statusStep } from './alertWiring.js';
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

/** What functions/schedule uses: every port of one scheduled sweep (lib/usecases/sweep/scheduledSweep). */
export type ScheduleDeps = ScheduledSweepDeps;

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
    grants: sweepGrantsWiring(config, factory, {
      state,
      audit,
      brake,
      ...(alerts.delivery !== undefined && { alerts: alerts.delivery }), // #18: the step's own failures
    }),
    ...(alerts.delivery !== undefined && { alertDelivery: alerts.delivery }),
    ...adoptionSender(state, alerts), // #18 point 4: the first reconciles' summaries
  };
}
