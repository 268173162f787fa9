import type { BucketState, BucketStatus } from '../../core/alerts/bucketStatus.js';
import { formatIssue } from '../../core/inventory/validateConfiguration.js';
import type { Finding } from '../../core/reconcile/types.js';
import type { BucketPlan } from '../../wiring/planBuckets.js';
import { createStyle } from './style.js';

/** A bucket's drift status, as `s3ir status` shows it. */
export interface BucketStatusRow {
  bucket: string;
  /** The states of the service's status items (lib/core/alerts/bucketStatus), computed by planning now. */
  status: BucketState;
  /** Configurations that differ (missing, changed, unmanaged). */
  drift: number;
  actions: number;
  findings: number;
  error?: string;
  /** Every desired configuration refused (invalid), with the reason that names its field. */
  refused?: { id: string; reason: string }[];
  /** ISO 8601 UTC: since when, as the bucket's status item says, when it says the same state. */
  since?: string;
}

/**
 * The status of a planned bucket: `failed` when it could not be read or its declaration is invalid,
 * `action-required` when a finding needs a human, `drifted` when anything differs, else `in-sync`.
 */
export function statusRow(result: Exclude<BucketPlan, { notDeclared: true }>): BucketStatusRow {
  if ('error' in result) {
    return {
      bucket: result.bucket,
      status: 'failed',
      drift: 0,
      actions: 0,
      findings: 0,
      error: result.error,
    };
  }
  const { plan } = result;
  const counts = { drift: plan.drift.length, actions: plan.actions.length, findings: plan.findings.length };
  const invalid = plan.findings.find((finding) => finding.kind === 'invalid-desired');
  const status: BucketState = invalid
    ? 'failed'
    : counts.findings > 0
      ? 'action-required'
      : counts.actions + counts.drift > 0
        ? 'drifted'
        : 'in-sync';
  const refused = plan.findings.flatMap((finding) =>
    finding.kind === 'invalid-desired' && finding.configId !== undefined
      ? [{ id: finding.configId, reason: refusalReason(finding) }]
      : [],
  );
  return {
    bucket: plan.bucket,
    status,
    ...counts,
    ...(invalid && { error: invalid.message }),
    ...(refused.length > 0 && { refused }),
  };
}

/** Every issue of a refused configuration, `path: reason` each, `; ` between. */
function refusalReason(finding: Finding): string {
  const issues = finding.issues ?? [];
  return issues.length > 0 ? issues.map(formatIssue).join('; ') : finding.message;
}

/**
 * The row with `since` from the bucket's stored status, when that status is the state planning found now
 * (a stored state that differs is older than this plan, and its `since` not this state's).
 */
export function withSince(row: BucketStatusRow, stored: BucketStatus | undefined): BucketStatusRow {
  return stored !== undefined && stored.state === row.status && stored.since !== ''
    ? { ...row, since: stored.since }
    : row;
}

/** How many buckets have each status, every status named (0 included). */
export function statusCounts(rows: readonly BucketStatusRow[]): Record<BucketState, number> {
  const counts = { 'in-sync': 0, drifted: 0, 'action-required': 0, failed: 0 };
  for (const row of rows) counts[row.status] += 1;
  return counts;
}

/**
 * One line per bucket, aligned: `photos   drifted   2 drift, 2 actions, 0 findings`, with
 * `  since 2026-01-02T03:04:05.000Z` when known, then `3 buckets: 1 in-sync, 1 drifted, 1 action-required, 0 failed.`
 */
export function renderStatus(rows: readonly BucketStatusRow[], options: { color?: boolean } = {}): string {
  const style = createStyle(options.color ?? false);
  const paint = {
    'in-sync': style.green,
    drifted: style.yellow,
    'action-required': style.magenta,
    failed: style.red,
  };
  const width = Math.max(6, ...rows.map((row) => row.bucket.length));
  const lines = rows.map((row) => {
    const detail = row.error ?? `${row.drift} drift, ${row.actions} actions, ${row.findings} findings`;
    const since = row.since === undefined ? '' : style.dim(`  since ${row.since}`);
    const line = `${row.bucket.padEnd(width)}  ${paint[row.status](row.status.padEnd(15))}  ${detail}${since}`;
    // With more than one refused configuration, each on a line of its own (the first is in `detail`).
    const refused = (row.refused ?? []).length > 1 ? (row.refused ?? []) : [];
    return [line, ...refused.map((entry) => `  refused "${entry.id}": ${entry.reason}`)].join('\n');
  });
  const counts = statusCounts(rows);
  const summary = Object.entries(counts)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
  lines.push(`${rows.length} bucket${rows.length === 1 ? '' : 's'}: ${summary}.`);
  return `${lines.join('\n')}\n`;
}

/**
 * The templates the table's `#templates` items declare but the service refuses (nothing is applied from
 * them), after the buckets: `template "x" refused: template.match.names[0]: …`, one a line; empty when none.
 */
export function renderRefusedTemplates(
  refused: readonly { id: string; reason: string }[],
  options: { color?: boolean } = {},
): string {
  if (refused.length === 0) return '';
  const style = createStyle(options.color ?? false);
  const lines = refused.map(
    (entry) => `${style.red('template')} ${JSON.stringify(entry.id)} refused: ${entry.reason}`,
  );
  lines.push(
    `${refused.length} template${refused.length === 1 ? '' : 's'} refused: nothing applied from ${refused.length === 1 ? 'it' : 'them'}.`,
  );
  return `${lines.join('\n')}\n`;
}
