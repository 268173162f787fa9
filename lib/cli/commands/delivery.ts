import { deliveryPorts } from '../../aws/deliveryPorts.js';
import { checkBuckets } from '../../delivery/checkBuckets.js';
import { isHealthy } from '../../delivery/types.js';
import { cliRunId, targetBuckets } from '../bucketPlans.js';
import { withCliContext } from '../cliContext.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';
import { parseTime } from '../parseTime.js';
import { progressBar } from '../progressBar.js';
import { deliveryJsonLine, renderDelivery } from '../render/renderDelivery.js';

const help = {
  usage: 'Usage: s3ir delivery [--bucket B]... [--json] [--now T]',
  summary:
    'Checks that inventory reports actually arrive: for every enabled desired configuration, the newest\n' +
    'complete report in its destination is verified (manifest checksum, source, destination, format, listed\n' +
    'files) and judged ok, pending (first report due within 48 h of a change), late, missing or invalid, with\n' +
    'the likely cause from the policies and keys the reconciler sees. Reads only.',
  options: [
    ['--bucket B', 'check this bucket (repeatable); default: every bucket with desired state'],
    ['--json', 'one { bucket, id, status, lastDelivery?, reason? } per line'],
    ['--now T', 'judge as if at time T (ISO 8601 or a duration ago, e.g. 3d): for what-ifs and tests'],
  ] as [string, string][],
  exit: '0 all ok or pending, 2 otherwise, 1 error',
};

/** `s3ir delivery [--bucket B]... [--json] [--now T]` (DESIGN.md, Contract). */
export async function delivery(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(
    argv,
    { bucket: { type: 'string', multiple: true }, json: { type: 'boolean' }, now: { type: 'string' } },
    help,
  );
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  const now = new Date(values.now === undefined ? Date.now() : parseTime('--now', values.now));
  return withCliContext(io, async ({ service }) => {
    const buckets = await targetBuckets(service, values.bucket ?? []);
    const ports = await deliveryPorts(service.factory, service.config.auditTable);
    const runId = cliRunId(now);
    const bar = progressBar(io);
    let report: Awaited<ReturnType<typeof checkBuckets>>;
    try {
      report = await checkBuckets(
        buckets,
        (bucket) => ({ reconcile: service.reconcileDepsFor({ bucket, runId }), ...ports, now }),
        { progress: (done, total) => bar.update(done, total) },
      );
    } finally {
      bar.done();
    }
    for (const error of report.errors) io.err(`bucket "${error.bucket}": ${error.message}\n`);
    if (values.json) for (const result of report.results) io.out(`${deliveryJsonLine(result)}\n`);
    else io.out(renderDelivery(report.results, { color: io.color }));
    if (report.errors.length > 0) return 1;
    return report.results.every((result) => isHealthy(result.status)) ? 0 : 2;
  });
}
