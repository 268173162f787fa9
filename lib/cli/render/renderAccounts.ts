import type { BucketState } from '../../core/alerts/bucketStatus.js';
import { createStyle } from './style.js';

/** What a bucket came to in `s3ir status` or `s3ir plan`: a status, or not managed (plan of a named bucket). */
export type AccountRowState = BucketState | 'not-managed';

/** One account's buckets, as `s3ir status` and `s3ir plan` end with them (#18: summaries by account). */
export interface AccountSummary {
  account: string;
  buckets: number;
  /** Every status named (0 included); `not-managed` only when a bucket of the account is. */
  counts: Record<BucketState, number> & { 'not-managed'?: number };
}

/** The buckets counted per account, sorted by account id. */
export function accountSummaries(
  rows: readonly { account: string; status: AccountRowState }[],
): AccountSummary[] {
  const byAccount = new Map<string, AccountSummary>();
  for (const row of rows) {
    let summary = byAccount.get(row.account);
    if (!summary) {
      summary = {
        account: row.account,
        buckets: 0,
        counts: { 'in-sync': 0, drifted: 0, 'action-required': 0, failed: 0 },
      };
      byAccount.set(row.account, summary);
    }
    summary.buckets += 1;
    summary.counts[row.status] = (summary.counts[row.status] ?? 0) + 1;
  }
  return [...byAccount.values()].sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
}

/**
 * `By account:` then one aligned line per account:
 * `  111122223333  3 buckets: 2 in-sync, 1 drifted, 0 action-required, 0 failed`; empty without accounts.
 */
export function renderAccountSummaries(
  summaries: readonly AccountSummary[],
  options: { color?: boolean } = {},
): string {
  if (summaries.length === 0) return '';
  const style = createStyle(options.color ?? false);
  const width = Math.max(...summaries.map((summary) => String(summary.buckets).length));
  const lines = summaries.map((summary) => {
    const counts = Object.entries(summary.counts)
      .map(([status, count]) => `${count} ${status}`)
      .join(', ');
    const buckets = `${String(summary.buckets).padStart(width)} bucket${summary.buckets === 1 ? '' : 's'}`;
    return `  ${summary.account}  ${buckets}: ${counts}`;
  });
  return `${style.bold('By account:')}\n${lines.join('\n')}\n`;
}
