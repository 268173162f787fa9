export type { AuditApiRoute, AuditApiRouterOptions } from './auditApiRouter.js';
export { createAuditApiRouter } from './auditApiRouter.js';
export { BadParameterError } from './errors.js';
export { httpApiResult, requestFromHttpApiEvent } from './httpApiEvent.js';
export type { AuditApiServer, ListenAuditApiOptions } from './listenAuditApi.js';
export { listenAuditApi, requestFromNode } from './listenAuditApi.js';
export type { EventsRequest } from './parseEventsRequest.js';
export { EVENTS_LIMIT, parseEventsRequest } from './parseEventsRequest.js';
export { MAX_VERIFY_BUCKETS, parseVerifyRequest } from './parseVerifyRequest.js';
export type { ViewerPage } from './responses.js';
export { errorResponse, jsonResponse, pageResponse, viewerCsp } from './responses.js';
export type {
  ApiRequest,
  ApiResponse,
  AuditApiPorts,
  BucketStatusView,
  ErrorResponse,
  EventsResponse,
  QueryParams,
  StatusResponse,
  VerifyResponse,
} from './types.js';
export { viewerPage } from './viewerPage.generated.js';
