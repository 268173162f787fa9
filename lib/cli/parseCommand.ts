import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The help text of one command: its usage line, a sentence, and one line per option. */
export interface CommandHelp {
  usage: string;
  summary: string;
  options: [flag: string, text: string][];
  /** The exit codes, as DESIGN.md (Contract) fixes them. */
  exit: string;
}

/** The help text, as `--help` prints it. */
export function formatHelp(help: CommandHelp): string {
  const width = Math.max(...help.options.map(([flag]) => flag.length), '-h, --help'.length);
  const lines = [...help.options, ['-h, --help', 'show this help'] as [string, string]].map(
    ([flag, text]) => `  ${flag.padEnd(width)}  ${text}`,
  );
  return `${help.usage}\n\n${help.summary}\n\nOptions:\n${lines.join('\n')}\n\nExit: ${help.exit}\n`;
}

/**
 * `node:util` parseArgs with `--help` added: the parsed values, or `help` when it was asked for.
 * A bad flag is a {@link UsageError} (exit 64) that names it and shows the usage line.
 */
export function parseCommand<O extends Options>(
  argv: string[],
  options: O,
  help: CommandHelp,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ options: O; allowPositionals: false; strict: true }>>['values'] | 'help' {
  try {
    const parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
    if ((parsed.values as { help?: boolean }).help) return 'help';
    return parsed.values as never;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${help.usage}`);
  }
}

/** A flag the command cannot do without: its value, or a {@link UsageError} naming it. */
export function requireFlag(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required.\n${usage}`);
  return value;
}
