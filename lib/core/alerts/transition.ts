import type { AuditEvent } from '../audit/types.js';
import { type EventStamp, resolvedEvent } from '../reconcile/auditEvents.js';
import type { ChangeCause } from '../reconcile/changeCause.js';
import type { BucketCondition, BucketState, BucketStatus, ConditionStatus } from './bucketStatus.js';
import { alertMaker, type ConditionReport, seenConditions } from './conditions.js';
import { count } from './count.js';
import type { Observation } from './observation.js';
import { type ConditionRules, statusTransition } from './statusTransition.js';
import type { Alert } from './types.js';

export interface TransitionOptions {
  now: Date;
  runId: string;
  /** Who ran: the actor of the audit events. */
  actor: string;
  /** A condition left unchanged is alerted again this long after its last alert; 0: never. */
  reminderMs: number;
  /** The change events that woke the run: `cause` of the drift events (lib/core/reconcile/changeCause.ts). */
  causes?: readonly ChangeCause[];
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
 * The status transition of one bucket ({@link statusTransition} with the bucket's conditions). Each
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
  const stamp: EventStamp = {
    bucket: observation.bucket,
    context: {
      runId: options.runId,
      actor: options.actor,
      now: () => options.now,
      ...(options.causes !== undefined && { causes: options.causes }),
    },
  };
  const seen = seenConditions(observation, stamp);
  const alert = alertMaker(observation, options.runId);
  const applied = observation.applied.length > 0 && observation.failures.length === 0;
  const resolved: Resolved[] = [];
  const rules: ConditionRules<BucketCondition, ConditionReport | undefined, ConditionStatus> = {
    fingerprint: (_, report) => report?.fingerprint,
    fingerprintOf: (_, entry) => entry.fingerprint,
    raise: (_, report, now) => ({
      entry: { fingerprint: report!.fingerprint, since: now, lastAlertAt: now, summary: report!.summary },
      alerts: report!.alerts,
      events: report!.events,
    }),
    remind: (_, report) => report!.alerts.map((sent) => ({ ...sent, summary: `${sent.summary} (reminder)` })),
    clear: (name, _, before) => {
      const summary = resolvedSummary(name, observation.bucket, before, applied);
      // Drift fixed by this run's changes is already said by the "changes applied" alert.
      if (!(name === 'drift' && applied)) resolved.push({ name, summary, was: before });
      // Said in the run's one drift-resolved alert (resolvedAlertOf), with the changes applied.
      return { alerts: [], events: [resolvedEvent(name, summary, before, stamp)] };
    },
    keep: () => undefined,
  };
  const change = statusTransition(
    previous && { entries: previous.conditions, version: previous.version },
    CONDITIONS.map((name) => [name, seen[name]] as const),
    rules,
    options,
  );
  const resolvedAlert = resolvedAlertOf(observation, applied, resolved);
  const alerts = [
    ...(resolvedAlert
      ? [alert('drift-resolved', resolvedAlert.summary, { detail: resolvedAlert.detail })]
      : []),
    ...change.alerts,
  ];
  if (change.entries === undefined) return { alerts, events: change.events };
  const conditions = change.entries;
  const now = options.now.toISOString();
  const state = CONDITIONS.find((name) => conditions[name] !== undefined);
  const nextState: BucketState = state === undefined ? 'in-sync' : STATE_OF[state];
  const status: BucketStatus = {
    bucket: observation.bucket,
    state: nextState,
    since: previous !== undefined && previous.state === nextState ? previous.since : now,
    conditions,
    runId: options.runId,
    version: change.version,
  };
  return { status, alerts, events: change.events };
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

function resolvedSummary(name: BucketCondition, bucket: string, before: ConditionStatus, applied: boolean) {
  if (name === 'failure') return `Reconcile of ${bucket} recovered (was: ${before.summary})`;
  if (name === 'action-required') return `Action on ${bucket} no longer required (was: ${before.summary})`;
  return applied
    ? `Drift on ${bucket} resolved: fixed by this run (was: ${before.summary})`
    : `Drift on ${bucket} resolved (was: ${before.summary})`;
}
