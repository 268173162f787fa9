import { InvalidPageTokenError, UnboundedAuditQueryError } from '../core/audit/errors.js';
import { BadParameterError } from './errors.js';
import { parseEventsRequest } from './parseEventsRequest.js';
import { parseVerifyRequest } from './parseVerifyRequest.js';
import { rejectUnknown } from './queryParams.js';
import { errorResponse, jsonResponse, pageResponse, type ViewerPage } from './responses.js';
import { statusResponse } from './statusView.js';
import type {
  AnchorResponse,
  ApiRequest,
  ApiResponse,
  AuditApiPorts,
  EventsResponse,
  VerifyResponse,
} from './types.js';

export interface AuditApiRouterOptions {
  ports: AuditApiPorts;
  /** The viewer served at `GET /` (lib/api/viewerPage.generated). */
  page: ViewerPage;
  /** The clock durations such as `since=7d` count back from (default: the system clock). */
  now?: () => Date;
  /** Told about every error answered 500, with the request (the handler logs it in full). */
  onError?: (error: unknown, request: ApiRequest) => void;
}

/** Answers one request: the same function behind the Lambda handler and `s3ir serve`. */
export type AuditApiRoute = (request: ApiRequest) => Promise<ApiResponse>;

type Handler = (request: ApiRequest) => Promise<ApiResponse>;

/**
 * The audit API, framework-free: `GET /` the viewer, `GET /events`, `GET /status`, `GET /verify`. An unknown
 * path is 404, another method 405 (with `allow`), a bad parameter 400 `{ "error": "<param>: <reason>" }`;
 * anything else that fails is a 500 that says nothing more (the details go to `onError`).
 * @example
 * const route = createAuditApiRouter({ ports, page: viewerPage });
 * await route({ method: 'GET', path: '/events', query: { bucket: ['photos'] } });
 */
export function createAuditApiRouter(options: AuditApiRouterOptions): AuditApiRoute {
  const { ports, page } = options;
  const now = options.now ?? (() => new Date());
  const routes: Record<string, Handler> = {
    '/': async function viewer() {
      return pageResponse(page);
    },
    '/events': async function events(request) {
      const { query, limit, next } = parseEventsRequest(request.query, now());
      const found = await ports.events.page(query, { limit, ...(next !== undefined && { next }) });
      const body: EventsResponse = {
        version: 1,
        events: found.events,
        ...(found.next !== undefined && { next: found.next }),
      };
      return jsonResponse(200, body);
    },
    '/status': async function status(request) {
      rejectUnknown(request.query, []);
      return jsonResponse(200, statusResponse(await ports.status.list()));
    },
    '/verify': async function verify(request) {
      const verifyRequest = parseVerifyRequest(request.query, now());
      const body: VerifyResponse = {
        version: 1,
        ...(verifyRequest.since !== undefined && { since: verifyRequest.since }),
        ...(await ports.verify(verifyRequest)),
      };
      return jsonResponse(200, body);
    },
    // Audit anchors (issue 16): when the history was last anchored and whether it verifies from there.
    '/anchor': async function anchor(request) {
      rejectUnknown(request.query, []);
      const body: AnchorResponse = ports.anchor
        ? { version: 1, configured: true, ...(await ports.anchor()) }
        : {
            version: 1,
            configured: false,
            anchored: false,
            verifies: false,
            breaks: [],
            unanchoredChains: 0,
          };
      return jsonResponse(200, body);
    },
  };

  return async function auditApiRoute(request) {
    const handler = Object.hasOwn(routes, request.path) ? routes[request.path] : undefined;
    if (!handler)
      return errorResponse(
        404,
        `no route ${request.path}; the API has GET ${Object.keys(routes).join(', ')}`,
      );
    if (request.method !== 'GET')
      return errorResponse(405, `${request.method} ${request.path}: only GET is allowed`, { allow: 'GET' });
    try {
      return await handler(request);
    } catch (error) {
      if (error instanceof BadParameterError) return errorResponse(400, error.message);
      if (error instanceof InvalidPageTokenError) return errorResponse(400, `next: ${error.message}`);
      if (error instanceof UnboundedAuditQueryError) return errorResponse(400, error.message);
      options.onError?.(error, request);
      return errorResponse(500, 'internal error; the details are in the logs');
    }
  };
}
