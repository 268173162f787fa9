import { readFile } from 'node:fs/promises';
import { createAuditApiRouter } from '../../api/auditApiRouter.js';
import { listenAuditApi } from '../../api/listenAuditApi.js';
import { viewerPage } from '../../api/viewerPage.generated.js';
import { createAuditApiDeps } from '../../wiring/auditApiDeps.js';
import { readServiceConfig, ServiceConfigError } from '../../wiring/serviceConfig.js';
import { commandSpec, OPTIONS } from '../commandSpecs.js';
import { UsageError, UserError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatHelp, parseCommand } from '../parseCommand.js';

/** Options of `s3ir serve`. */
export interface ServeOptions {
  port: number;
  host: string;
  envFile?: string;
}

const { help } = commandSpec('serve');

/**
 * `s3ir serve [--port N] [--host H] [--env-file PATH]`: the audit API of functions/auditApi over node:http,
 * same router, same ports. Prints the viewer's URL once listening; stops on SIGINT or SIGTERM.
 */
export async function serve(argv: string[], io: CliIo): Promise<number> {
  const values = parseCommand(argv, OPTIONS.serve, help);
  if (values === 'help') {
    io.out(formatHelp(help));
    return 0;
  }
  const options: ServeOptions = {
    port: parsePort(values.port ?? '8080'),
    host: values.host ?? '127.0.0.1',
    ...(values['env-file'] !== undefined && { envFile: values['env-file'] }),
  };
  // The SDK reads credentials and AWS_ENDPOINT_URL from process.env itself: the file must land there.
  if (options.envFile !== undefined) Object.assign(process.env, await readEnvFile(options.envFile));
  let config: ReturnType<typeof readServiceConfig>;
  try {
    config = readServiceConfig(process.env);
  } catch (error) {
    if (error instanceof ServiceConfigError) throw new UserError(`bad environment: ${error.message}`);
    throw error;
  }
  const deps = createAuditApiDeps(config);
  const route = createAuditApiRouter({
    ports: deps.ports,
    page: viewerPage,
    onError: (error, request) =>
      io.err(`s3ir serve: ${request.method} ${request.path} failed: ${(error as Error).stack ?? error}\n`),
  });
  const stop = signalled();
  try {
    const server = await listenAuditApi({ route, host: options.host, port: options.port }).catch((error) => {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
        throw new UserError(
          `port ${options.port} is in use. Choose another with --port N (0 picks a free one).`,
        );
      throw error;
    });
    io.out(`Audit viewer: ${server.url}\n`);
    io.out(`Reading ${config.auditTable} and ${config.stateTable}. Press Ctrl+C to stop.\n`);
    await stop.promise;
    await server.close();
    io.out('Stopped.\n');
    return 0;
  } finally {
    stop.dispose();
    deps.close();
  }
}

function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65535))
    throw new UsageError(`--port must be a port number (0-65535).\n${help.usage}`);
  return port;
}

/** Resolves on the first SIGINT or SIGTERM. */
function signalled(): { promise: Promise<void>; dispose(): void } {
  let onSignal = () => {};
  const promise = new Promise<void>((resolve) => {
    onSignal = () => resolve();
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    promise,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** `KEY=value` lines (blank lines and `#` comments skipped), as `s3ir local start --env-file` writes them. */
async function readEnvFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`--env-file: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const env: Record<string, string> = {};
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) throw new UserError(`${path}:${index + 1}: expected KEY=value, got ${JSON.stringify(line)}`);
    env[match[1]!] = match[2]!;
  }
  return env;
}
