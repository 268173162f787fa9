import type { ClientFactory } from '../adapters/aws/ClientFactory.js';
import type { AccountStatusDeps } from '../usecases/discovery/accountReports.js';
import { alertWiring, reminderMs } from './alertWiring.js';
import { auditSink } from './auditSink.js';
import type { ServiceConfig } from './serviceConfig.js';
import { lazyDocuments } from './serviceFactory.js';
import { accountStatusStore, alertOutbox, stateTable } from './stateStores.js';

/**
 * Where member accounts' statuses, their audit events and alerts go (#18 point 2 and 9): the state table's
 * `#account-status` items, the audit table, SNS (else the outbox, which the next sweep flushes). The schedule
 * (accounts that left or came back) and discover (a failed or recovered discovery) record through it.
 */
export function accountStatusWiring(
  config: ServiceConfig,
  factory: ClientFactory,
): Omit<AccountStatusDeps, 'context'> {
  const documents = lazyDocuments(factory);
  const state = stateTable(config, documents);
  const alerts = alertWiring(config, factory, alertOutbox(state));
  return {
    status: accountStatusStore(state),
    audit: auditSink(config, documents),
    reminderMs: reminderMs(config),
    ...(alerts.delivery !== undefined && { alerts: alerts.delivery }),
  };
}
