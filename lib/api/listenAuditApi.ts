import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditApiRoute } from './auditApiRouter.js';
import { parseQueryString } from './queryParams.js';
import { errorResponse } from './responses.js';
import type { ApiRequest, ApiResponse } from './types.js';

export interface ListenAuditApiOptions {
  route: AuditApiRoute;
  /** Address to listen on (default 127.0.0.1: the API answers with the operator's AWS credentials). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
}

export interface AuditApiServer {
  /** `http://HOST:PORT/`, the viewer's address. */
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Serves the audit API and the viewer over node:http (`s3ir serve`), through the same router as the Lambda
 * function. On a loopback address it answers only requests whose Host header names a loopback address: a
 * web page elsewhere cannot reach it through a DNS name that resolves to 127.0.0.1 (DNS rebinding).
 */
export async function listenAuditApi(options: ListenAuditApiOptions): Promise<AuditApiServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((incoming, outgoing) => {
    answer(incoming, outgoing, options.route, LOOPBACK.has(host)).catch((error: unknown) => {
      outgoing.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function answer(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  route: AuditApiRoute,
  loopbackOnly: boolean,
): Promise<void> {
  let response: ApiResponse;
  if (loopbackOnly && !isLoopbackHost(incoming.headers.host)) {
    response = errorResponse(
      403,
      `host: ${JSON.stringify(incoming.headers.host ?? '')} is not a loopback address`,
    );
  } else {
    response = await route(requestFromNode(incoming));
  }
  outgoing.writeHead(response.statusCode, response.headers);
  outgoing.end(incoming.method === 'HEAD' ? undefined : response.body);
}

/** The request node:http received, as the router takes it. */
export function requestFromNode(incoming: IncomingMessage): ApiRequest {
  const target = incoming.url ?? '/';
  const mark = target.indexOf('?');
  const path = mark === -1 ? target : target.slice(0, mark);
  return {
    method: incoming.method ?? 'GET',
    path,
    query: parseQueryString(mark === -1 ? '' : target.slice(mark + 1)),
  };
}

/** `localhost:8080`, `127.0.0.1:8080`, `[::1]:8080` (any port). */
function isLoopbackHost(header: string | undefined): boolean {
  if (header === undefined) return false;
  const name = header.startsWith('[') ? header.slice(1, header.indexOf(']')) : header.replace(/:\d+$/, '');
  return LOOPBACK.has(name.toLowerCase());
}
