import type { AccountState, AccountStatus } from '../../core/accounts/accountStatus.js';
import { compareCodeUnits } from '../../core/json/compareCodeUnits.js';
import { createStyle } from './style.js';

/** A member account the service does not reconcile now, as `s3ir status` shows it (#18 point 2 and 9). */
export interface AccountStatusRow {
  account: string;
  state: Exclude<AccountState, 'ok'>;
  /** ISO 8601 UTC: since when. */
  since: string;
  /** The line its alert said. */
  summary: string;
  /** For `discovery-failed`: the call that failed and its error code. */
  step?: string;
  code?: string;
}

/**
 * The accounts whose status says they are not reconciled now (discovery failed, or left the organization),
 * sorted by account; only those of `accounts` when given. An account back to `ok` is not listed.
 */
export function accountStatusRows(
  statuses: readonly AccountStatus[],
  accounts: readonly string[] = [],
): AccountStatusRow[] {
  const wanted = new Set(accounts);
  return statuses
    .filter((status) => status.state !== 'ok' && (wanted.size === 0 || wanted.has(status.account)))
    .map((status) => {
      const state = status.state as AccountStatusRow['state'];
      const condition = status.conditions[state];
      return {
        account: status.account,
        state,
        since: status.since,
        summary: condition?.summary ?? '',
        ...(condition?.step !== undefined && { step: condition.step }),
        ...(condition?.code !== undefined && { code: condition.code }),
      };
    })
    .sort((a, b) => compareCodeUnits(a.account, b.account));
}

/**
 * `Accounts not reconciled:` then one line per account:
 * `  222233334444  discovery-failed   since 2026-12-06T10:00:00.000Z  AssumeRole AccessDenied`; empty when none.
 */
export function renderAccountStatuses(
  rows: readonly AccountStatusRow[],
  options: { color?: boolean } = {},
): string {
  if (rows.length === 0) return '';
  const style = createStyle(options.color ?? false);
  const lines = rows.map((row) => {
    const state = (row.state === 'left-organization' ? style.magenta : style.red)(row.state.padEnd(17));
    const why =
      row.state === 'discovery-failed'
        ? `discovery failed at ${row.step ?? '?'} (${row.code ?? '?'}): its buckets wait until it succeeds`
        : 'left the allowed organization or OUs: its buckets are no longer reconciled';
    return `  ${row.account}  ${state}  ${why}${style.dim(`  since ${row.since}`)}`;
  });
  return `${style.bold('Accounts not reconciled:')}\n${lines.join('\n')}\n`;
}
