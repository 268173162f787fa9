import type { AuditEvent } from '../audit/types.js';
import { type EventStamp, resolvedEvent } from '../reconcile/auditEvents.js';
import type { BucketCondition, BucketState, BucketStatus, ConditionStatus } from './bucketStatus.js';
import { alertMaker, type ConditionReport, count, seenConditions, UNSEEN } from './conditions.js';
import type { Observation } from './observation.js';
import type { Alert } from './types.js';

export interface TransitionOptions {
  now: Date;
  runId: string;
  /** Who ran: the actor of the audit events. */
  actor: string;
  /** A condition left unchanged is alerted again this long after its last alert; 0: never. */
  reminderMs: number;
}

/** What a reconcile's observation changes in a bucket's status. */
export interface Transition {
  /** The status to write; absent when nothing changed (steady state writes nothing). */
  status?: BucketStatus;
  alerts: Alert[];
  events: AuditEvent[];
}

/** Worst first: the bucket's state is that of the worst condition that holds. */
const CONDITIONS: readonly BucketCondition[] = ['failure', 'action-required', 'drift'];
const STATE_OF: Record<BucketCondition, BucketState> = {
  failure: 'failed',
  'action-required': 'action-required',
  drift: 'drifted',
};

/**
 * The status transition of one bucket, so that alerts fire on transitions and not on every sweep. Each
 * condition (`drift`, `action-required`, `failure`) has a fingerprint of exactly what is wrong:
 * - it appears, or its fingerprint changes: its alerts, and its audit events (`drift-detected` per
 *   drifted item, `action-required` per finding);
 * - it holds unchanged: nothing, unless `reminderMs` has passed since its last alert: the same alerts
 *   again as reminders (no audit event: nothing happened);
 * - it clears: a `drift-resolved` alert and audit event (for a failure: it recovered).
 * Changes applied in this run send `drift-resolved` ("N changes applied") too, as the one-time events
 * they are. Whatever cleared and was applied in one run is said in one `drift-resolved` alert (one
 * bucket's transition in one run is one alert). A condition the run could not see is kept as it was. The first observation of a bucket
 * writes its status; after that, a run that changes nothing returns no status, no alert and no event.
 * Pure.
 */
export function transition(
  previous: BucketStatus | undefined,
  observation: Observation,
  options: TransitionOptions,
): Transition {
  const now = options.now.toISOString();
  const stamp: EventStamp = {
    bucket: observation.bucket,
    context: { runId: options.runId, actor: options.actor, now: () => options.now },
  };
  const seen = seenConditions(observation, stamp);
  const alert = alertMaker(observation, options.runId);
  const alerts: Alert[] = [];
  const events: AuditEvent[] = [];
  const conditions: BucketStatus['conditions'] = {};
  let changed = previous === undefined;

  const applied = observation.applied.length > 0 && observation.failures.length === 0;
  const resolved: Resolved[] = [];

  for (const name of CONDITIONS) {
    const report = seen[name];
    const before = previous?.conditions[name];
    if (report === UNSEEN) {
      if (before) conditions[name] = before;
      continue;
    }
    if (report === undefined) {
      if (!before) continue;
      changed = true;
      const summary = resolvedSummary(name, observation.bucket, before, applied);
      // Drift fixed by this run's changes is already said by the "changes applied" alert.
      if (!(name === 'drift' && applied)) resolved.push({ name, summary, was: before });
      events.push(resolvedEvent(name, summary, before, stamp));
      continue;
    }
    const next = nextCondition(report, before, now, options.reminderMs);
    conditions[name] = next.status;
    if (next.alert === 'none') continue;
    changed = true;
    const reminder = next.alert === 'reminder';
    for (const sent of report.alerts) {
      alerts.push({
        ...sent,
        ...(reminder && { summary: `${sent.summary} (reminder)`, reminder: true }),
        since: next.status.since,
      });
    }
    if (!reminder) events.push(...report.events);
  }

  const resolvedAlert = resolvedAlertOf(observation, applied, resolved);
  if (resolvedAlert)
    alerts.unshift(alert('drift-resolved', resolvedAlert.summary, { detail: resolvedAlert.detail }));

  if (!changed) return { alerts, events };
  const state = CONDITIONS.find((name) => conditions[name] !== undefined);
  const nextState: BucketState = state === undefined ? 'in-sync' : STATE_OF[state];
  const status: BucketStatus = {
    bucket: observation.bucket,
    state: nextState,
    since: previous !== undefined && previous.state === nextState ? previous.since : now,
    conditions,
    runId: options.runId,
    version: (previous?.version ?? 0) + 1,
  };
  return { status, alerts, events };
}

/** A condition that cleared in this run. */
interface Resolved {
  name: BucketCondition;
  summary: string;
  was: ConditionStatus;
}

/**
 * The one `drift-resolved` alert of a run: one bucket's transition is one alert, so a bucket that
 * recovers from a failure and has changes applied in the same run says both in one message. Undefined
 * when nothing cleared and nothing was applied. The detail keeps today's shape for a single cause:
 * `{ applied }`, `{ resolved, was }`, or both; several cleared conditions give `resolved` as a list and
 * `was` by condition.
 */
function resolvedAlertOf(
  observation: Observation,
  applied: boolean,
  resolved: readonly Resolved[],
): { summary: string; detail: Record<string, unknown> } | undefined {
  const parts: string[] = [];
  const detail: Record<string, unknown> = {};
  if (applied) {
    parts.push(
      `Drift on ${observation.bucket} resolved: ${count(observation.applied.length, 'change')} applied`,
    );
    detail.applied = observation.applied;
  }
  parts.push(...resolved.map((entry) => entry.summary));
  if (parts.length === 0) return undefined;
  if (resolved.length === 1) {
    detail.resolved = resolved[0]!.name;
    detail.was = resolved[0]!.was;
  } else if (resolved.length > 1) {
    detail.resolved = resolved.map((entry) => entry.name);
    detail.was = Object.fromEntries(resolved.map((entry) => [entry.name, entry.was]));
  }
  return { summary: parts.join('; '), detail };
}

/** A condition that holds in this run: kept, re-alerted (new or changed) or reminded. */
function nextCondition(
  report: ConditionReport,
  before: ConditionStatus | undefined,
  now: string,
  reminderMs: number,
): { status: ConditionStatus; alert: 'new' | 'reminder' | 'none' } {
  if (!before || before.fingerprint !== report.fingerprint) {
    return {
      status: { fingerprint: report.fingerprint, since: now, lastAlertAt: now, summary: report.summary },
      alert: 'new',
    };
  }
  const due = reminderMs > 0 && Date.parse(now) - Date.parse(before.lastAlertAt) >= reminderMs;
  if (!due) return { status: before, alert: 'none' };
  return { status: { ...before, lastAlertAt: now }, alert: 'reminder' };
}

function resolvedSummary(name: BucketCondition, bucket: string, before: ConditionStatus, applied: boolean) {
  if (name === 'failure') return `Reconcile of ${bucket} recovered (was: ${before.summary})`;
  if (name === 'action-required') return `Action on ${bucket} no longer required (was: ${before.summary})`;
  return applied
    ? `Drift on ${bucket} resolved: fixed by this run (was: ${before.summary})`
    : `Drift on ${bucket} resolved (was: ${before.summary})`;
}
