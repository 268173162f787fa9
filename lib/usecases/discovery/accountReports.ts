import type { AccountStatus, AccountStatusStore } from '../../core/accounts/accountStatus.js';
import { discoveryFailureOf } from '../../core/accounts/accountStatus.js';
import { type AccountObservation, accountTransition } from '../../core/accounts/accountTransition.js';
import type { Alert, AlertDeliveryPorts } from '../../core/alerts/types.js';
import type { AuditSink } from '../../core/audit/types.js';
import { describeFailure, isRetryable } from '../../core/reconcile/reconcileErrors.js';
import type { AlertDispatch } from '../recordTransition/AlertDispatch.js';
import { deliverAlerts } from '../recordTransition/deliverAlerts.js';
import {
  recordStatusTransition,
  type StatusTransitionReport,
} from '../recordTransition/recordStatusTransition.js';
import {
  AccountNotDiscoverableError,
  type DiscoverAccountDeps,
  type DiscoveryReport,
  discoverAccount,
} from './discoverAccount.js';
import type { DiscoveryMessage } from './discoveryMessage.js';

/** Where account statuses, their audit events and alerts go, and who records them. */
export interface AccountStatusDeps {
  status: AccountStatusStore;
  audit: AuditSink;
  /** Absent: recorded, no alert sent (no topic). */
  alerts?: AlertDeliveryPorts;
  /** The writer's delivery (also flushes the outbox); preferred when set. */
  dispatch?: AlertDispatch;
  /** A condition left unchanged is alerted again this long after its last alert; 0: never. */
  reminderMs: number;
  context: { runId: string; actor: string; now?: () => Date };
}

/** What recording one account's observation did. */
export type AccountReport = StatusTransitionReport<AccountStatus>;

/**
 * Records what a run saw of one member account ({@link accountTransition}: a failure or departure said once,
 * its recovery once) through the status transition every status uses: alerts (SNS, else the outbox), audit
 * events on the account's chain, then the status. One GetItem; no write unless something changed.
 * @throws AlertDeliveryError or RetryableReconcileError (an alert or event not kept): the status is then not
 *   written, and the next run makes the same transition again.
 */
export async function recordAccount(
  observation: AccountObservation,
  deps: AccountStatusDeps,
): Promise<AccountReport> {
  const { context, reminderMs, dispatch, alerts } = deps;
  const deliver =
    dispatch !== undefined
      ? (sent: readonly Alert[]) => dispatch.deliver(sent)
      : alerts !== undefined
        ? (sent: readonly Alert[]) => deliverAlerts(sent, alerts)
        : undefined;
  const options = {
    now: context.now?.() ?? new Date(),
    runId: context.runId,
    actor: context.actor,
    reminderMs,
  };
  return recordStatusTransition(
    observation.account,
    (previous: AccountStatus | undefined) => accountTransition(previous, observation, options),
    { status: deps.status, audit: deps.audit, ...(deliver !== undefined && { deliver }) },
  );
}

/** What one discovery came to. */
export type DiscoveryOutcome =
  | { status: 'discovered'; report: DiscoveryReport; account: AccountReport }
  /** Failed for good this time: recorded (status, alert, event); the next sweep sends the account again. */
  | { status: 'failed'; error: unknown; account: AccountReport }
  /** The account is no longer allowed: nothing asked of it (the sweep reports it as having left). */
  | { status: 'not-allowed'; error: AccountNotDiscoverableError };

/**
 * One member account's discovery (#18 point 2: "a failing account never stops the others, and says so in
 * status and one alert"): {@link discoverAccount}, then its status. A success clears a failure recorded
 * before (one `drift-resolved`). A failure that a retry cannot mend (the member role refused, AccessDenied on
 * ListBuckets or the tagging API), or any failure on the message's last receive, is recorded (status
 * `discovery-failed` with the call and error code, one `reconcile-failed` alert with the next step, one audit
 * event on `#account:<id>`) and returned: SQS need not retry it, and the next sweep sends the account again.
 * Any other failure is thrown for SQS to retry, unrecorded, so a passing throttle alerts nobody.
 * @throws the discovery's retryable error (not the last receive), or what {@link recordAccount} throws
 */
export async function discoverAndReport(
  message: DiscoveryMessage,
  deps: { discover: DiscoverAccountDeps; accounts: AccountStatusDeps; lastAttempt: boolean },
): Promise<DiscoveryOutcome> {
  const { account } = message;
  const accounts = { ...deps.accounts, context: { ...deps.accounts.context, runId: message.runId } };
  let report: DiscoveryReport;
  try {
    report = await discoverAccount(message, deps.discover);
  } catch (error) {
    if (error instanceof AccountNotDiscoverableError) return { status: 'not-allowed', error };
    if (isRetryable(error) && !deps.lastAttempt) throw error;
    const failure = discoveryFailureOf(error);
    const recorded = await recordAccount({ account, kind: 'discovery-failed', failure }, accounts);
    return { status: 'failed', error, account: recorded };
  }
  return {
    status: 'discovered',
    report,
    account: await recordAccount({ account, kind: 'discovered' }, accounts),
  };
}

/** What the sweep recorded of the accounts that left or came back. */
export interface MembershipReport {
  /** `account: state`, one per status written. */
  recorded: string[];
  /** `account: why`, one per account whose report failed (the status stays as it was). */
  failed: string[];
}

/**
 * The sweep's half of #18 point 9 ("removing an account from the OU stops its reconcile and is reported"):
 * each account the organization's resolution dropped gets the status `left-organization`, one
 * `action-required` alert and one audit event; each account allowed again has that cleared (one
 * `drift-resolved`). One account's failure does not stop the others; never throws.
 */
export async function reportMembershipChanges(
  change: { dropped: readonly string[]; added: readonly string[] },
  deps: AccountStatusDeps,
): Promise<MembershipReport> {
  const report: MembershipReport = { recorded: [], failed: [] };
  const observations: AccountObservation[] = [
    ...change.dropped.map((account) => ({ account, kind: 'left' as const })),
    ...change.added.map((account) => ({ account, kind: 'returned' as const })),
  ];
  for (const observation of observations) {
    try {
      const recorded = await recordAccount(observation, deps);
      if (recorded.statusError) report.failed.push(`${observation.account}: ${recorded.statusError}`);
      else if (recorded.status) report.recorded.push(`${observation.account}: ${recorded.status.state}`);
    } catch (error) {
      report.failed.push(`${observation.account}: ${describeFailure(error)}`);
    }
  }
  return report;
}
