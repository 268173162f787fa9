import type { Plan } from '../../reconcile/types.js';
import { type BucketPlan, cliRunId, planBuckets, targetBuckets } from '../bucketPlans.js';
import { withCliContext } from '../cliContext.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';
import { progressBar } from '../progressBar.js';
import { renderPlans } from '../render/renderPlan.js';

/** Options of `s3ir plan`. */
export interface PlanOptions {
  /** Buckets to plan; empty: every bucket with desired state, and those a template selects. */
  buckets: string[];
  json: boolean;
}

const help = {
  usage: 'Usage: s3ir plan [--bucket B]... [--json]',
  summary:
    'Shows drift and the changes a reconcile would make, as terraform plan does; changes nothing.\n' +
    'Without --bucket: every bucket with desired state, and every bucket a template selects.',
  options: [
    ['--bucket B', 'plan this bucket (repeatable)'],
    ['--json', 'print { "version": 1, "plans": [...], "errors": [...] }'],
  ] as [string, string][],
  exit: '0 in sync, 2 drift, 1 error',
};

/** `s3ir plan [--bucket B]... [--json]` (DESIGN.md, Contract): 0 in sync, 2 drift, 1 error. */
export async function plan(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(
    argv,
    { bucket: { type: 'string', multiple: true }, json: { type: 'boolean' } },
    help,
  );
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
        progress: (done, total) => bar.update(done, total),
      });
    } finally {
      bar.done();
    }
    const plans = results.flatMap((result) => ('plan' in result ? [result.plan] : []));
    const errors = results.flatMap((result) =>
      'error' in result ? [{ bucket: result.bucket, message: result.error }] : [],
    );
    for (const result of results) {
      if ('notDeclared' in result) io.err(`bucket "${result.bucket}": nothing is declared for it; skipped\n`);
    }
    for (const error of errors) io.err(`bucket "${error.bucket}": ${error.message}\n`);
    if (options.json) io.out(`${JSON.stringify({ version: 1, plans, errors })}\n`);
    else io.out(renderPlans(plans, { color: io.color }));
    if (errors.length > 0) return 1;
    return plans.some(hasDrift) ? 2 : 0;
  });
}

/** Anything to show: an action, a finding, or drift left in place (an unmanaged configuration). */
function hasDrift(plan: Plan): boolean {
  return plan.actions.length > 0 || plan.findings.length > 0 || plan.drift.length > 0;
}
