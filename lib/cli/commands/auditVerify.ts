import { auditTableClient } from '../../aws/DynamoAuditReader.js';
import { verifyAuditTable } from '../../aws/verifyAuditTable.js';
import { withCliContext } from '../cliContext.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';
import { renderAuditVerify } from '../render/renderAuditVerify.js';

/** Options of `s3ir audit verify`. */
export interface AuditVerifyOptions {
  /** Only these buckets' chains; empty: every chain. */
  buckets: string[];
  json: boolean;
}

const help = {
  usage: 'Usage: s3ir audit verify [--bucket B]... [--json]',
  summary:
    "Recomputes each bucket's audit hash chain: every event's hash, the link to the event before it, the\n" +
    'chain head, and the documents stored in parts. Names the first broken event of each chain. Events\n' +
    'that expired (S3IR_AUDIT_RETENTION_DAYS) may be missing; any other missing event is a break.',
  options: [
    ['--bucket B', "only this bucket's chain (repeatable); default: every chain"],
    [
      '--json',
      'print { "version": 1, "intact", "chains", "events", "breaks": [{ bucket, eventId?, seq?, time?, reason }] }',
    ],
  ] as [string, string][],
  exit: '0 intact, 1 tampered or error',
};

/** `s3ir audit verify [--bucket B]... [--json]` (DESIGN.md, Contract): 0 intact, 1 tampered. */
export async function auditVerify(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(
    argv,
    { bucket: { type: 'string', multiple: true }, json: { type: 'boolean' } },
    help,
  );
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  const options: AuditVerifyOptions = { buckets: values.bucket ?? [], json: values.json ?? false };
  return withCliContext(io, async ({ service }) => {
    const report = await verifyAuditTable({
      client: await auditTableClient(service.factory),
      tableName: service.config.auditTable,
      ...(options.buckets.length > 0 && { buckets: options.buckets }),
    });
    if (options.json) io.out(`${JSON.stringify({ version: 1, ...report })}\n`);
    else io.out(renderAuditVerify(report, { color: io.color }));
    return report.intact ? 0 : 1;
  });
}
