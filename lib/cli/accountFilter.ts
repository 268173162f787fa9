import type { SweepDeps } from '../usecases/sweep/sweep.js';
import type { CliDeps } from '../wiring/cliWiring.js';
import { targetBuckets } from '../wiring/planBuckets.js';
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
  /** The buckets (named, else every bucket the sweep would take), only those of the accounts asked for. */
  buckets: string[];
  /**
   * Each bucket's account, resolved on first call. With buckets named and no `--account`, nothing else needs the
   * desired-state table, so it is read only when a summary asks (after planning, whose errors say more).
   */
  accountOf(): Promise<AccountOf>;
}

/**
 * The buckets a command works on ({@link targetBuckets}) and each one's account: the account its settings item
 * declares (the desired state's `account`), else the home account, as the reconcile scopes it. With `accounts`,
 * only the buckets of those accounts, in their order. The desired-state table is read at most once for both.
 */
export async function accountTargets(
  service: Pick<CliDeps, 'catalog' | 'buckets' | 'factory'>,
  named: readonly string[],
  accounts: readonly string[],
): Promise<AccountTargets> {
  let catalog: ReturnType<SweepDeps['catalog']> | undefined;
  const deps = { buckets: service.buckets, catalog: () => (catalog ??= service.catalog()) };
  let resolved: Promise<AccountOf> | undefined;
  const accountOf = () =>
    (resolved ??= Promise.all([deps.catalog(), service.factory.homeAccount()]).then(
      ([{ locations }, home]): AccountOf =>
        (bucket) =>
          locations?.get(bucket)?.account ?? home,
    ));
  const all = await targetBuckets(deps, named);
  if (accounts.length === 0) return { buckets: all, accountOf };
  const wanted = new Set(accounts);
  const placed = await accountOf();
  return { buckets: all.filter((bucket) => wanted.has(placed(bucket))), accountOf };
}

/** Said when `--account` leaves no bucket: which accounts, so an empty output is never mistaken for "all fine". */
export function noBucketsOf(accounts: readonly string[]): string {
  const named = accounts.join(', ');
  return `No bucket of account${accounts.length === 1 ? '' : 's'} ${named} is declared or selected by a template.\n`;
}
