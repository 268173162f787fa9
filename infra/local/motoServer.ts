import { START_TIMEOUT_MS } from './constants.js';
import { MotoNotFoundError, ServiceStartError } from './errors.js';
import { createLogger, type Logger } from './logger.js';
import { ChildService } from './process/ChildService.js';
import { freePort } from './process/freePort.js';
import { waitUntil } from './process/waitUntil.js';

/** Options of {@link startMotoServer}. */
export interface MotoServerOptions {
  /** Port to listen on (default: a free one). */
  port?: number;
  /** The command (default `moto_server` on PATH). */
  command?: string;
  logger?: Logger;
}

/** A running moto server. */
export interface MotoServer {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

async function answersMotoApi(endpoint: string): Promise<boolean> {
  const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.status === 200;
}

/**
 * Starts `moto_server` on 127.0.0.1 and resolves once its `/moto-api/` answers. A missing command
 * (ENOENT, or exit code 127 from a pyenv shim whose Python lacks moto) raises {@link MotoNotFoundError}.
 */
export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  const logger = options.logger ?? createLogger('moto');
  const command = options.command ?? 'moto_server';
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  const service = ChildService.spawn({
    name: 'moto',
    command,
    args: ['-H', '127.0.0.1', '-p', String(port)],
    logger,
  });
  try {
    await waitUntil(() => answersMotoApi(endpoint), {
      timeoutMs: START_TIMEOUT_MS.moto,
      abortReason: () => service.exitReason,
    });
  } catch (error) {
    await service.stop();
    if (service.spawnFailure?.code === 'ENOENT' || service.exitCode === 127) {
      throw new MotoNotFoundError(command, { cause: error });
    }
    throw new ServiceStartError('moto', (error as Error).message, service.output(), { cause: error });
  }
  logger.debug(`moto ready on ${endpoint} (pid ${service.pid})`);
  return { endpoint, port, stop: () => service.stop() };
}
