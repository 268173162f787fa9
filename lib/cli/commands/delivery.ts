import { isHealthy } from '../../core/delivery/types.js';
import { checkBuckets } from '../../usecases/deliveryCheck/checkBuckets.js';
import { deliveryPorts } from '../../wiring/deliveryCheckWiring.js';
import { cliRunId } from '../../wiring/planBuckets.js';
import { accountTargets, parseAccounts, renderAccountFailures } from '../accountFilter.js';
import { withCliContext } from '../cliContext.js';
import { AWS_OPTIONS, commandSpec, OPTIONS } from '../commandSpecs.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';
import { parseTime } from '../parseTime.js';
import { progressBar } from '../progressBar.js';
import { deliveryJsonLine, renderDelivery } from '../render/renderDelivery.js';

const { help } = commandSpec('delivery');

/** `s3ir delivery [--bucket B]... [--account A]... [--json] [--now T]` (DESIGN.md, Contract). */
export async function delivery(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(argv, { ...OPTIONS.delivery, ...AWS_OPTIONS }, help);
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  const now = new Date(values.now === undefined ? Date.now() : parseTime('--now', values.now));
  const accounts = parseAccounts(values.account);
  return withCliContext(io, async ({ service }) => {
    const runId = cliRunId(now);
    const { buckets, locations, failures } = await accountTargets(
      service,
      values.bucket ?? [],
      accounts,
      runId,
    );
    io.err(renderAccountFailures(failures));
    const ports = await deliveryPorts(service.factory, service.config.auditTable);
    const bar = progressBar(io);
    let report: Awaited<ReturnType<typeof checkBuckets>>;
    try {
      report = await checkBuckets(
        buckets,
        (bucket) => {
          const location = locations.get(bucket);
          const reconcile = service.reconcileDepsFor({ bucket, runId, ...location });
          return { reconcile, ...ports, now, ...(location && { location }) };
        },
        { progress: (done, total) => bar.update(done, total) },
      );
    } finally {
      bar.done();
    }
    for (const error of report.errors) io.err(`bucket "${error.bucket}": ${error.message}\n`);
    if (values.json) for (const result of report.results) io.out(`${deliveryJsonLine(result)}\n`);
    else io.out(renderDelivery(report.results, { color: io.color }));
    if (report.errors.length > 0 || failures.length > 0) return 1;
    return report.results.every((result) => isHealthy(result.status)) ? 0 : 2;
  });
}
