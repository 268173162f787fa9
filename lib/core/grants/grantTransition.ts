import { fingerprint } from '../alerts/fingerprint.js';
import { type ConditionRules, statusTransition } from '../alerts/statusTransition.js';
import {
  type TransitionStamp,
  type TransitionStampOptions,
  transitionStamp,
} from '../alerts/transitionStamp.js';
import type { Alert } from '../alerts/types.js';
import type { AuditEvent } from '../audit/types.js';
import type { GrantTarget } from '../policy/types.js';
import {
  type GrantCondition,
  type GrantConditionStatus,
  type GrantStatus,
  grantRecordId,
  grantSubject,
} from './grantRecords.js';

/** What one sweep's grant step saw of one policy it planned. */
export type GrantObservation =
  /** Written, unchanged or pruned: the step works there. */
  | { kind: 'healthy' }
  /** Failed for a reason a retry will not fix (AccessDenied, the write guard's refusal, an unreadable policy). */
  | { kind: 'failed'; code: string; reason: string };

/** The policy the observation is about. */
export interface GrantSubject {
  target: GrantTarget;
  name: string;
  /** The destination's owner or the key's account, when known. */
  account?: string;
  region?: string;
}

export interface GrantTransitionOptions extends TransitionStampOptions {
  /** An unchanged failure is alerted again this long after its last alert; 0: never. */
  reminderMs: number;
}

/** What an observation changes in a policy's status (lib/usecases/recordTransition/recordStatusTransition). */
export interface GrantChange {
  /** The status to write; absent when nothing changed (a steady sweep writes nothing). */
  status?: GrantStatus;
  alerts: Alert[];
  events: AuditEvent[];
}

/**
 * The grant step's status transition for one policy, by the rule every status follows
 * (lib/core/alerts/statusTransition): a failure that appears or changes its code sends one
 * `reconcile-failed` alert (high) and records one `reconcile-failed` event on {@link grantSubject}'s chain;
 * an unchanged one costs nothing (a reminder after `reminderMs`, as for buckets); its end sends
 * `drift-resolved` and records it. A healthy policy without a status writes nothing. Pure.
 */
export function grantTransition(
  previous: GrantStatus | undefined,
  subject: GrantSubject,
  observation: GrantObservation,
  options: GrantTransitionOptions,
): GrantChange {
  if (previous === undefined && observation.kind === 'healthy') return { alerts: [], events: [] };
  const stamp = stampOf(subject, options);
  const seen = observation.kind === 'failed' ? failureReport(subject, observation, stamp) : undefined;
  const rules: ConditionRules<GrantCondition, Seen | undefined, GrantConditionStatus> = {
    fingerprint: (_, report) => report?.fingerprint,
    fingerprintOf: (_, entry) => entry.fingerprint,
    raise: (_, report, now) => ({
      entry: {
        fingerprint: report!.fingerprint,
        since: now,
        lastAlertAt: now,
        summary: report!.summary,
        code: report!.code,
      },
      alerts: [report!.alert],
      events: [report!.event],
    }),
    remind: (_, report) => [{ ...report!.alert, summary: `${report!.alert.summary} (reminder)` }],
    clear: (name, _, before) => {
      const summary = `The schedule's grant step writes ${labelOf(subject)} again (was: ${before.summary})`;
      return {
        alerts: [stamp.alert('drift-resolved', summary, { detail: { resolved: name, was: before } })],
        events: [stamp.event('drift-resolved', `resolved:${name}`, summary, { before })],
      };
    },
    keep: () => undefined,
  };
  const change = statusTransition(
    previous && { entries: previous.conditions, version: previous.version },
    [['grant-failed', seen]],
    rules,
    options,
  );
  if (change.entries === undefined) return { alerts: change.alerts, events: change.events };
  const conditions = change.entries;
  const state = conditions['grant-failed'] !== undefined ? 'failing' : 'ok';
  const now = options.now.toISOString();
  const status: GrantStatus = {
    id: grantRecordId(subject.target, subject.name),
    state,
    since: previous !== undefined && previous.state === state ? previous.since : now,
    conditions,
    runId: options.runId,
    version: change.version,
  };
  return { status, alerts: change.alerts, events: change.events };
}

interface Seen {
  fingerprint: string;
  summary: string;
  code: string;
  alert: Alert;
  event: AuditEvent;
}

function labelOf(subject: GrantSubject): string {
  return subject.target === 'key-policy'
    ? `the policy of KMS key ${subject.name}`
    : `the policy of destination bucket ${subject.name}`;
}

/** The envelope of a policy's alerts and events. */
function stampOf(subject: GrantSubject, options: GrantTransitionOptions): TransitionStamp {
  return transitionStamp(grantSubject(subject.target, subject.name), options, {
    ...(subject.account !== undefined && { account: subject.account }),
    ...(subject.region !== undefined && { region: subject.region }),
    target: subject.name,
  });
}

function failureReport(
  subject: GrantSubject,
  failure: Extract<GrantObservation, { kind: 'failed' }>,
  stamp: TransitionStamp,
): Seen {
  const summary =
    `The schedule's grant step cannot write ${labelOf(subject)} (${failure.code}): ` +
    'its sources are granted bucket by bucket, if at all, until it can';
  const detail = { target: subject.target, name: subject.name, code: failure.code, error: failure.reason };
  const nextSteps = [
    failure.code === 'PolicyWriteRefusedError'
      ? 'The write guard refused the change (read it as a bug or an attack): compare the policy with the audit history'
      : `Give the schedule role (or the member role of account ${subject.account ?? 'its owner'}) access to ${labelOf(subject)}`,
    'The next sweep tries again; one drift-resolved alert says when it works',
  ];
  return {
    fingerprint: fingerprint({ grant: { target: subject.target, name: subject.name, code: failure.code } }),
    summary,
    code: failure.code,
    alert: stamp.alert('reconcile-failed', summary, { detail, nextSteps }),
    event: stamp.event('reconcile-failed', 'grant-failed', `${summary}: ${failure.reason}`, {
      after: detail,
    }),
  };
}
