import { DynamoAdoptionSummaries } from '../adapters/aws/DynamoAdoptionSummaries.js';
import type { AdoptionSummaries } from '../usecases/recordTransition/summariseFirstAlerts.js';
import type { SendSummariesDeps } from '../usecases/sweep/sendAdoptionSummaries.js';
import type { AlertWiring } from './alertWiring.js';
import type { ServiceConfig } from './serviceConfig.js';
import type { StateTable } from './stateStores.js';

/**
 * #18 point 4, the reconcile side: a bucket's first alerts go to its run and account's summary (the state
 * table's `#adoption` items). Absent where no alert is sent (no topic: nothing to summarise), and with
 * `S3IR_ADOPTION_SINGLE_ALERTS=all` (every bucket alerted one by one, as before #18).
 */
export function adoptionLedger(
  config: Pick<ServiceConfig, 'adoptionSingleAlerts'>,
  state: StateTable,
  alerts: AlertWiring,
): { adoption?: AdoptionSummaries } {
  const single = config.adoptionSingleAlerts ?? 0;
  if (alerts.delivery === undefined || single === 'all') return {};
  return {
    adoption: {
      ledger: new DynamoAdoptionSummaries(state),
      singleAlerts: single,
    },
  };
}

/** #18 point 4, the sweep side: every earlier run's summaries sent (SNS, else the outbox), then removed. */
export function adoptionSender(state: StateTable, alerts: AlertWiring): { adoption?: SendSummariesDeps } {
  if (alerts.delivery === undefined) return {};
  return { adoption: { summaries: new DynamoAdoptionSummaries(state), delivery: alerts.delivery } };
}
