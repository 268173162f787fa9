import { anchorAudit } from '../../usecases/anchorAudit/anchorAudit.js';
import { anchorWiring } from '../../wiring/anchorWiring.js';
import { withCliContext } from '../cliContext.js';
import { AWS_OPTIONS, commandSpec, OPTIONS } from '../commandSpecs.js';
import { UserError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';

const { help } = commandSpec('audit anchor');

/** `s3ir audit anchor [--json]` (DESIGN.md, Contract): writes a signed digest now, prints its key; 0. */
export async function auditAnchor(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(argv, { ...OPTIONS.auditAnchor, ...AWS_OPTIONS }, help);
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  return withCliContext(io, async ({ service }) => {
    const anchors = anchorWiring(service.config, service.factory);
    if (anchors === undefined)
      throw new UserError(
        'no digest bucket: set S3IR_DIGEST_BUCKET and S3IR_DIGEST_KEY_ID (the env file of `s3ir local start` has both; deployed, the stack outputs name them)',
      );
    const result = await anchorAudit(anchors);
    if (values.json) {
      io.out(`${JSON.stringify({ version: 1, ...result, bucket: service.config.digestBucket })}\n`);
      return 0;
    }
    io.out(`${result.key}\n`);
    io.err(
      `s3ir audit anchor: digest ${result.sequence} in s3://${service.config.digestBucket}: ${result.heads} of ${result.chains} chains moved since the previous digest\n`,
    );
    return 0;
  });
}
