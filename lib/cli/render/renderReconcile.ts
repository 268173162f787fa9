import type { ReconcileOutcome } from '../../core/reconcile/outcome.js';
import type { ActionOutcome, PlanActionKind } from '../../core/reconcile/types.js';
import type { TransitionReport } from '../../usecases/recordTransition/recordTransition.js';
import { createStyle, type Style } from './style.js';

/** A bucket's reconcile as `s3ir reconcile` reports it (and, one per line, `--json` prints it). */
export interface BucketReconcileReport {
  version: 1;
  bucket: string;
  /** A ReconcileStatus, or `failed` for a failure the core threw (retryable in the service). */
  status: string;
  attempts: number;
  outcomes: ActionOutcome[];
  failure?: string;
  /** The alerts the status transition called for (sent when a topic is set), by type; absent: none. */
  alerts?: string[];
}

/** The report of one outcome of `reconcileBucket`, and of the status transition that followed it. */
export function reconcileReport(
  outcome: ReconcileOutcome,
  transition?: TransitionReport,
): BucketReconcileReport {
  const alerts = transition?.alerts.map((alert) => alert.type) ?? [];
  return {
    version: 1,
    bucket: outcome.bucket,
    status: outcome.status,
    attempts: outcome.attempts,
    outcomes: outcome.result?.outcomes ?? [],
    ...(outcome.failure !== undefined && { failure: outcome.failure }),
    ...(alerts.length > 0 && { alerts }),
  };
}

const SYMBOL: Record<PlanActionKind, string> = {
  'create-configuration': '+',
  'update-configuration': '~',
  'delete-configuration': '-',
  'grant-destination': '~',
  'revoke-destination': '~',
  'grant-key': '~',
  'revoke-key': '~',
};

/**
 * `bucket "photos": converged` then one line per action: `  + create-configuration:daily  applied`, and the
 * failure when there is one. Colour only when asked (a TTY).
 */
export function renderReconcileReport(
  report: BucketReconcileReport,
  options: { color?: boolean } = {},
): string {
  const style = createStyle(options.color ?? false);
  const lines = [`bucket "${report.bucket}": ${statusText(report.status, style)}`];
  for (const outcome of report.outcomes) {
    const error = outcome.error === undefined ? '' : style.dim(` (${outcome.error})`);
    lines.push(`  ${SYMBOL[outcome.kind]} ${outcome.key}  ${outcome.status}${error}`);
  }
  if (report.failure !== undefined) lines.push(style.red(`  ! ${report.failure}`));
  return `${lines.join('\n')}\n`;
}

function statusText(status: string, style: Style): string {
  if (status === 'failed') return style.red(status);
  if (status === 'drift-reported') return style.magenta(status);
  if (status === 'converged') return style.green(status);
  return status;
}
