import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newRequestIds, sendError } from './gateway/awsErrors.js';
import { CallCounter } from './gateway/CallCounter.js';
import { handleControlRequest } from './gateway/control.js';
import { MotoBucketDirectory } from './gateway/MotoBucketDirectory.js';
import { operationIsInBody, rpcOperation } from './gateway/operationName.js';
import { type ProxyTarget, proxyRequest } from './gateway/proxy.js';
import { readBody } from './gateway/readBody.js';
import { type RequestInfo, requestInfo } from './gateway/requestInfo.js';
import { s3Operation } from './gateway/s3Operation.js';
import { createLogger, type Logger } from './logger.js';
import { handleInventoryRequest } from './s3Inventory/handleInventoryRequest.js';
import { InventoryStore } from './s3Inventory/InventoryStore.js';

/** Options of {@link Gateway.listen}. */
export interface GatewayOptions {
  /** Port (default 0: a free one). */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Region for the gateway's own calls to moto. */
  region: string;
  logger?: Logger;
}

/** Where the gateway sends what it does not answer itself. */
export interface GatewayBackends {
  moto: { host: string; port: number };
  dynamodb: { host: string; port: number };
}

interface ConnectedBackends {
  moto: ProxyTarget;
  dynamodb: ProxyTarget;
  buckets: MotoBucketDirectory;
}

const maxRpcBody = 16 * 1024 * 1024;
const s3Headers = () => {
  const { requestId, hostId } = newRequestIds();
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId };
};

/**
 * The local AWS's one endpoint. Reads the service from the SigV4 credential scope and routes:
 * `dynamodb` → DynamoDB Local, S3's `?inventory` subresource → its own implementation, everything
 * else → moto. Counts every call by `service.Operation` and serves the `/_local/` control endpoints.
 */
export class Gateway {
  readonly calls = new CallCounter();
  readonly inventory = new InventoryStore();
  private backends: ConnectedBackends | undefined;
  private readonly agents: Agent[] = [];

  private constructor(
    private readonly server: Server,
    private readonly options: GatewayOptions,
    private readonly logger: Logger,
  ) {}

  /** Binds the port first (so a taken port fails fast); calls get 503 until {@link connect}. */
  static async listen(options: GatewayOptions): Promise<Gateway> {
    const logger = options.logger ?? createLogger('gateway');
    const server = createServer();
    const gateway = new Gateway(server, options, logger);
    server.on('request', (req, res) => gateway.handle(req, res));
    // SDK clients keep sockets open for a while; do not close them under their feet.
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return gateway;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get endpoint(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.port}`;
  }

  /** Points the gateway at running backends; from now on it is ready. */
  connect(backends: GatewayBackends): void {
    const target = (backend: { host: string; port: number }): ProxyTarget => {
      const agent = new Agent({ keepAlive: true, maxSockets: 64 });
      this.agents.push(agent);
      return { ...backend, agent };
    };
    const moto = target(backends.moto);
    this.backends = {
      moto,
      dynamodb: target(backends.dynamodb),
      buckets: new MotoBucketDirectory(moto, this.options.region),
    };
  }

  /** Stops listening and drops open connections. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    for (const agent of this.agents) agent.destroy();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.url?.startsWith('/_local/')) {
      handleControlRequest(req, res, { calls: this.calls, isReady: () => this.backends !== undefined });
      return;
    }
    const info = requestInfo(req);
    this.route(req, res, info).catch((error: unknown) => {
      this.logger.error(`${info.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
      if (res.headersSent) res.destroy();
      else
        sendError(
          req,
          res,
          info.service,
          500,
          'InternalError',
          'We encountered an internal error. Please try again.',
        );
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse, info: RequestInfo): Promise<void> {
    const backends = this.backends;
    if (!backends) {
      req.resume();
      return sendError(req, res, info.service, 503, 'ServiceUnavailable', 'The local AWS is still starting.');
    }
    const unavailable = (name: string) => (error: Error) =>
      sendError(
        req,
        res,
        info.service,
        503,
        'ServiceUnavailable',
        `${name} is not reachable: ${error.message}`,
      );

    if (info.service === 's3') {
      const operation = s3Operation(info.method, info.bucket, info.key, info.query, req.headers);
      this.calls.count(`s3.${operation}`);
      if (info.bucket && info.key === undefined && info.query.has('inventory')) {
        return handleInventoryRequest(req, res, info, { store: this.inventory, buckets: backends.buckets });
      }
      const status = await proxyRequest(req, res, backends.moto, {
        defaultResponseHeaders: s3Headers,
        onUnavailable: unavailable('moto'),
      });
      // A deleted bucket takes its inventory configurations with it (a new one of that name starts empty).
      if (operation === 'DeleteBucket' && status >= 200 && status < 300) this.inventory.forget(info.bucket!);
      return;
    }
    if (info.service === 'dynamodb') {
      this.calls.count(`dynamodb.${rpcOperation(req.headers, info.pathname, info.query, undefined)}`);
      await proxyRequest(req, res, backends.dynamodb, { onUnavailable: unavailable('DynamoDB Local') });
      return;
    }
    const body = operationIsInBody(req.headers, info.query) ? await readBody(req, maxRpcBody) : undefined;
    this.calls.count(
      `${info.service ?? 'unsigned'}.${rpcOperation(req.headers, info.pathname, info.query, body)}`,
    );
    await proxyRequest(req, res, backends.moto, {
      ...(body ? { body } : {}),
      onUnavailable: unavailable('moto'),
    });
  }
}
