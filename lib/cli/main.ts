import { readFileSync } from 'node:fs';

/**
 * Entry point of `s3ir`: registers the commands and is the only place that calls `process.exit`.
 * Commands land with their issues (see DESIGN.md, Contract); an unknown one is a user error.
 */
const commands: Record<string, { summary: string; run: (argv: string[]) => Promise<number> }> = {
  local: {
    summary: 'local start [--port N] [--env-file PATH]: run the local AWS in the foreground',
    run: async (argv) => {
      if (argv[0] !== 'start') {
        console.error('Usage: s3ir local start [--port N] [--env-file PATH]');
        return 1;
      }
      const { localStart } = await import('./commands/localStart.js');
      return localStart(argv.slice(1));
    },
  },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function usage(): string {
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(12)} ${command.summary}`);
  return [
    'Usage: s3ir <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  --help     show this help',
    '  --version  print the version',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(version());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`s3ir: unknown command "${name}". Run "s3ir --help" for the commands.`);
    return 1;
  }
  return command.run(rest);
}

process.exit(await main(process.argv.slice(2)));
