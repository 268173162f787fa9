import { readFileSync } from 'node:fs';
import { runCommand } from './runCommand.js';

/**
 * Entry point of `s3ir`: registers the commands and is the only place that calls `process.exit`.
 * Commands land with their issues (see DESIGN.md, Contract); an unknown one is a user error.
 */
const commands: Record<string, { summary: string; run: (argv: string[]) => Promise<number> }> = {
  local: {
    summary:
      'local start [--port N] [--env-file PATH] [--event-webhook URL]: run the local AWS in the foreground',
    run: async (argv) => {
      if (argv[0] !== 'start') {
        console.error('Usage: s3ir local start [--port N] [--env-file PATH] [--event-webhook URL]');
        return 1;
      }
      const { localStart } = await import('./commands/localStart.js');
      return localStart(argv.slice(1));
    },
  },
  serve: {
    summary: 'serve [--port N] [--host H] [--env-file PATH]: the audit viewer and API on this machine',
    run: async (argv) => runCommand('serve', (await import('./commands/serve.js')).serve, argv),
  },
  validate: {
    summary: 'validate -f FILE: check a desired-state file',
    run: async (argv) => runCommand('validate', (await import('./commands/validate.js')).validate, argv),
  },
  apply: {
    summary: 'apply -f FILE [--prune-desired]: write a desired-state file to the table',
    run: async (argv) => runCommand('apply', (await import('./commands/apply.js')).apply, argv),
  },
  plan: {
    summary: 'plan [--bucket B]... [--json]: show drift and the planned changes',
    run: async (argv) => runCommand('plan', (await import('./commands/plan.js')).plan, argv),
  },
  reconcile: {
    summary: 'reconcile [--bucket B]... [--detect-only] [--json]: converge now',
    run: async (argv) => runCommand('reconcile', (await import('./commands/reconcile.js')).reconcile, argv),
  },
  import: {
    summary: "import --bucket B [-o FILE]: adopt a bucket's actual configurations as a desired-state file",
    run: async (argv) => runCommand('import', (await import('./commands/import.js')).importBucket, argv),
  },
  status: {
    summary: 'status [--json]: drift status per bucket',
    run: async (argv) => runCommand('status', (await import('./commands/status.js')).status, argv),
  },
  audit: {
    summary:
      'audit [--bucket B] [--since T] [--until T] [--run R] [--action A] [--limit N] [--json]: the history;\n' +
      '               audit verify [--bucket B]... [--json]: check its hash chains',
    run: async (argv) => runCommand('audit', (await import('./commands/audit.js')).audit, argv),
  },
  delivery: {
    summary: 'delivery [--bucket B]... [--json] [--now T]: check that inventory reports arrive',
    run: async (argv) => runCommand('delivery', (await import('./commands/delivery.js')).delivery, argv),
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
