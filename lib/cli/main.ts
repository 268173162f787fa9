import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_SPECS, type CommandSpec, findCommand } from './commandSpecs.js';
import { UsageError } from './errors.js';
import { ExitCode } from './exitCodes.js';
import { type CliIo, drained, processIo } from './io.js';
import { PACKAGE_ROOT } from './packageRoot.js';
import { formatHelp, parseCommand } from './parseCommand.js';
import { runCommand } from './runCommand.js';

/**
 * Entry point of `s3ir`, and the only place that ends the process. The arguments are checked against the
 * command's spec (lib/cli/commandSpecs) before its module, its libraries or the AWS SDK load: `--help`,
 * `--version`, `help <command>`, `completion` and a usage error answer at once.
 */
function version(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function usage(): string {
  const width = Math.max(...COMMAND_SPECS.map((spec) => spec.name.length));
  const lines = COMMAND_SPECS.map((spec) => `  ${spec.name.padEnd(width)}  ${spec.oneLine}`);
  return [
    'Usage: s3ir <command> [options]',
    '',
    'Commands:',
    ...lines,
    `  ${'help'.padEnd(width)}  help <command>: the options of a command (as <command> --help)`,
    '',
    'Options:',
    '  -h, --help     show this help',
    '  -v, --version  print the version',
    '',
    'Exit: 0 ok, 1 error, 2 drift (plan) or delivery not ok (delivery), 64 usage error.',
    'Run "s3ir <command> --help" for the options of a command.',
    '',
  ].join('\n');
}

/** `local` alone names no command, but `local start` does: its spec, for help and the usage line. */
function groupOf(name: string | undefined): CommandSpec | undefined {
  return COMMAND_SPECS.find(
    (spec) => spec.name.startsWith(`${name} `) && !COMMAND_SPECS.some((s) => s.name === name),
  );
}

function printHelp(io: CliIo, argv: string[]): number {
  if (argv.length === 0) {
    io.out(usage());
    return ExitCode.Ok;
  }
  const spec = findCommand(argv)?.spec ?? groupOf(argv[0]);
  if (!spec) throw new UsageError(`unknown command "${argv.join(' ')}". Run "s3ir --help" for the commands.`);
  io.out(formatHelp(spec.help));
  return ExitCode.Ok;
}

/** `--profile` and `--region` become what the SDK reads, before anything of it loads. */
function applyAwsOptions(values: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  if (typeof values.profile === 'string') {
    if (values.profile === '') throw new UsageError('--profile: expected a profile name');
    env.AWS_PROFILE = values.profile;
  }
  if (typeof values.region === 'string') {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(values.region))
      throw new UsageError(
        `--region: expected a region such as eu-west-1, got ${JSON.stringify(values.region)}`,
      );
    env.AWS_REGION = values.region;
  }
}

async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') return printHelp(io, []);
  if (name === 'help') return printHelp(io, rest);
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(`${version()}\n`);
    return ExitCode.Ok;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = groupOf(name);
    if (group && (rest[0] === '--help' || rest[0] === '-h')) return printHelp(io, [name]);
    if (group) throw new UsageError(`"${name}" needs a subcommand.\n${group.help.usage}`);
    throw new UsageError(`unknown command "${name}". Run "s3ir --help" for the commands.`);
  }
  const { spec, rest: args } = found;
  return runCommand(
    spec.name,
    async (commandArgs, commandIo) => {
      const values = parseCommand(commandArgs, spec.options, spec.help, spec.name === 'completion');
      if (values === 'help') {
        commandIo.out(formatHelp(spec.help));
        return ExitCode.Ok;
      }
      if (spec.aws) applyAwsOptions(values, process.env);
      // Only now: the command's module, its libraries and the AWS SDK.
      const command = await spec.load();
      return command(commandArgs, commandIo);
    },
    args,
    io,
  );
}

const io = processIo();
const code = await runCommand('', (argv) => main(argv, io), process.argv.slice(2), io);
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(code);
