import { join } from 'node:path';
import { LOCAL_DEFAULTS, MOTO_DEFAULT_ACCOUNT_ID } from './constants.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodbLocal.js';
import { Gateway } from './gateway.js';
import { createLogger } from './logger.js';
import { type MotoServer, startMotoServer } from './motoServer.js';
import { planResources, provisionResources } from './resources/provisionResources.js';
import type { LocalAws, LocalAwsEnv, LocalAwsOptions } from './types.js';

const repoRoot = new URL('../../', import.meta.url).pathname;

async function startBackends(
  options: LocalAwsOptions,
): Promise<{ moto: MotoServer; dynamodb: DynamoDbLocal }> {
  const [moto, dynamodb] = await Promise.allSettled([
    startMotoServer({ logger: createLogger('moto') }),
    startDynamoDbLocal({
      logger: createLogger('dynamodb-local'),
      ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
    }),
  ]);
  if (moto.status === 'fulfilled' && dynamodb.status === 'fulfilled')
    return { moto: moto.value, dynamodb: dynamodb.value };
  await Promise.all(
    [moto, dynamodb].map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)),
  );
  throw moto.status === 'rejected' ? moto.reason : (dynamodb as PromiseRejectedResult).reason;
}

/**
 * Starts the local AWS (DESIGN.md, Local AWS): the gateway on one port, moto and DynamoDB Local
 * behind it, and the tables, topics and queues of `infra/resources` (plus the alert topic
 * `s3ir-alerts` while no resource file defines a topic). Resolves once everything answers, with the
 * env that points SDKs at it. On failure, everything started so far is stopped again.
 *
 * @example
 * const local = await startLocalAws({ port: 4599 });
 * Object.assign(process.env, local.env);
 * await local.stop();
 */
export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const started = Date.now();
  const logger = options.logger ?? createLogger('local-aws');
  const region = options.region ?? LOCAL_DEFAULTS.region;
  const eventWebhookUrl = options.eventWebhookUrl ?? (options.env ?? process.env).S3IR_LOCAL_EVENT_WEBHOOK;
  const gateway = await Gateway.listen({
    port: options.port ?? 0,
    region,
    logger: createLogger('gateway'),
    ...(eventWebhookUrl ? { eventWebhookUrl } : {}),
    ...(options.eventBufferSize ? { eventBufferSize: options.eventBufferSize } : {}),
  });
  let backends: { moto: MotoServer; dynamodb: DynamoDbLocal } | undefined;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await gateway.close();
      await Promise.all([backends?.moto.stop(), backends?.dynamodb.stop()]);
    })();
    return stopped;
  };
  try {
    const plan = await planResources(
      options.serverlessFile ?? join(repoRoot, 'serverless.yml'),
      options.resourcesDir ?? join(repoRoot, 'infra', 'resources'),
      {
        env: options.env ?? process.env,
        options: { region, stage: 'local', accountId: MOTO_DEFAULT_ACCOUNT_ID },
      },
    );
    backends = await startBackends(options);
    logger.debug(`backends ready after ${Date.now() - started} ms`);
    gateway.connect({
      moto: { host: '127.0.0.1', port: backends.moto.port },
      dynamodb: { host: '127.0.0.1', port: backends.dynamodb.port },
    });
    const credentials = {
      accessKeyId: LOCAL_DEFAULTS.accessKeyId,
      secretAccessKey: LOCAL_DEFAULTS.secretAccessKey,
    };
    const names = await provisionResources(plan, { endpoint: gateway.endpoint, region, credentials }, logger);
    const env = {
      AWS_REGION: region,
      AWS_ENDPOINT_URL: gateway.endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...names,
    } as LocalAwsEnv;
    // Setting up is not part of what callers count.
    gateway.calls.reset();
    const startupMs = Date.now() - started;
    logger.debug(`ready on ${gateway.endpoint} in ${startupMs} ms`);
    const urls = { moto: backends.moto.endpoint, dynamodb: backends.dynamodb.endpoint };
    return {
      endpoint: gateway.endpoint,
      port: gateway.port,
      env,
      backends: urls,
      gateway,
      startupMs,
      onChangeEvent: (listener) => gateway.events.subscribe(listener),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
