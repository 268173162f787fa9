import type { Plan } from '../../core/reconcile/types.js';
import { type BucketPlan, cliRunId, planBuckets, targetBuckets } from '../../wiring/planBuckets.js';
import { withCliContext } from '../cliContext.js';
import { AWS_OPTIONS, commandSpec, OPTIONS } from '../commandSpecs.js';
import { ExitCode } from '../exitCodes.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';
import { progressBar } from '../progressBar.js';
import { type NotManagedBucket, notManagedSummary, renderNotManaged } from '../render/renderNotManaged.js';
import { renderPlans } from '../render/renderPlan.js';

/** Options of `s3ir plan`. */
export interface PlanOptions {
  /** Buckets to plan; empty: every bucket with desired state, and those a template selects. */
  buckets: string[];
  json: boolean;
}

const { help } = commandSpec('plan');

/**
 * `s3ir plan [--bucket B]... [--json]` (DESIGN.md, Contract): 0 in sync, 2 drift (or a named bucket nothing
 * declares: not managed, listed with its configurations), 1 error.
 */
export async function plan(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(argv, { ...OPTIONS.plan, ...AWS_OPTIONS }, help);
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  const options: PlanOptions = { buckets: values.bucket ?? [], json: values.json ?? false };
  return withCliContext(io, async ({ service }) => {
    const buckets = await targetBuckets(service, options.buckets);
    const bar = progressBar(io);
    let results: BucketPlan[];
    try {
      results = await planBuckets(service, buckets, {
        runId: cliRunId(),
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
    if (options.json) io.out(`${JSON.stringify({ version: 1, plans, notManaged, errors })}\n`);
    else io.out(renderPlanOutput(plans, notManaged, errors.length, io.color));
    if (errors.length > 0) return ExitCode.Error;
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
  failed: number,
  color: boolean,
): string {
  if (notManaged.length === 0 && failed === 0) return renderPlans(plans, { color });
  const head = notManaged.length > 0 ? `${renderNotManaged(notManaged, { color })}\n` : '';
  const skipped = [
    ...(notManaged.length > 0 ? [notManagedSummary(plans.length, notManaged.length)] : []),
    ...(failed > 0 ? [`${failed} bucket${failed === 1 ? '' : 's'} could not be planned (see above).`] : []),
  ].join(' ');
  if (!plans.some(hasDrift)) {
    const managed = plans.length === 0 ? '' : ` No changes in the ${plans.length} planned.`;
    return `${head}${skipped}${managed}\n`;
  }
  return `${head}${renderPlans(plans, { color })}${skipped}\n`;
}

/** Anything to show: an action, a finding, or drift left in place (an unmanaged configuration). */
function hasDrift(plan: Plan): boolean {
  return plan.actions.length > 0 || plan.findings.length > 0 || plan.drift.length > 0;
}
