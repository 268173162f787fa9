/** Where a command writes, and what it knows about the terminal: the process's by default. */
export interface CliIo {
  /** Writes to stdout as is (add the newline yourself). */
  out(text: string): void;
  /** Writes to stderr as is. */
  err(text: string): void;
  /** Colour is welcome on stdout: see {@link colorWanted}. */
  color: boolean;
  /** stderr is a terminal: progress may be drawn there. */
  stderrTty: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Whether to colour: `NO_COLOR` set to anything but the empty string turns it off (no-color.org); else
 * `FORCE_COLOR` set and not empty turns it on even into a pipe (force-color.org), except `0` and `false`,
 * which turn it off as Node and chalk read them; else colour when stdout is a terminal.
 */
export function colorWanted(env: Readonly<Record<string, string | undefined>>, isTty: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  return isTty;
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  const env = process.env;
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    color: colorWanted(env, Boolean(process.stdout.isTTY)),
    stderrTty: Boolean(process.stderr.isTTY),
    env,
  };
}

/**
 * Resolves once everything written to `stream` so far has been handed to the OS. A pipe takes 64 KiB at a
 * time: `process.exit()` before this drops the rest (the reader sees a cut plan or half a JSON document).
 */
export function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve();
  // Writes complete in order: the callback of an empty write runs after every earlier write went out.
  return new Promise((resolve) => {
    stream.write('', () => resolve());
  });
}
