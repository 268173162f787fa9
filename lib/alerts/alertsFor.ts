import type { ActionOutcome, ApplyResult, Finding, Plan } from '../reconcile/types.js';
import type { Alert, AlertType } from './types.js';

/** Who ran, for the alert envelope. */
export interface AlertContext {
  runId: string;
}

/**
 * The alerts one bucket's plan and apply call for (minimal: the audit issue adds de-duplication by status):
 * - `drift-resolved`: changes were applied and the bucket converged;
 * - `drift-detected`: drift left in place on purpose (detect mode, the blast-radius guard, unmanaged
 *   configurations the bucket does not prune);
 * - `reconcile-failed`: actions that failed, or desired configurations that are invalid;
 * - `action-required`: one per finding a human must act on, carrying the exact statement to add.
 * Pure.
 */
export function alertsFor(plan: Plan, result: ApplyResult, context: AlertContext): Alert[] {
  const base = { bucket: plan.bucket, account: plan.account, region: plan.region, runId: context.runId };
  const alert = (type: AlertType, summary: string, extra: Partial<Alert> = {}): Alert => ({
    type,
    ...base,
    summary,
    ...extra,
  });
  const alerts: Alert[] = [];
  const applied = result.outcomes.filter((outcome) => outcome.status === 'applied');
  if (applied.length > 0 && result.converged) {
    const summary = `Drift on ${plan.bucket} resolved: ${count(applied.length, 'change')} applied`;
    alerts.push(alert('drift-resolved', summary, { detail: { applied: reasons(plan, applied) } }));
  }

  const reportOnly = result.outcomes.filter((outcome) => outcome.status === 'report-only');
  const deleting = new Set(plan.actions.flatMap((a) => (a.kind === 'delete-configuration' ? [a.id] : [])));
  const unmanaged = plan.drift.filter((entry) => entry.kind === 'unmanaged' && !deleting.has(entry.id));
  const left: string[] = [];
  if (reportOnly.length > 0) {
    const why = plan.guard ? 'blast-radius guard' : 'detect mode';
    left.push(`${count(reportOnly.length, 'change')} not applied (${why})`);
  }
  if (unmanaged.length > 0) {
    const ids = unmanaged.map((entry) => entry.id).join(', ');
    left.push(`unmanaged ${count(unmanaged.length, 'configuration', false)} ${ids} left in place`);
  }
  if (left.length > 0) {
    alerts.push(
      alert('drift-detected', `Drift on ${plan.bucket}: ${left.join('; ')}`, {
        detail: { notApplied: reasons(plan, reportOnly), unmanaged: unmanaged.map((entry) => entry.id) },
      }),
    );
  }

  const failed = result.outcomes.filter((outcome) => outcome.status === 'failed');
  const invalid = plan.findings.filter((finding) => finding.kind === 'invalid-desired');
  const problems = [
    ...failed.map((outcome) => `${outcome.key}: ${outcome.error}`),
    ...invalid.map((f) => f.message),
  ];
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    alerts.push(
      alert('reconcile-failed', `Reconcile of ${plan.bucket} failed: ${problems[0]}${more}`, {
        detail: { problems },
      }),
    );
  }

  for (const finding of plan.findings.filter((entry) => entry.kind !== 'invalid-desired')) {
    alerts.push(actionRequired(finding, alert));
  }
  return alerts;
}

/** The `reconcile-failed` alert for a bucket whose reconcile failed as a whole (terminal, or retries spent). */
export function failureAlert(bucket: string, failure: string, context: AlertContext): Alert {
  return {
    type: 'reconcile-failed',
    bucket,
    runId: context.runId,
    summary: `Reconcile of ${bucket} failed: ${failure}`,
  };
}

function actionRequired(
  finding: Finding,
  alert: (type: AlertType, summary: string, extra?: Partial<Alert>) => Alert,
): Alert {
  const extra: Partial<Alert> = { detail: { kind: finding.kind, configId: finding.configId } };
  if (finding.target !== undefined) extra.target = finding.target;
  if (finding.statement !== undefined) extra.statement = finding.statement;
  return alert('action-required', finding.message, extra);
}

function reasons(plan: Plan, outcomes: ActionOutcome[]): { key: string; reason: string }[] {
  const byKey = new Map(plan.actions.map((action) => [action.key, action.reason]));
  return outcomes.map((outcome) => ({ key: outcome.key, reason: byKey.get(outcome.key) ?? '' }));
}

function count(n: number, noun: string, withNumber = true): string {
  const word = n === 1 ? noun : `${noun}s`;
  return withNumber ? `${n} ${word}` : word;
}
