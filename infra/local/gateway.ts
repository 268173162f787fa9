import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MotoClients } from './delivery/MotoClients.js';
import { ReportDelivery } from './delivery/ReportDelivery.js';
import { CallerIdentities } from './events/CallerIdentities.js';
import { ChangeEventBus } from './events/ChangeEventBus.js';
import { type PublishChange, recordChange } from './events/recordChange.js';
import { FaultInjector } from './faults/FaultInjector.js';
import { injectFault } from './faults/injectFault.js';
import { newRequestIds, sendError, sendS3Error } from './gateway/awsErrors.js';
import { bucketOwnerRefusal } from './gateway/bucketOwnerCondition.js';
import { CallCounter } from './gateway/CallCounter.js';
import { handleControlRequest } from './gateway/control.js';
import { identifyCall } from './gateway/identifyCall.js';
import { KnownAccounts } from './gateway/KnownAccounts.js';
import { BucketRegions, handleListBuckets } from './gateway/listBuckets.js';
import { MotoBucketDirectory } from './gateway/MotoBucketDirectory.js';
import { planMotoQuirks } from './gateway/motoQuirks.js';
import { type ProxyTarget, proxyRequest } from './gateway/proxy.js';
import { type RequestInfo, requestInfo } from './gateway/requestInfo.js';
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
  /** Change events are also POSTed here (`startLocalAws({ eventWebhookUrl })`). */
  eventWebhookUrl?: string;
  /** How many change events `GET /_local/events` keeps (default 1,000). */
  eventBufferSize?: number;
  /**
   * A server already listening, taken over instead of binding `port` (`startLocalAws` binds the port
   * before this module and the AWS SDK load); its `request` listeners are replaced by the gateway's.
   */
  server?: Server;
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
  identities: CallerIdentities;
  motoClients: MotoClients;
  delivery: ReportDelivery;
}

const s3Headers = () => {
  const { requestId, hostId } = newRequestIds();
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId };
};
const succeeded = (status: number) => status >= 200 && status < 300;

/**
 * The local AWS's one endpoint. Reads the service from the SigV4 credential scope and routes:
 * `dynamodb` → DynamoDB Local, S3's `?inventory` subresource → its own implementation, everything
 * else → moto (making up for moto's quirks on the calls the reconciler makes: gateway/motoQuirks.ts;
 * enforcing S3's bucket owner condition, which moto ignores: gateway/bucketOwnerCondition.ts).
 * Counts every call by `service.Operation`, injects the faults of `/_local/faults`,
 * publishes a CloudTrail-shaped event for each successful S3/KMS mutation, simulates report
 * delivery, and serves the `/_local/` control endpoints (infra/local/README.md).
 */
export class Gateway {
  readonly calls = new CallCounter();
  readonly inventory = new InventoryStore();
  readonly faults = new FaultInjector();
  readonly accounts = new KnownAccounts();
  /** Regions of the buckets ListBuckets listed, learned from moto once each. */
  private readonly bucketRegions = new BucketRegions();
  readonly events: ChangeEventBus;
  private backends: ConnectedBackends | undefined;
  private readonly agents: Agent[] = [];

  private constructor(
    private readonly server: Server,
    private readonly options: GatewayOptions,
    private readonly logger: Logger,
  ) {
    this.events = new ChangeEventBus({
      logger,
      ...(options.eventWebhookUrl ? { webhookUrl: options.eventWebhookUrl } : {}),
      ...(options.eventBufferSize ? { bufferSize: options.eventBufferSize } : {}),
    });
  }

  /** Binds the port first (so a taken port fails fast); calls get 503 until {@link connect}. */
  static async listen(options: GatewayOptions): Promise<Gateway> {
    const logger = options.logger ?? createLogger('gateway');
    const server = options.server ?? createServer();
    const gateway = new Gateway(server, options, logger);
    server.removeAllListeners('request');
    server.on('request', (req, res) => gateway.handle(req, res));
    // SDK clients keep sockets open for a while; do not close them under their feet.
    server.keepAliveTimeout = 65_000;
    if (options.server) return gateway;
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
    const motoClients = new MotoClients(`http://${moto.host}:${moto.port}`, this.options.region);
    this.backends = {
      moto,
      dynamodb: target(backends.dynamodb),
      buckets: new MotoBucketDirectory(moto, this.options.region),
      identities: new CallerIdentities(moto, this.options.region),
      motoClients,
      delivery: new ReportDelivery({
        store: this.inventory,
        clients: motoClients,
        accounts: this.accounts,
        logger: this.logger,
      }),
    };
  }

  /** Stops listening and drops open connections. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.events.flush();
    this.backends?.motoClients.destroy();
    for (const agent of this.agents) agent.destroy();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.url?.startsWith('/_local/')) {
      void handleControlRequest(req, res, {
        calls: this.calls,
        faults: this.faults,
        events: this.events,
        deliver: (options) => this.backends?.delivery.deliver(options),
        isReady: () => this.backends !== undefined,
        logger: this.logger,
      });
      return;
    }
    const info = requestInfo(req);
    this.route(req, res, info).catch((error: unknown) => {
      this.logger.error(`${req.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
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
    const call = await identifyCall(req, info);
    this.calls.count(`${call.service ?? 'unsigned'}.${call.operation}`);
    this.accounts.noteRequest(req.headers, call);
    if (await injectFault(this.faults, req, res, info, call)) return;
    const publishChange = recordChange(req, info, call, {
      identities: backends.identities,
      bus: this.events,
      logger: this.logger,
      defaultRegion: this.options.region,
    });
    if (call.service === 's3' && info.bucket && info.key === undefined && info.query.has('inventory')) {
      return handleInventoryRequest(req, res, info, {
        store: this.inventory,
        buckets: backends.buckets,
        ...(publishChange ? { onChange: publishChange } : {}),
      });
    }
    if (call.service === 's3' && call.operation === 'ListBuckets') {
      // moto lists no BucketRegion and no pages: the gateway answers as AWS does (gateway/listBuckets.ts).
      return handleListBuckets(req, res, info, {
        moto: backends.moto,
        regions: this.bucketRegions,
        defaultRegion: this.options.region,
      });
    }
    if (call.service === 's3') {
      // moto ignores x-amz-expected-bucket-owner: the gateway answers for it (gateway/bucketOwnerCondition.ts).
      const refusal = await bucketOwnerRefusal(req, info, call.operation, backends.buckets);
      if (refusal) {
        req.resume();
        return sendS3Error(res, info.method, refusal);
      }
    }
    const backendName = call.service === 'dynamodb' ? 'DynamoDB Local' : 'moto';
    // Where moto is not AWS (gateway/motoQuirks.ts): refuse, or rewrite the request or the reply.
    const quirks = call.service === 'dynamodb' ? undefined : await planMotoQuirks(req, call);
    if (quirks?.reject) {
      const { status, code, message } = quirks.reject;
      return sendError(req, res, info.service, status, code, message);
    }
    const body = quirks?.body ?? call.body;
    const status = await proxyRequest(
      req,
      res,
      call.service === 'dynamodb' ? backends.dynamodb : backends.moto,
      {
        ...(body ? { body } : {}),
        ...(call.service === 's3' ? { defaultResponseHeaders: s3Headers } : {}),
        ...(publishChange ? { beforeResponse: onSuccess(publishChange) } : {}),
        ...(quirks?.rewriteReply ? { rewriteReply: quirks.rewriteReply } : {}),
        onUnavailable: (error) =>
          sendError(
            req,
            res,
            info.service,
            503,
            'ServiceUnavailable',
            `${backendName} is not reachable: ${error.message}`,
          ),
      },
    );
    // A deleted bucket takes its inventory configurations with it (a new one of that name starts empty).
    if (call.operation === 'DeleteBucket' && succeeded(status)) this.inventory.forget(info.bucket!);
  }
}

/** Publishes the change only when the backend answered 2xx. */
function onSuccess(publishChange: PublishChange) {
  return async (status: number, headers: IncomingMessage['headers']) => {
    if (succeeded(status)) await publishChange(headers);
  };
}
