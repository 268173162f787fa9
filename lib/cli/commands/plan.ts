import type { Plan } from '../../core/reconcile/types.js';
import { type BucketPlan, cliRunId, planBuckets } from '../../wiring/planBuckets.js';
import {
  type AccountOf,
  accountTargets,
  noBucketsOf,
  parseAccounts,
  renderAccountFailures,
} from '../accountFilter.js';
import { withCliContext } from '../cliContext.js';
import { AWS_OPTIONS, commandSpec, OPTIONS } from '../commandSpecs.js';
import { ExitCode } from '../exitCodes.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';
import { progressBar } from '../progressBar.js';
import { type AccountSummary, accountSummaries, renderAccountSummaries } from '../render/renderAccounts.js';
import { type NotManagedBucket, notManagedSummary, renderNotManaged } from '../render/renderNotManaged.js';
import { renderPlans } from '../render/renderPlan.js';
import { statusRow } from '../render/renderStatus.js';

/** Options of `s3ir plan`. */
export interface PlanOptions {
  /** Buckets to plan; empty: every bucket with desired state, and those a template selects. */
  buckets: string[];
  json: boolean;
  /** Only the buckets of these accounts; empty: every account. */
  accounts: string[];
}

const { help } = commandSpec('plan');

/**
 * `s3ir plan [--bucket B]... [--account A]... [--json]` (DESIGN.md, Contract): 0 in sync, 2 drift (or a named
 * bucket nothing declares: not managed, listed with its configurations), 1 error (a bucket, or a member
 * account whose buckets could not be listed: named on stderr, the other accounts still planned). The text
 * ends with the buckets per account when they span accounts or `--account` is given; `--json` carries them
 * always.
 */
export async function plan(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(argv, { ...OPTIONS.plan, ...AWS_OPTIONS }, help);
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  const options: PlanOptions = {
    buckets: values.bucket ?? [],
    json: values.json ?? false,
    accounts: parseAccounts(values.account),
  };
  return withCliContext(io, async ({ service }) => {
    const runId = cliRunId();
    const { buckets, accountOf, locations, failures } = await accountTargets(
      service,
      options.buckets,
      options.accounts,
      runId,
    );
    io.err(renderAccountFailures(failures));
    const bar = progressBar(io);
    let results: BucketPlan[];
    try {
      results = await planBuckets(service, buckets, {
        runId,
        locations,
        listUndeclared: true,
        progress: (done, total) => bar.update(done, total),
      });
    } finally {
      bar.done();
    }
    const plans = results.flatMap((result) => ('plan' in result ? [result.plan] : []));
    const notManaged = results.flatMap((result) =>
      'notDeclared' in result ? [{ bucket: result.bucket, configurations: result.configurations ?? [] }] : [],
    );
    const errors = results.flatMap((result) =>
      'error' in result ? [{ bucket: result.bucket, message: result.error }] : [],
    );
    for (const error of errors) io.err(`bucket "${error.bucket}": ${error.message}\n`);
    const accounts = await planAccounts(results, accountOf, errors.length > 0);
    if (options.json) {
      // Member accounts whose buckets could not be listed (#18): beside the buckets' errors, only when any.
      const accountErrors = failures.length > 0 ? { accountErrors: failures } : {};
      const document = {
        version: 1,
        plans,
        notManaged,
        errors,
        ...(accounts && { accounts }),
        ...accountErrors,
      };
      io.out(`${JSON.stringify(document)}\n`);
    } else if (buckets.length === 0 && options.accounts.length > 0) io.out(noBucketsOf(options.accounts));
    else {
      io.out(
        renderPlanOutput(plans, notManaged, { buckets: errors.length, accounts: failures.length }, io.color),
      );
      if (accounts && (accounts.length > 1 || options.accounts.length > 0)) {
        io.out(renderAccountSummaries(accounts, { color: io.color }));
      }
    }
    if (errors.length > 0 || failures.length > 0) return ExitCode.Error;
    // In sync only when every bucket asked about is managed and matches (README, "Exit codes").
    return plans.some(hasDrift) || notManaged.length > 0 ? ExitCode.Attention : ExitCode.Ok;
  });
}

/**
 * The plans as terraform shows them, after the buckets that were not compared; the summary says what was
 * compared and never that "every bucket matches" when some were not managed or could not be read.
 */
function renderPlanOutput(
  plans: Plan[],
  notManaged: NotManagedBucket[],
  failed: { buckets: number; accounts: number },
  color: boolean,
): string {
  if (notManaged.length === 0 && failed.buckets === 0 && failed.accounts === 0)
    return renderPlans(plans, { color });
  const head = notManaged.length > 0 ? `${renderNotManaged(notManaged, { color })}\n` : '';
  const { buckets, accounts } = failed;
  const skipped = [
    ...(notManaged.length > 0 ? [notManagedSummary(plans.length, notManaged.length)] : []),
    ...(buckets > 0
      ? [`${buckets} bucket${buckets === 1 ? '' : 's'} could not be planned (see above).`]
      : []),
    ...(accounts > 0
      ? [`The buckets of ${accounts} account${accounts === 1 ? '' : 's'} could not be listed (see above).`]
      : []),
  ].join(' ');
  if (!plans.some(hasDrift)) {
    const managed = plans.length === 0 ? '' : ` No changes in the ${plans.length} planned.`;
    return `${head}${skipped}${managed}\n`;
  }
  return `${head}${renderPlans(plans, { color })}${skipped}\n`;
}

/**
 * The planned buckets per account: each as `s3ir status` would call it, or not managed. When buckets already
 * failed (`failed`) and the accounts cannot be read either, none: the bucket errors printed say why.
 */
async function planAccounts(
  results: readonly BucketPlan[],
  accountOf: () => Promise<AccountOf>,
  failed: boolean,
): Promise<AccountSummary[] | undefined> {
  let placed: AccountOf;
  try {
    placed = await accountOf();
  } catch (error) {
    if (failed) return undefined;
    throw error;
  }
  return accountSummaries(
    results.map((result) => ({
      account: placed(result.bucket),
      status: 'notDeclared' in result ? 'not-managed' : statusRow(result).status,
    })),
  );
}

/** Anything to show: an action, a finding, or drift left in place (an unmanaged configuration). */
function hasDrift(plan: Plan): boolean {
  return plan.actions.length > 0 || plan.findings.length > 0 || plan.drift.length > 0;
}
