import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the proxy sees it: enough to pick the AWS call a worker is to die in. */
export interface SeenRequest {
  method: string;
  /** Path and query, e.g. `/src-bucket?id=daily&inventory=`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Where the worker is stopped: `request`: the call never reaches AWS; `response`: AWS makes it and
 * answers, but the worker never hears back (it dies right after the call took effect).
 */
export type HoldAt = 'request' | 'response';

interface Hold {
  matches: (seen: SeenRequest) => boolean;
  at: HoldAt;
  held: () => void;
}

/**
 * A pass-through HTTP proxy in front of the local AWS that holds one chosen call, so that a test can
 * SIGKILL the worker at that exact step of apply without any hook in the service's code: the worker
 * is the real reconcile handler, waiting on a real AWS call. Held connections are dropped by
 * {@link HoldProxy.releaseAll} once the worker is dead.
 */
export class HoldProxy {
  private readonly server: Server;
  private readonly target: URL;
  private hold: Hold | undefined;
  private readonly heldRequests: IncomingMessage[] = [];

  private constructor(target: string) {
    this.target = new URL(target);
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const seen: SeenRequest = {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        const hold = this.hold?.matches(seen) ? this.hold : undefined;
        if (hold !== undefined) this.hold = undefined;
        if (hold?.at === 'request') {
          this.heldRequests.push(req);
          hold.held();
          return;
        }
        const upstream = request(
          {
            host: this.target.hostname,
            port: this.target.port,
            method: seen.method,
            path: seen.url,
            headers: req.headers,
          },
          (answer) => {
            const body: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => body.push(chunk));
            answer.on('end', () => {
              if (hold?.at === 'response') {
                this.heldRequests.push(req);
                hold.held();
                return;
              }
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(body));
            });
          },
        );
        upstream.on('error', () => res.destroy());
        upstream.end(Buffer.concat(chunks));
      });
    });
  }

  /** A proxy on a free port of 127.0.0.1 in front of `target` (the local AWS endpoint). */
  static async start(target: string): Promise<HoldProxy> {
    const proxy = new HoldProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Holds the next call `matches` picks, at `at`; resolves once it is held (the worker is waiting on it). */
  holdNext(matches: (seen: SeenRequest) => boolean, at: HoldAt): Promise<void> {
    return new Promise((held) => {
      this.hold = { matches, at, held };
    });
  }

  /** Drops every held connection (its worker is dead) and forgets a hold that never matched. */
  releaseAll(): void {
    this.hold = undefined;
    for (const req of this.heldRequests.splice(0)) req.socket.destroy();
  }

  async stop(): Promise<void> {
    this.releaseAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The DynamoDB operation a request calls (`PutItem`, `TransactWriteItems`…), from its X-Amz-Target. */
export function dynamoOperation(seen: SeenRequest): string | undefined {
  const target = seen.headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith('DynamoDB_') ? target.split('.')[1] : undefined;
}

/** Whether a request is an S3 call on `bucket` (path style) with the subresource `subresource` (`policy`, `inventory`). */
export function isS3Call(seen: SeenRequest, method: string, bucket: string, subresource: string): boolean {
  const url = new URL(seen.url, 'http://local');
  const path = url.pathname.replace(/\/$/, '');
  return seen.method === method && path === `/${bucket}` && url.searchParams.has(subresource);
}
