import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallCounter } from './CallCounter.js';

/** What the control endpoints reach into. */
export interface ControlDeps {
  calls: CallCounter;
  /** False while the backends are still starting. */
  isReady(): boolean;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * The local AWS's own endpoints under `/_local/` (DESIGN.md, Contract): `GET /_local/health`,
 * `GET /_local/calls` (counts by `service.Operation`) and `POST /_local/calls/reset`.
 * They are never counted and never reach a backend.
 */
export function handleControlRequest(req: IncomingMessage, res: ServerResponse, deps: ControlDeps): void {
  const path = new URL(req.url ?? '/', 'http://gateway.invalid').pathname.replace(/\/$/, '');
  const method = req.method ?? 'GET';
  req.resume();
  const routes: Record<string, Record<string, () => void>> = {
    '/_local/health': {
      GET: () => sendJson(res, deps.isReady() ? 200 : 503, { status: deps.isReady() ? 'ready' : 'starting' }),
    },
    '/_local/calls': { GET: () => sendJson(res, 200, deps.calls.snapshot()) },
    '/_local/calls/reset': {
      POST: () => {
        deps.calls.reset();
        sendJson(res, 200, {});
      },
    },
  };
  const route = routes[path];
  const action = route?.[method];
  if (action) action();
  else if (route) sendJson(res, 405, { error: `${method} is not allowed on ${path}` });
  else sendJson(res, 404, { error: `no control endpoint ${path}` });
}
