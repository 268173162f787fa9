import {
  type Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';

/** Where a proxied request goes. */
export interface ProxyTarget {
  host: string;
  port: number;
  agent: Agent;
}

/** Options of {@link proxyRequest}. */
export interface ProxyOptions {
  /** The body, when the gateway already read it; otherwise the request is streamed through. */
  body?: Buffer;
  /** Response headers to add when the backend did not send them (S3's request id headers). */
  defaultResponseHeaders?: () => Record<string, string>;
  /** Awaited once the backend's status and headers are in, before anything is sent to the caller. */
  beforeResponse?: (status: number, headers: IncomingHttpHeaders) => Promise<void>;
  /**
   * Rewrites the backend's reply before the caller sees it (a moto quirk, gateway/motoQuirks.ts): the
   * reply is then read whole instead of streamed. An empty body is sent without `content-type`.
   */
  rewriteReply?: (reply: BufferedReply) => BufferedReply;
  /** Called when the backend cannot be reached and nothing was sent yet. */
  onUnavailable: (error: Error) => void;
}

/** A backend's reply, read whole. */
export interface BufferedReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

// Hop-by-hop headers belong to one connection, not to the request. `expect` is answered by the
// gateway's own server already (100-continue), so the backend must not wait for it again.
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'upgrade',
  'te',
  'trailer',
  'expect',
]);

function forwardedRequestHeaders(raw: string[], bodyLength: number | undefined): string[] {
  const headers: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (hopByHop.has(name)) continue;
    if (bodyLength !== undefined && (name === 'transfer-encoding' || name === 'content-length')) continue;
    headers.push(raw[i]!, raw[i + 1]!);
  }
  if (bodyLength !== undefined) headers.push('content-length', String(bodyLength));
  return headers;
}

function forwardedResponseHeaders(
  raw: string[],
  defaults: Record<string, string>,
  drop: ReadonlySet<string> = new Set(),
): string[] {
  const headers: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (hopByHop.has(name) || name === 'transfer-encoding' || drop.has(name)) continue;
    seen.add(name);
    headers.push(raw[i]!, raw[i + 1]!);
  }
  for (const [name, value] of Object.entries(defaults)) if (!seen.has(name)) headers.push(name, value);
  return headers;
}

/**
 * Sends the request to a backend exactly as it came (method, path and query as sent, every
 * end-to-end header, including `host` and the SigV4 `authorization`, so a signature stays what the
 * client computed) and streams the reply back. Resolves with the backend's status (0 when unreachable).
 */
export function proxyRequest(
  req: IncomingMessage,
  res: ServerResponse,
  target: ProxyTarget,
  options: ProxyOptions,
): Promise<number> {
  return new Promise((resolve) => {
    const upstream = request({
      host: target.host,
      port: target.port,
      agent: target.agent,
      method: req.method,
      path: req.url,
      headers: forwardedRequestHeaders(req.rawHeaders, options.body?.length),
      setHost: false,
    });
    upstream.on('response', async (reply) => {
      const defaults = options.defaultResponseHeaders?.() ?? {};
      if (options.rewriteReply) {
        const rewrite = options.rewriteReply;
        const status = await sendRewritten(reply, res, defaults, rewrite, options.beforeResponse);
        resolve(status);
        return;
      }
      const status = reply.statusCode ?? 502;
      // The reply stays paused (no reader yet) while the hook runs; a failing hook must not stop the reply.
      await options.beforeResponse?.(status, reply.headers).catch(() => undefined);
      res.writeHead(status, reply.statusMessage, forwardedResponseHeaders(reply.rawHeaders, defaults));
      reply.pipe(res);
      reply.on('end', () => resolve(status));
      reply.on('error', () => {
        res.destroy();
        resolve(status);
      });
    });
    upstream.on('error', (error) => {
      if (res.headersSent) res.destroy();
      else options.onUnavailable(error);
      resolve(0);
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (options.body) upstream.end(options.body);
    else req.pipe(upstream);
  });
}

/** Reads the whole reply, rewrites it, then sends it: resolves with the status sent (0 when the read failed). */
async function sendRewritten(
  reply: IncomingMessage,
  res: ServerResponse,
  defaults: Record<string, string>,
  rewrite: (reply: BufferedReply) => BufferedReply,
  beforeResponse: ProxyOptions['beforeResponse'],
): Promise<number> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of reply as AsyncIterable<Buffer>) chunks.push(chunk);
  } catch {
    res.destroy();
    return 0;
  }
  const original = { status: reply.statusCode ?? 502, headers: reply.headers, body: Buffer.concat(chunks) };
  const { status, body } = rewrite(original);
  await beforeResponse?.(status, reply.headers).catch(() => undefined);
  const drop = new Set(['content-length', ...(body.length === 0 ? ['content-type'] : [])]);
  const headers = forwardedResponseHeaders(reply.rawHeaders, defaults, drop);
  if (body.length > 0 || status !== 204) headers.push('content-length', String(body.length));
  res.writeHead(status, headers);
  res.end(body);
  return status;
}
