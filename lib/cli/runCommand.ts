import { AwsAdapterError } from '../adapters/aws/errors.js';
import { unreachableMessage } from '../adapters/aws/unreachable.js';
import { UserError } from './errors.js';
import { ExitCode } from './exitCodes.js';
import { type CliIo, processIo } from './io.js';

/** A command: parses its own argv and resolves with its exit code. */
export type Command = (argv: string[], io: CliIo) => Promise<number>;

/**
 * Runs a command and turns what it throws into an exit code: a {@link UserError} prints its message and exits
 * with its code (64 for a usage error, else 1) without a stack; AWS out of reach names the endpoint; another AWS
 * error (credentials, a missing table, AccessDenied) prints its message and exits 1; anything else is an
 * invariant failure, printed with "this is a bug" and the stack.
 */
export async function runCommand(
  name: string,
  command: Command,
  argv: string[],
  io: CliIo = processIo(),
): Promise<number> {
  const prefix = name === '' ? 's3ir' : `s3ir ${name}`;
  try {
    return await command(argv, io);
  } catch (error) {
    if (error instanceof UserError) {
      io.err(`${prefix}: ${error.message}\n`);
      return error.exitCode;
    }
    const unreachable = unreachableMessage(error, io.env);
    if (unreachable !== undefined) {
      io.err(`${prefix}: ${unreachable}\n`);
      return ExitCode.Error;
    }
    if (error instanceof AwsAdapterError && error.code === 'CredentialsProviderError') {
      const profile = io.env.AWS_PROFILE ? ` (profile "${io.env.AWS_PROFILE}")` : '';
      io.err(`${prefix}: no AWS credentials${profile}: ${error.message}\n`);
      return ExitCode.Error;
    }
    if (error instanceof AwsAdapterError) {
      io.err(`${prefix}: AWS refused: ${error.message} (${error.code})\n`);
      return ExitCode.Error;
    }
    io.err(`${prefix} failed; this is a bug. Please report it with this trace:\n`);
    io.err(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitCode.Error;
  }
}
