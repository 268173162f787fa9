import { join } from 'node:path';
import { START_TIMEOUT_MS } from './constants.js';
import { ensureDynamoDbLocal } from './dynamodbLocalCache.js';
import { JavaNotFoundError, ServiceStartError } from './errors.js';
import { createLogger, type Logger } from './logger.js';
import { ChildService } from './process/ChildService.js';
import { freePort } from './process/freePort.js';
import { waitUntil } from './process/waitUntil.js';

/** Options of {@link startDynamoDbLocal}. */
export interface DynamoDbLocalOptions {
  /** Where the verified jar is cached (default `<repo>/.cache/dynamodb-local`). */
  cacheDir?: string;
  /** Port to listen on (default: a free one). */
  port?: number;
  /** The java command (default `$JAVA_HOME/bin/java`, else `java` on PATH). */
  java?: string;
  logger?: Logger;
}

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

const repoRoot = new URL('../../', import.meta.url).pathname;

/** True once DynamoDB Local answers a ListTables call (it does not check the signature). */
async function answersListTables(endpoint: string): Promise<boolean> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
      authorization:
        'AWS4-HMAC-SHA256 Credential=probe/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
    signal: AbortSignal.timeout(2_000),
  });
  await response.arrayBuffer();
  return response.status === 200;
}

/**
 * Starts AWS's DynamoDB Local in memory with one shared database (`-sharedDb`: every access key and
 * region sees the same tables, which multi-account runs need), fetching and verifying the jar first.
 * Resolves once it answers; a missing Java raises {@link JavaNotFoundError}.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const logger = options.logger ?? createLogger('dynamodb-local');
  const emulatorDir = await ensureDynamoDbLocal(
    options.cacheDir ?? join(repoRoot, '.cache', 'dynamodb-local'),
    logger,
  );
  const java = options.java ?? (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java');
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  const service = ChildService.spawn({
    name: 'DynamoDB Local',
    command: java,
    args: [
      // C1 only: the JIT's C2 tier competes for the CPU while a 2-core machine starts everything at
      // once; without it DynamoDB Local answers in about half the time (~4-5 s instead of ~9-11 s
      // under load), and a test run never gets hot enough for C2 to pay off.
      '-XX:TieredStopAtLevel=1',
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-jar',
      'DynamoDBLocal.jar',
      '-inMemory',
      '-sharedDb',
      '-port',
      String(port),
    ],
    cwd: emulatorDir,
    logger,
  });
  try {
    await waitUntil(() => answersListTables(endpoint), {
      timeoutMs: START_TIMEOUT_MS.dynamodbLocal,
      abortReason: () => service.exitReason,
    });
  } catch (error) {
    await service.stop();
    if (service.spawnFailure?.code === 'ENOENT')
      throw new JavaNotFoundError(java, { cause: service.spawnFailure });
    throw new ServiceStartError('DynamoDB Local', (error as Error).message, service.output(), {
      cause: error,
    });
  }
  logger.debug(`DynamoDB Local ready on ${endpoint} (pid ${service.pid})`);
  return { endpoint, port, stop: () => service.stop() };
}
