/**
 * `npm run faults`: the full fault matrix of issue 17, point 1 (test/faultMatrix), on a local AWS of its own
 * (started here, so its fault rules are the matrix's alone), through the real handlers. Prints one line per
 * row as it ends, then the matrix as a Markdown table on stdout; exits 1 when a row broke an invariant.
 * `S3IR_FAULT_MATRIX` picks the rows (default here: `full`; `reduced`, or row ids, comma-separated).
 */

import { startLocalAws } from '../infra/local/index.js';
import { selectRows } from '../test/faultMatrix/faultRows.js';
import { FaultWorld } from '../test/faultMatrix/faultWorld.js';
import { renderMatrix } from '../test/faultMatrix/renderMatrix.js';
import { type RowResult, receiveAlerts, runFaultRow } from '../test/faultMatrix/runFaultRow.js';

const rows = selectRows(process.env.S3IR_FAULT_MATRIX ?? 'full');
const local = await startLocalAws({ port: 0 });
process.stderr.write(`local AWS on ${local.endpoint}; ${rows.length} rows\n`);
const world = new FaultWorld({ endpoint: local.endpoint, env: { ...local.env } });
const results: RowResult[] = [];
try {
  await world.create();
  await world.sweep();
  await world.drain();
  await receiveAlerts(world);
  for (const row of rows) {
    const result = await runFaultRow(world, row).finally(() => world.clearFaults());
    results.push(result);
    const verdict = result.violations.length === 0 ? 'holds' : `BROKEN: ${result.violations.join('; ')}`;
    process.stderr.write(`${row.id}: ${verdict} (${result.seconds} s)\n`);
  }
} finally {
  await world.destroy();
  await local.stop();
}
process.stdout.write(renderMatrix(results));
process.exitCode = results.every((result) => result.violations.length === 0) ? 0 : 1;
