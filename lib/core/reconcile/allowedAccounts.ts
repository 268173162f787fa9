import { ReconcileError } from './errors.js';
import type { Finding, Plan } from './types.js';

/**
 * The accounts the service may act in and deliver to: the home account (where it runs; its own credentials
 * act there anyway) and those `S3IR_ALLOWED_ACCOUNTS` lists. Set at deploy time: never read from the table.
 * @example allowedAccountSet(['222233334444'], '111122223333') // Set { '111122223333', '222233334444' }
 */
export function allowedAccountSet(
  configured: readonly string[] | undefined,
  home: string,
): ReadonlySet<string> {
  return new Set([home, ...(configured ?? [])]);
}

/**
 * A bucket's `account` setting (from a file or written straight into the table) names an account outside
 * the allowed ones: nothing is read, assumed into or changed for that bucket. Terminal, never retried; the
 * reconcile turns it into an `account-not-allowed` finding (action required).
 */
export class AccountNotAllowedError extends ReconcileError {
  readonly bucket: string;
  readonly account: string;
  readonly finding: Finding;

  constructor(bucket: string, account: string) {
    const message =
      `Bucket ${bucket}: its account setting names ${account}, which is not in S3IR_ALLOWED_ACCOUNTS; ` +
      'nothing is read or changed for this bucket';
    super(message);
    this.name = 'AccountNotAllowedError';
    this.bucket = bucket;
    this.account = account;
    this.finding = { kind: 'account-not-allowed', target: bucket, account, message };
  }
}

/** The plan of a refused bucket: no drift seen, no action, the one finding. */
export function refusedPlan(error: AccountNotAllowedError, region = ''): Plan {
  return {
    bucket: error.bucket,
    account: error.account,
    region,
    drift: [],
    actions: [],
    findings: [error.finding],
  };
}
