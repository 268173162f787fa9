import type { IncomingMessage, ServerResponse } from 'node:http';
import { DeliverOptionsError, parseDeliverOptions } from '../delivery/parseDeliverOptions.js';
import type { DeliverOptions, DeliveryResult } from '../delivery/types.js';
import type { ChangeEventBus } from '../events/ChangeEventBus.js';
import type { FaultInjector } from '../faults/FaultInjector.js';
import { FaultRuleError } from '../faults/parseFaultRules.js';
import type { Logger } from '../logger.js';
import type { CallCounter } from './CallCounter.js';
import { BodyTooLargeError, readBody } from './readBody.js';

/** What the control endpoints reach into. */
export interface ControlDeps {
  calls: CallCounter;
  faults: FaultInjector;
  events: ChangeEventBus;
  /** Runs a report delivery; undefined while the backends are still starting. */
  deliver(options: DeliverOptions): Promise<DeliveryResult> | undefined;
  /** False while the backends are still starting. */
  isReady(): boolean;
  logger: Logger;
}

/** A control request the caller got wrong: answered 4xx with `{"error": message}`. */
class ControlRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlRequestError';
  }
}

const MAX_CONTROL_BODY = 1024 * 1024;

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The JSON body; undefined when empty. */
async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const text = (await readBody(req, MAX_CONTROL_BODY)).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ControlRequestError(400, `the body is not JSON: ${(error as Error).message}`);
  }
}

type Routes = Record<string, Record<string, () => Promise<[number, unknown]>>>;

function routes(req: IncomingMessage, url: URL, deps: ControlDeps): Routes {
  const ok = (value: unknown): [number, unknown] => [200, value];
  return {
    '/_local/health': {
      GET: async () => [deps.isReady() ? 200 : 503, { status: deps.isReady() ? 'ready' : 'starting' }],
    },
    '/_local/calls': { GET: async () => ok(deps.calls.snapshot()) },
    '/_local/calls/reset': {
      POST: async () => {
        deps.calls.reset();
        return ok({});
      },
    },
    '/_local/faults': {
      GET: async () => ok({ rules: deps.faults.list() }),
      POST: async () => ok({ rules: deps.faults.add(await jsonBody(req)) }),
      DELETE: async () => ok({ cleared: deps.faults.clear() }),
    },
    '/_local/deliver': {
      POST: async () => {
        const delivery = deps.deliver(parseDeliverOptions(await jsonBody(req)));
        if (!delivery) throw new ControlRequestError(503, 'the local AWS is still starting');
        return ok(await delivery);
      },
    },
    '/_local/events': { GET: async () => ok(deps.events.since(url.searchParams.get('since') ?? undefined)) },
  };
}

/**
 * The local AWS's own endpoints under `/_local/` (DESIGN.md, Contract; infra/local/README.md):
 * health, call counts and reset, fault rules (`GET`/`POST`/`DELETE /_local/faults`), report
 * delivery (`POST /_local/deliver`) and recent change events (`GET /_local/events?since=<id>`).
 * They are never counted, never faulted and never reach a backend. Bad requests get 4xx with
 * `{"error": reason}`.
 */
export async function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ControlDeps,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://gateway.invalid');
  const path = url.pathname.replace(/\/$/, '');
  const method = req.method ?? 'GET';
  const route = routes(req, url, deps)[path];
  const action = route?.[method];
  try {
    if (!action) {
      req.resume();
      if (route) throw new ControlRequestError(405, `${method} is not allowed on ${path}`);
      throw new ControlRequestError(404, `no control endpoint ${path}`);
    }
    const [status, value] = await action();
    req.resume();
    sendJson(res, status, value);
  } catch (error) {
    req.resume();
    if (error instanceof ControlRequestError) return sendJson(res, error.status, { error: error.message });
    if (error instanceof FaultRuleError || error instanceof DeliverOptionsError)
      return sendJson(res, 400, { error: error.message });
    if (error instanceof BodyTooLargeError) return sendJson(res, 413, { error: error.message });
    deps.logger.error(`${method} ${path} failed: ${(error as Error).stack ?? String(error)}`);
    if (res.headersSent) res.destroy();
    else sendJson(res, 500, { error: `the local AWS failed (a bug): ${(error as Error).message}` });
  }
}
