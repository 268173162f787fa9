import type { AuditEvent } from '../audit/types.js';
import { compareCodeUnits } from '../json/compareCodeUnits.js';
import {
  bucketFailureEvent,
  driftEvent,
  type EventStamp,
  findingEvent,
  unmanagedEvent,
} from '../reconcile/auditEvents.js';
import type { Finding } from '../reconcile/types.js';
import type { BucketCondition } from './bucketStatus.js';
import { count } from './count.js';
import { fingerprint, stableText } from './fingerprint.js';
import type { Observation } from './observation.js';
import type { Alert, AlertType } from './types.js';

/** One condition as this run sees it: what identifies it, how it reads, and what it sends and records. */
export interface ConditionReport {
  fingerprint: string;
  /** One line, kept in the status. */
  summary: string;
  /** The alerts that report it (action-required: one per finding), without `since` (the status knows it). */
  alerts: Alert[];
  /** The audit events that record it when it appears or changes. */
  events: AuditEvent[];
}

/** The run could not see this condition (it failed before planning): it stays as it was. */
export const UNSEEN = 'unseen';

/** Each condition: its report, `undefined` when it does not hold, or {@link UNSEEN}. */
export type SeenConditions = Record<BucketCondition, ConditionReport | undefined | typeof UNSEEN>;

/** The three conditions of one observation. Pure. */
export function seenConditions(observation: Observation, stamp: EventStamp): SeenConditions {
  const alert = alertMaker(observation, stamp.context.runId);
  return {
    drift: observation.drift === undefined ? UNSEEN : driftReport(observation, alert, stamp),
    'action-required':
      observation.findings === undefined ? UNSEEN : findingsReport(observation.findings, alert, stamp),
    failure: failureReport(observation, alert, stamp),
  };
}

type AlertMaker = (type: AlertType, summary: string, extra?: Partial<Alert>) => Alert;

/** Alerts with the bucket's envelope. */
export function alertMaker(observation: Observation, runId: string): AlertMaker {
  return (type, summary, extra = {}) => ({
    type,
    bucket: observation.bucket,
    ...(observation.account !== undefined && { account: observation.account }),
    ...(observation.region !== undefined && { region: observation.region }),
    runId,
    summary,
    ...extra,
  });
}

function driftReport(observation: Observation, alert: AlertMaker, stamp: EventStamp) {
  const { actions, unmanaged, why } = observation.drift!;
  if (actions.length === 0 && unmanaged.length === 0) return undefined;
  // What is wrong, exactly: which actions are held back (with the fields of a changed configuration)
  // and which configurations nobody declared. Not policies' contents: foreign statements are not drift.
  const described = [
    ...actions.map((action) =>
      action.kind === 'update-configuration'
        ? { key: action.key, fields: action.fields }
        : { key: action.key },
    ),
    ...unmanaged.map((entry) => ({ key: `unmanaged:${entry.id}` })),
  ].sort((a, b) => compareCodeUnits(a.key, b.key));
  const parts: string[] = [];
  if (actions.length > 0) parts.push(`${count(actions.length, 'change')} not applied (${why})`);
  if (unmanaged.length > 0) {
    const ids = unmanaged.map((entry) => entry.id).join(', ');
    parts.push(`unmanaged ${count(unmanaged.length, 'configuration', false)} ${ids} left in place`);
  }
  const summary = `Drift on ${observation.bucket}: ${parts.join('; ')}`;
  const detail = {
    notApplied: actions.map((action) => ({
      key: action.key,
      reason: action.reason,
      ...(action.kind === 'update-configuration' && { fields: action.fields }),
    })),
    unmanaged: unmanaged.map((entry) => entry.id),
  };
  return {
    fingerprint: fingerprint({ drift: described }),
    summary,
    alerts: [alert('drift-detected', summary, { detail })],
    events: [
      ...actions.map((action) => driftEvent(action, 'report-only', stamp)),
      ...unmanaged.map((entry) => unmanagedEvent(entry.id, entry.actual, stamp)),
    ],
  };
}

function findingsReport(findings: Finding[], alert: AlertMaker, stamp: EventStamp) {
  if (findings.length === 0) return undefined;
  // Not the messages: a blast-radius finding names how much of the run's budget is left.
  const described = findings
    .map((finding) => ({
      kind: finding.kind,
      configId: finding.configId,
      target: finding.target,
      statement: finding.statement,
      replacesSid: finding.replacesSid,
    }))
    .sort((a, b) => compareCodeUnits(JSON.stringify(a), JSON.stringify(b)));
  return {
    fingerprint: fingerprint({ findings: described }),
    summary: firstAndMore(findings.map((finding) => finding.message)),
    alerts: findings.map((finding) =>
      alert('action-required', finding.message, {
        detail: {
          kind: finding.kind,
          configId: finding.configId,
          ...(finding.account !== undefined && { account: finding.account }),
        },
        ...(finding.target !== undefined && { target: finding.target }),
        ...(finding.statement !== undefined && { statement: finding.statement }),
      }),
    ),
    events: findings.map((finding) => findingEvent(finding, stamp)),
  };
}

function failureReport(observation: Observation, alert: AlertMaker, stamp: EventStamp) {
  const problems = observation.failures;
  if (problems.length === 0) return undefined;
  const summary = `Reconcile of ${observation.bucket} failed: ${firstAndMore(problems)}`;
  return {
    fingerprint: fingerprint({ failure: problems.map(stableText).sort(compareCodeUnits) }),
    summary,
    alerts: [alert('reconcile-failed', summary, { detail: { problems } })],
    // A failed action's event is recorded by apply as it happens; a refused desired configuration and a
    // run that failed as a whole are recorded here, when the failure appears or changes, not every run.
    events: (observation.failureEvents ?? []).map((record) =>
      bucketFailureEvent(record.subject, record.message, stamp, record.configId),
    ),
  };
}

function firstAndMore(lines: string[]): string {
  return lines.length > 1 ? `${lines[0]} (and ${lines.length - 1} more)` : lines[0]!;
}
