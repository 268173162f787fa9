/**
 * Every exit code of `s3ir` (README, "Exit codes"). 0, 1 and 2 are DESIGN.md's Contract; a usage error has
 * its own code, sysexits' EX_USAGE, so a script can tell "you called it wrong" from "it failed".
 */
export const ExitCode = {
  /** Done: in sync, converged, valid, intact. */
  Ok: 0,
  /** An error: invalid input, AWS refused or could not be reached, failures, a tampered chain. */
  Error: 1,
  /** `plan`: drift (or a bucket not managed); `delivery`: a configuration late, missing or invalid. */
  Attention: 2,
  /** A bad command line: unknown command or flag, missing or malformed flag value (sysexits EX_USAGE). */
  Usage: 64,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
