import { writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { formatFileError } from '../../core/desired/formatFileError.js';
import { DESIRED_STATE_SCHEMA_PATH } from '../../core/desired/jsonSchema.js';
import { loadDesiredFile } from '../../core/desired/loadDesiredFile.js';
import { cliRunId } from '../../wiring/planBuckets.js';
import { withCliContext } from '../cliContext.js';
import { AWS_OPTIONS, commandSpec, OPTIONS } from '../commandSpecs.js';
import { UserError } from '../errors.js';
import { importFile } from '../importFile.js';
import type { CliIo } from '../io.js';
import { PACKAGE_ROOT } from '../packageRoot.js';
import { formatHelp, parseCommand, requireFlag } from '../parseCommand.js';

/** Options of `s3ir import`. */
export interface ImportOptions {
  bucket: string;
  /** Where to write the file; stdout when absent. */
  output?: string;
}

const { help } = commandSpec('import');

const SCHEMA_FILE = join(PACKAGE_ROOT, DESIRED_STATE_SCHEMA_PATH);

/** `s3ir import --bucket B [-o FILE]` (DESIGN.md, Contract). */
export async function importBucket(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(argv, { ...OPTIONS.import, ...AWS_OPTIONS }, help);
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  const options: ImportOptions = {
    bucket: requireFlag(values.bucket, '--bucket B', help.usage),
    ...(values.output !== undefined && { output: values.output }),
  };
  return withCliContext(io, async ({ service }) => {
    const deps = service.reconcileDepsFor({ bucket: options.bucket, runId: cliRunId() });
    const region = await deps.facts.bucketRegion(options.bucket);
    const configurations = await deps.inventoryFor({ bucket: options.bucket, region }).list(options.bucket);
    const base = options.output === undefined ? process.cwd() : dirname(resolve(options.output));
    const text = importFile(configurations, {
      bucket: options.bucket,
      region,
      schemaPath: relative(base, SCHEMA_FILE),
      importedAt: new Date().toISOString(),
    });
    // What S3 holds may break a rule of ours (e.g. a key alias where a key ARN is required): say so.
    const checked = loadDesiredFile(text, options.output ?? `${options.bucket}.yaml`);
    if (options.output === undefined) io.out(text);
    else {
      await writeFile(options.output, text).catch((error: NodeJS.ErrnoException) => {
        throw new UserError(`cannot write ${options.output}: ${error.code ?? error.message}`);
      });
      io.err(`Wrote ${configurations.length} configuration(s) of ${options.bucket} to ${options.output}\n`);
    }
    if (!checked.ok) {
      io.err('The imported configurations do not pass validation; fix these before applying:\n');
      for (const error of checked.errors) io.err(`  ${formatFileError(error)}\n`);
      return 1;
    }
    return 0;
  });
}
