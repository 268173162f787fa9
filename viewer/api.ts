import type {
  AnchorResponse,
  ErrorResponse,
  EventsResponse,
  StatusResponse,
  VerifyResponse,
} from '../lib/api/types.js';

/** The API answered with an error: its `error` text (`bucket: expected a bucket name …`) is the message. */
export class ApiFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** GET a route relative to the page, so the viewer works under an API Gateway stage path too. */
async function getJson<T>(route: string, params = new URLSearchParams()): Promise<T> {
  const url = new URL(route, document.baseURI);
  url.search = params.toString();
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  const body = (await response.json().catch(() => undefined)) as T | ErrorResponse | undefined;
  if (!response.ok) {
    const error = body && typeof body === 'object' && 'error' in body ? body.error : undefined;
    throw new ApiFailure(error ?? `${response.status} ${response.statusText}`);
  }
  return body as T;
}

/** The filters of the timeline, as `GET /events` names them; empty ones are left out. */
export interface EventFilters {
  bucket?: string;
  action?: string;
  since?: string;
  until?: string;
}

export function fetchEvents(filters: EventFilters, next?: string, limit?: number): Promise<EventsResponse> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  if (next !== undefined) params.set('next', next);
  if (limit !== undefined) params.set('limit', String(limit));
  return getJson('events', params);
}

export function fetchStatus(): Promise<StatusResponse> {
  return getJson('status');
}

/** The chains changed since `since` (the timeline's window): the window is read, never the whole table. */
export function fetchVerify(since: string): Promise<VerifyResponse> {
  return getJson('verify', new URLSearchParams({ since }));
}

/** Audit anchors (issue 16): when the history was last anchored and whether it verifies. */
export function fetchAnchor(): Promise<AnchorResponse> {
  return getJson('anchor');
}
