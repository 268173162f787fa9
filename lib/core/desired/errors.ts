import { formatFileError } from './formatFileError.js';
import type { FileError } from './types.js';

/** The base of every error lib/desired throws. */
export class DesiredStateError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DesiredStateError';
  }
}

/** A glob was compiled that `globProblems` refuses; `problems` holds every reason. */
export class InvalidGlobError extends DesiredStateError {
  readonly glob: string;
  readonly problems: string[];

  constructor(glob: string, problems: string[], options?: ErrorOptions) {
    super(`invalid bucket name glob ${JSON.stringify(glob)}: ${problems.join('; ')}`, options);
    this.name = 'InvalidGlobError';
    this.glob = glob;
    this.problems = problems;
  }
}

/**
 * A desired-state file is invalid: a user error, safe to show. `errors` holds every error with its location,
 * as `loadDesiredFile` reports them; the message lists each as `formatFileError` prints it.
 */
export class InvalidDesiredFileError extends DesiredStateError {
  readonly errors: FileError[];

  constructor(errors: FileError[], options?: ErrorOptions) {
    const noun = errors.length === 1 ? 'error' : 'errors';
    super(
      `invalid desired-state file (${errors.length} ${noun}):\n${errors.map((error) => `  ${formatFileError(error)}`).join('\n')}`,
      options,
    );
    this.name = 'InvalidDesiredFileError';
    this.errors = errors;
  }
}
