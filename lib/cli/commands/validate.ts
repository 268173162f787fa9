import { accountIssues, placeIssues } from '../../core/desired/accountIssues.js';
import { formatFileError } from '../../core/desired/formatFileError.js';
import { readServiceConfig, ServiceConfigError } from '../../wiring/serviceConfig.js';
import { commandSpec, OPTIONS } from '../commandSpecs.js';
import { UserError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand, requireFlag } from '../parseCommand.js';
import { describeFile, readDesiredFile } from '../readDesiredFile.js';

/** Options of `s3ir validate`. */
export interface ValidateOptions {
  /** The desired-state file (YAML, or JSON when it ends in `.json`). */
  file: string;
}

const { help } = commandSpec('validate');

/** `s3ir validate -f FILE` (DESIGN.md, Contract): 0 valid (one summary line), 1 invalid (every error). */
export async function validate(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(argv, OPTIONS.validate, help);
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  const options: ValidateOptions = { file: requireFlag(values.file, '-f FILE', help.usage) };
  const result = await readDesiredFile(options.file);
  if (!result.ok) {
    for (const error of result.errors) io.err(`${formatFileError(error)}\n`);
    io.err(`${options.file}: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}\n`);
    return 1;
  }
  // With S3IR_ALLOWED_ACCOUNTS set, accounts outside it are refused here; unset (the home account alone,
  // which only AWS can name) they are refused by `s3ir apply`.
  const allowed = configuredAccounts(io.env);
  if (allowed !== undefined) {
    const errors = placeIssues(options.file, result.locate, accountIssues(result.file, new Set(allowed)));
    if (errors.length > 0) {
      for (const error of errors) io.err(`${formatFileError(error)}\n`);
      io.err(`${options.file}: ${errors.length} error${errors.length === 1 ? '' : 's'}\n`);
      return 1;
    }
  }
  // Warnings (templates whose buckets' tags decide whether they conflict) do not make the file invalid.
  for (const warning of result.warnings) io.err(`${formatFileError(warning)}\n`);
  io.out(`${options.file}: valid (${describeFile(result.file)})\n`);
  return 0;
}

/** `S3IR_ALLOWED_ACCOUNTS` as the service reads it (one config reader); undefined when unset. */
function configuredAccounts(env: Readonly<Record<string, string | undefined>>): string[] | undefined {
  try {
    return readServiceConfig(env).allowedAccounts;
  } catch (error) {
    if (error instanceof ServiceConfigError) throw new UserError(`bad environment: ${error.message}`);
    throw error;
  }
}
