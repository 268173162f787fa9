import { ExitCode } from './exitCodes.js';

/**
 * A problem the person at the terminal can fix (a bad flag, an invalid file, a missing table): `s3ir` prints
 * the message, which says what to do, and exits 1 without a stack trace. Anything else is a bug.
 */
export class UserError extends Error {
  /** The exit code (1 unless a command's contract says otherwise). */
  readonly exitCode: number;

  constructor(message: string, options?: ErrorOptions & { exitCode?: number }) {
    super(message, options);
    this.name = 'UserError';
    this.exitCode = options?.exitCode ?? ExitCode.Error;
  }
}

/** The command line itself is wrong (unknown flag, missing or malformed value): exit 64, EX_USAGE. */
export class UsageError extends UserError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, { ...options, exitCode: ExitCode.Usage });
    this.name = 'UsageError';
  }
}
