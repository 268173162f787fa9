import type { InventoryConfiguration } from '../inventory/types.js';
import type { ReconcileOutcome } from '../reconcile/outcome.js';
import type { Finding, PlanAction } from '../reconcile/types.js';

/** A change applied and verified in this run. */
export interface AppliedChange {
  key: string;
  reason: string;
}

/** Drift a run leaves in place on purpose. */
export interface DriftLeft {
  /** Report-only actions: detect mode, or every action when the blast-radius guard stopped the plan. */
  actions: PlanAction[];
  /** Configurations present but not declared, which the bucket does not prune. */
  unmanaged: { id: string; actual: InventoryConfiguration }[];
  /** Why the actions were not applied. */
  why: 'detect mode' | 'blast-radius guard' | 'service on hold';
}

/**
 * What one reconcile of a bucket saw, as the status transition needs it. `drift` and `findings` are
 * undefined when the run could not see them (it failed before it could plan): the conditions they feed
 * then stay as they were, neither raised nor cleared.
 */
export interface Observation {
  bucket: string;
  account?: string;
  region?: string;
  applied: AppliedChange[];
  drift?: DriftLeft;
  /** Findings a human must act on (invalid desired state is a failure instead). */
  findings?: Finding[];
  /** One line per problem: failed actions, invalid desired configurations, a failure of the whole run. */
  failures: string[];
  /**
   * The failures the status step records as `reconcile-failed` events when the failure condition appears or
   * changes (a refused desired configuration, a run that failed as a whole), so that a failure that stays as
   * it was costs no write. Failed actions are not here: apply records each as it happens.
   */
  failureEvents?: FailureRecord[];
}

/** A failure to record: its subject (part of the event id), its message, and the configuration it concerns. */
export interface FailureRecord {
  subject: string;
  message: string;
  configId?: string;
}

/**
 * The observation of one `reconcileBucket` outcome; `undefined` for a bucket with nothing declared
 * (no status to keep). Pure.
 */
export function observeOutcome(outcome: ReconcileOutcome): Observation | undefined {
  const { plan, result } = outcome;
  if (outcome.status === 'not-declared') return undefined;
  if (!plan || !result) {
    const failure = outcome.failure ?? 'unknown failure';
    return {
      ...observeFailure(outcome.bucket, failure),
      failureEvents: [{ subject: 'reconcile', message: `Reconcile of ${outcome.bucket} failed: ${failure}` }],
    };
  }
  const byKey = new Map(plan.actions.map((action) => [action.key, action]));
  const withStatus = (status: string) => result.outcomes.filter((entry) => entry.status === status);
  const deleting = new Set(plan.actions.flatMap((a) => (a.kind === 'delete-configuration' ? [a.id] : [])));
  const failures = [
    ...withStatus('failed').map((entry) => `${entry.key}: ${entry.error ?? 'failed'}`),
    ...plan.findings.filter((f) => f.kind === 'invalid-desired').map((f) => f.message),
  ];
  if (failures.length === 0 && outcome.status === 'failed')
    failures.push(outcome.failure ?? 'unknown failure');
  return {
    bucket: plan.bucket,
    account: plan.account,
    region: plan.region,
    applied: withStatus('applied').map((entry) => ({
      key: entry.key,
      reason: byKey.get(entry.key)?.reason ?? entry.key,
    })),
    drift: {
      actions: withStatus('report-only').flatMap((entry) => byKey.get(entry.key) ?? []),
      unmanaged: plan.drift.flatMap((entry) =>
        entry.kind === 'unmanaged' && !deleting.has(entry.id) ? [{ id: entry.id, actual: entry.actual }] : [],
      ),
      why:
        plan.guard === undefined
          ? 'detect mode'
          : plan.guard.kind === 'hold'
            ? 'service on hold'
            : 'blast-radius guard',
    },
    // Findings apply learned (a policy write AWS refused) need a human exactly as the plan's do.
    findings: [...plan.findings, ...(result.findings ?? [])].filter(
      (finding) => finding.kind !== 'invalid-desired',
    ),
    failures,
    failureEvents: plan.findings
      .filter((finding) => finding.kind === 'invalid-desired')
      .map((finding) => ({
        subject: `invalid-desired:${finding.configId}`,
        message: finding.message,
        ...(finding.configId !== undefined && { configId: finding.configId }),
      })),
  };
}

/** The observation of a run that failed as a whole before planning: only the failure is known. Pure. */
export function observeFailure(bucket: string, failure: string): Observation {
  return { bucket, applied: [], failures: [failure] };
}
