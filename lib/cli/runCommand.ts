import { AwsAdapterError } from '../aws/errors.js';
import { UserError } from './errors.js';
import { type CliIo, processIo } from './io.js';

/** A command: parses its own argv and resolves with its exit code. */
export type Command = (argv: string[], io: CliIo) => Promise<number>;

/**
 * Runs a command and turns what it throws into an exit code: a {@link UserError} or an AWS error (credentials,
 * a missing table, AccessDenied) prints its message and exits 1 without a stack; anything else is an invariant
 * failure, printed with "this is a bug" and the stack.
 */
export async function runCommand(name: string, command: Command, argv: string[]): Promise<number> {
  const io = processIo();
  try {
    return await command(argv, io);
  } catch (error) {
    if (error instanceof UserError) {
      io.err(`s3ir ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof AwsAdapterError) {
      io.err(`s3ir ${name}: AWS refused: ${error.message} (${error.code})\n`);
      return 1;
    }
    io.err(`s3ir ${name} failed; this is a bug. Please report it with this trace:\n`);
    io.err(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
