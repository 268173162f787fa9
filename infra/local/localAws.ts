import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { LOCAL_ALLOWED_ACCOUNTS, LOCAL_DEFAULTS, MOTO_DEFAULT_ACCOUNT_ID } from './constants.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodbLocal.js';
import { sendError } from './gateway/awsErrors.js';
import { requestInfo } from './gateway/requestInfo.js';
import type { Gateway } from './gateway.js';
import { createLogger } from './logger.js';
import { type MotoServer, startMotoServer } from './motoServer.js';
import { planResources, type ResourcePlan } from './resources/planResources.js';
import type { LocalAws, LocalAwsEnv, LocalAwsOptions } from './types.js';

// This module stays light (no AWS SDK): the gateway and the resource creation load while the children start.

const repoRoot = new URL('../../', import.meta.url).pathname;

type Backends = { moto: MotoServer; dynamodb: DynamoDbLocal };

/**
 * Binds the gateway's port on 127.0.0.1 (so a taken port fails at once); until the gateway takes the
 * server over, calls get 503 (`{"status": "starting"}` on the control endpoints), as the gateway
 * itself answers before its backends are ready.
 */
async function bindPort(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    if (req.url?.startsWith('/_local/')) {
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'starting' }));
      return;
    }
    sendError(
      req,
      res,
      requestInfo(req).service,
      503,
      'ServiceUnavailable',
      'The local AWS is still starting.',
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function startBackends(options: LocalAwsOptions): Promise<Backends> {
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
 * behind it, and the tables, topics and queues of `infra/resources/*.yml` (plus the alert topic
 * `s3ir-alerts` while no resource file defines a topic). Resolves once everything answers, with the
 * env that points SDKs at it (the Contract's keys, `S3IR_QUEUE_URL` and `S3IR_DLQ_URL`). On
 * failure, everything started so far is stopped again.
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
  // What can fail fast does, before any child starts: a taken port, a bad resource file.
  const server = await bindPort(options.port ?? 0);
  let plan: ResourcePlan;
  try {
    plan = await planResources(
      options.serverlessFile ?? join(repoRoot, 'serverless.yml'),
      options.resourcesDir ?? join(repoRoot, 'infra', 'resources'),
      {
        env: options.env ?? process.env,
        options: { region, stage: options.stage ?? LOCAL_DEFAULTS.stage, accountId: MOTO_DEFAULT_ACCOUNT_ID },
      },
    );
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  // The children take longest: they start first, and the gateway's modules (the AWS SDK) load meanwhile.
  const backendsStarting = startBackends(options);
  let gateway: Gateway | undefined;
  let backends: Backends | undefined;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await (gateway ? gateway.close() : closeServer(server));
      const running = backends ?? (await backendsStarting.catch(() => undefined));
      await Promise.all([running?.moto.stop(), running?.dynamodb.stop()]);
    })();
    return stopped;
  };
  try {
    const [{ Gateway }, { provisionResources }] = await Promise.all([
      import('./gateway.js'),
      import('./resources/provisionResources.js'),
    ]);
    const ready = await Gateway.listen({
      server,
      region,
      logger: createLogger('gateway'),
      ...(eventWebhookUrl ? { eventWebhookUrl } : {}),
      ...(options.eventBufferSize ? { eventBufferSize: options.eventBufferSize } : {}),
    });
    gateway = ready;
    backends = await backendsStarting;
    logger.debug(`backends ready after ${Date.now() - started} ms`);
    ready.connect({
      moto: { host: '127.0.0.1', port: backends.moto.port },
      dynamodb: { host: '127.0.0.1', port: backends.dynamodb.port },
    });
    const credentials = {
      accessKeyId: LOCAL_DEFAULTS.accessKeyId,
      secretAccessKey: LOCAL_DEFAULTS.secretAccessKey,
    };
    const names = await provisionResources(plan, { endpoint: ready.endpoint, region, credentials }, logger);
    // Audit anchors (issue 16): the digest bucket (Object Lock) and the signing key.
    const { provisionDigestAnchor } = await import('./resources/provisionDigestAnchor.js');
    const digest = await provisionDigestAnchor({ endpoint: ready.endpoint, region, credentials });
    const env = {
      AWS_REGION: region,
      AWS_ENDPOINT_URL: ready.endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      S3IR_ALLOWED_ACCOUNTS: LOCAL_ALLOWED_ACCOUNTS.join(','),
      ...names,
      ...digest,
    } as LocalAwsEnv;
    // Setting up is not part of what callers count.
    ready.calls.reset();
    const startupMs = Date.now() - started;
    logger.debug(`ready on ${ready.endpoint} in ${startupMs} ms`);
    const urls = { moto: backends.moto.endpoint, dynamodb: backends.dynamodb.endpoint };
    return {
      endpoint: ready.endpoint,
      port: ready.port,
      env,
      backends: urls,
      gateway: ready,
      startupMs,
      onChangeEvent: (listener) => ready.events.subscribe(listener),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
