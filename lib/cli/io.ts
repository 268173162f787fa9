/** Where a command writes, and what it knows about the terminal: the process's by default. */
export interface CliIo {
  /** Writes to stdout as is (add the newline yourself). */
  out(text: string): void;
  /** Writes to stderr as is. */
  err(text: string): void;
  /** stdout is a terminal and NO_COLOR is unset: colour is welcome. */
  color: boolean;
  /** stderr is a terminal: progress may be drawn there. */
  stderrTty: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  const env = process.env;
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    color: Boolean(process.stdout.isTTY) && env.NO_COLOR === undefined,
    stderrTty: Boolean(process.stderr.isTTY),
    env,
  };
}
