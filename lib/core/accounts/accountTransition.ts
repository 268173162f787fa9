import { UNSEEN } from '../alerts/conditions.js';
import { fingerprint } from '../alerts/fingerprint.js';
import { type ConditionRules, statusTransition } from '../alerts/statusTransition.js';
import {
  type TransitionStamp,
  type TransitionStampOptions,
  transitionStamp,
} from '../alerts/transitionStamp.js';
import type { Alert } from '../alerts/types.js';
import type { AuditEvent } from '../audit/types.js';
import {
  type AccountCondition,
  type AccountConditionStatus,
  AccountState,
  type AccountStatus,
  accountSubject,
  type DiscoveryFailure,
} from './accountStatus.js';

/** What one run saw of a member account. */
export type AccountObservation =
  /** Discovery listed its buckets (it is a member, its role works). */
  | { account: string; kind: 'discovered' }
  /** Discovery failed (and will not be retried by SQS: its role was refused, or this was the last receive). */
  | { account: string; kind: 'discovery-failed'; failure: DiscoveryFailure }
  /** The sweep found it no longer allowed by the organization or OUs of `S3IR_ALLOWED_ACCOUNTS`. */
  | { account: string; kind: 'left' }
  /** The sweep found it allowed again (its discovery, when templates select it, says the rest). */
  | { account: string; kind: 'returned' };

export interface AccountTransitionOptions extends TransitionStampOptions {
  /** An unchanged condition is alerted again this long after its last alert; 0: never. */
  reminderMs: number;
}

/** What an observation changes in an account's status (lib/usecases/recordTransition/recordStatusTransition). */
export interface AccountChange {
  /** The status to write; absent when nothing changed (a steady sweep writes nothing). */
  status?: AccountStatus;
  alerts: Alert[];
  events: AuditEvent[];
}

/** One condition as this run sees it. */
interface Seen {
  fingerprint: string;
  summary: string;
  alert: Alert;
  event: AuditEvent;
  step?: string;
  code?: string;
}

/**
 * An account's status transition, by the one rule every status follows (lib/core/alerts/statusTransition):
 * a condition that appears or changes sends its alert (high: `reconcile-failed` for a failed discovery,
 * `action-required` for an account that left, each with the next steps) and records its audit event on the
 * account's chain (`#account:<id>`); one that holds unchanged costs nothing (reminders as for buckets); one
 * that clears sends `drift-resolved` and records it. An account that left forgets a discovery failure (it is
 * no longer discovered). A healthy observation of an account without a status writes nothing: only accounts
 * something happened to have one. Pure.
 */
export function accountTransition(
  previous: AccountStatus | undefined,
  observation: AccountObservation,
  options: AccountTransitionOptions,
): AccountChange {
  const healthy = observation.kind === 'discovered' || observation.kind === 'returned';
  if (previous === undefined && healthy) return { alerts: [], events: [] };
  const { account } = observation;
  const stamp = stampOf(account, options);
  const sightings: [AccountCondition, Seen | undefined | typeof UNSEEN][] =
    observation.kind === 'left'
      ? [['left-organization', leftReport(account, stamp)]]
      : [
          ['left-organization', undefined],
          [
            'discovery-failed',
            observation.kind === 'discovery-failed'
              ? failureReport(account, observation.failure, stamp)
              : observation.kind === 'returned'
                ? UNSEEN
                : undefined,
          ],
        ];
  const rules: ConditionRules<AccountCondition, Seen | undefined, AccountConditionStatus> = {
    fingerprint: (_, seen) => seen?.fingerprint,
    fingerprintOf: (_, entry) => entry.fingerprint,
    raise: (_, seen, now) => ({
      entry: {
        fingerprint: seen!.fingerprint,
        since: now,
        lastAlertAt: now,
        summary: seen!.summary,
        ...(seen!.step !== undefined && { step: seen!.step }),
        ...(seen!.code !== undefined && { code: seen!.code }),
      },
      alerts: [seen!.alert],
      events: [seen!.event],
    }),
    remind: (_, seen) => [{ ...seen!.alert, summary: `${seen!.alert.summary} (reminder)` }],
    clear: (name, _, before) => {
      const summary = resolvedSummary(name, account, before);
      return {
        alerts: [stamp.alert('drift-resolved', summary, { detail: { resolved: name, was: before } })],
        events: [stamp.event('drift-resolved', `resolved:${name}`, summary, { before })],
      };
    },
    keep: () => undefined,
  };
  const change = statusTransition(
    previous && { entries: previous.conditions, version: previous.version },
    sightings,
    rules,
    options,
  );
  if (change.entries === undefined) return { alerts: change.alerts, events: change.events };
  const conditions = change.entries;
  const state: AccountState =
    conditions['left-organization'] !== undefined
      ? AccountState.LeftOrganization
      : conditions['discovery-failed'] !== undefined
        ? AccountState.DiscoveryFailed
        : AccountState.Ok;
  const now = options.now.toISOString();
  const status: AccountStatus = {
    account,
    state,
    since: previous !== undefined && previous.state === state ? previous.since : now,
    conditions,
    runId: options.runId,
    version: change.version,
  };
  return { status, alerts: change.alerts, events: change.events };
}

/** The envelope of an account's alerts and events. */
function stampOf(account: string, options: AccountTransitionOptions): TransitionStamp {
  return transitionStamp(accountSubject(account), options, { account });
}

type Stamp = TransitionStamp;

function failureReport(account: string, failure: DiscoveryFailure, stamp: Stamp): Seen {
  const summary =
    `Discovery of account ${account} failed at ${failure.step} (${failure.code}): ` +
    'its buckets are not reconciled until it succeeds';
  const detail = { step: failure.step, code: failure.code, error: failure.message };
  return {
    fingerprint: fingerprint({ discovery: { step: failure.step, code: failure.code } }),
    summary,
    step: failure.step,
    code: failure.code,
    alert: stamp.alert('reconcile-failed', summary, { detail, nextSteps: failureSteps(account, failure) }),
    event: stamp.event('reconcile-failed', 'discovery', `${summary}: ${failure.message}`, { after: detail }),
  };
}

/** What to do about a failed discovery, by the call that failed. */
function failureSteps(account: string, failure: DiscoveryFailure): string[] {
  const status = `See it: \`s3ir status --account ${account}\`; the next sweep discovers it again`;
  if (failure.step === 'AssumeRole') {
    return [
      `Deploy the member stack (infra/member-account.yml) in account ${account}, or check that its member role trusts this service's discover role`,
      status,
    ];
  }
  if (failure.step === 'ListBuckets' || failure.step === 'GetResources' || failure.step === 'HeadBucket') {
    return [
      `Update the member stack in account ${account}: its member role must allow s3:ListAllMyBuckets, tag:GetResources and s3:ListBucket (HeadBucket)`,
      status,
    ];
  }
  return [`Read the discover function's logs for account ${account}`, status];
}

function leftReport(account: string, stamp: Stamp): Seen {
  const summary =
    `Account ${account} left the organization or OUs of S3IR_ALLOWED_ACCOUNTS (suspended, closed, removed or moved): ` +
    'its buckets are no longer reconciled; their inventory configurations and grants stay as they are';
  return {
    fingerprint: fingerprint({ left: account }),
    summary,
    alert: stamp.alert('action-required', summary, {
      nextSteps: [
        'If this was intended, nothing is needed: the service no longer touches the account',
        `If not, move account ${account} back into an allowed OU (or name it in S3IR_ALLOWED_ACCOUNTS)`,
        `Its last status: \`s3ir status --account ${account}\``,
      ],
    }),
    event: stamp.event('action-required', 'left-organization', summary),
  };
}

function resolvedSummary(name: AccountCondition, account: string, before: AccountConditionStatus): string {
  return name === 'discovery-failed'
    ? `Discovery of account ${account} recovered (was: ${before.summary})`
    : `Account ${account} is allowed again: its buckets are reconciled again (was: ${before.summary})`;
}
