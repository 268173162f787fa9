import { auditTableClient } from '../../adapters/aws/DynamoAuditReader.js';
import { verifyAuditTable } from '../../adapters/aws/verifyAuditTable.js';
import { verifyAuditAnchors } from '../../usecases/anchorAudit/verifyAuditAnchors.js';
import { anchorWiring } from '../../wiring/anchorWiring.js';
import { withCliContext } from '../cliContext.js';
import { AWS_OPTIONS, commandSpec, OPTIONS } from '../commandSpecs.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';
import { renderAnchoredVerify } from '../render/renderAnchoredVerify.js';
import { renderAuditVerify } from '../render/renderAuditVerify.js';

/** Options of `s3ir audit verify`. */
export interface AuditVerifyOptions {
  /** Only these buckets' chains; empty: every chain. */
  buckets: string[];
  json: boolean;
}

const { help } = commandSpec('audit verify');

/** `s3ir audit verify [--bucket B]... [--json]` (DESIGN.md, Contract): 0 intact, 1 tampered. */
export async function auditVerify(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(argv, { ...OPTIONS.auditVerify, ...AWS_OPTIONS }, help);
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  const options: AuditVerifyOptions = { buckets: values.bucket ?? [], json: values.json ?? false };
  return withCliContext(io, async ({ service }) => {
    // With a digest bucket, the table is checked against the signed digests outside it (issue 16).
    const anchors = anchorWiring(service.config, service.factory);
    if (anchors !== undefined) {
      const anchored = await verifyAuditAnchors(anchors, {
        ...(options.buckets.length > 0 && { buckets: options.buckets }),
      });
      if (options.json) io.out(`${JSON.stringify({ version: 1, ...anchored })}\n`);
      else io.out(renderAnchoredVerify(anchored, { color: io.color }));
      return anchored.intact ? 0 : 1;
    }
    io.err(
      's3ir audit verify: no digest bucket (S3IR_DIGEST_BUCKET): checking the table alone, which cannot see a chain deleted whole or events deleted at its end with an older head written back\n',
    );
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
