import type { AccountFailure } from '../usecases/discovery/memberBuckets.js';
import type { BucketLocation } from '../usecases/reconcileBucket/readBucketState.js';
import type { SweepDeps } from '../usecases/sweep/sweep.js';
import type { CliDeps } from '../wiring/cliWiring.js';
import { commandTargets } from '../wiring/planBuckets.js';
import { UsageError } from './errors.js';

/** An AWS account id: exactly 12 digits (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html). */
const ACCOUNT_ID = /^\d{12}$/;

/** The `--account` values, once each in the order given; anything but a 12-digit id is a usage error (exit 64). */
export function parseAccounts(values: readonly string[] | undefined): string[] {
  for (const value of values ?? []) {
    if (!ACCOUNT_ID.test(value)) {
      throw new UsageError(`--account: expected a 12-digit AWS account id, got ${JSON.stringify(value)}`);
    }
  }
  return [...new Set(values ?? [])];
}

/** A bucket's account, as the commands group and filter by it. */
export type AccountOf = (bucket: string) => string;

/** The buckets a command works on, with the account of each. */
export interface AccountTargets {
  /**
   * The buckets (named, else every bucket the sweep would take and those templates select in the member
   * accounts), only those of the accounts asked for.
   */
  buckets: string[];
  /** Where the member accounts' buckets live (#18): plan, reconcile and check them there. */
  locations: ReadonlyMap<string, BucketLocation>;
  /** Member accounts whose buckets could not be listed ({@link renderAccountFailures}; exit 1). */
  failures: AccountFailure[];
  /**
   * Each bucket's account, resolved on first call. With buckets named and no `--account`, nothing else needs the
   * desired-state table, so it is read only when a summary asks (after planning, whose errors say more).
   */
  accountOf(): Promise<AccountOf>;
}

/**
 * The buckets a command works on (lib/wiring/planBuckets `commandTargets`: the home account's and those
 * templates select in the member accounts, each listed with its own role, 8 accounts at a time) and each one's
 * account: the account its settings item declares (the desired state's `account`), else the member account
 * it was found in, else the home account, as the reconcile scopes it. With `accounts`, only the buckets of
 * those accounts, in their order, and no other member account is asked anything. The desired-state table is
 * read at most once.
 */
export async function accountTargets(
  service: Pick<CliDeps, 'catalog' | 'buckets' | 'factory' | 'members'>,
  named: readonly string[],
  accounts: readonly string[],
  runId: string,
): Promise<AccountTargets> {
  let catalog: ReturnType<SweepDeps['catalog']> | undefined;
  const deps = {
    buckets: service.buckets,
    members: service.members,
    catalog: () => (catalog ??= service.catalog()),
  };
  const found = await commandTargets(deps, named, { runId, accounts });
  let resolved: Promise<AccountOf> | undefined;
  const accountOf = () =>
    (resolved ??= Promise.all([deps.catalog(), service.factory.homeAccount()]).then(
      ([{ locations }, home]): AccountOf =>
        (bucket) =>
          locations?.get(bucket)?.account ?? found.locations.get(bucket)?.account ?? home,
    ));
  const targets = { locations: found.locations, failures: found.failures, accountOf };
  if (accounts.length === 0) return { buckets: found.buckets, ...targets };
  const wanted = new Set(accounts);
  const placed = await accountOf();
  return { buckets: found.buckets.filter((bucket) => wanted.has(placed(bucket))), ...targets };
}

/** One stderr line per member account whose buckets could not be listed; the other accounts' were worked on. */
export function renderAccountFailures(failures: readonly AccountFailure[]): string {
  return failures
    .map((failure) => `account ${failure.account}: its buckets could not be listed: ${failure.message}\n`)
    .join('');
}

/** Said when `--account` leaves no bucket: which accounts, so an empty output is never mistaken for "all fine". */
export function noBucketsOf(accounts: readonly string[]): string {
  const named = accounts.join(', ');
  return `No bucket of account${accounts.length === 1 ? '' : 's'} ${named} is declared or selected by a template.\n`;
}
