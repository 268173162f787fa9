import type { BucketState, BucketStatus, StatusStore } from '../core/alerts/bucketStatus.js';
import type { AnchorStatus } from '../core/audit/anchorTypes.js';
import type { AuditPage, AuditQuery, VerifyReport } from '../core/audit/types.js';
import type { VerifyRequest } from './parseVerifyRequest.js';

/** Query parameters as the client sent them: every value of a repeated name, in order. */
export type QueryParams = Readonly<Record<string, readonly string[]>>;

/** One HTTP request, framework-free: what the Lambda event and node:http both reduce to. */
export interface ApiRequest {
  method: string;
  /** The path without the query string (and without an API Gateway stage prefix). */
  path: string;
  query: QueryParams;
}

/** One HTTP response; header names lower case. */
export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * What the audit API reads, so the router is pure: lib/wiring/auditApiDeps builds the real ports, tests
 * pass in-memory fakes. `events.page` rejects a bad `next` token with lib/audit's InvalidPageTokenError
 * (answered 400).
 */
export interface AuditApiPorts {
  events: { page(query: AuditQuery, options: { limit: number; next?: string }): Promise<AuditPage> };
  status: Pick<StatusStore, 'list'>;
  /**
   * Checks hash chains: the named buckets' (whole, or from `since`), or every chain changed since `since`.
   * Never every chain of the table: `GET /verify` always names buckets or a window.
   */
  verify(request: VerifyRequest): Promise<VerifyReport>;
  /** The newest anchor's status (issue 16); absent when no digest bucket is configured. */
  anchor?(): Promise<AnchorStatus>;
}

/** `GET /events`: `{ version: 1, events, next? }`. */
export interface EventsResponse extends AuditPage {
  version: 1;
}

/** One bucket as `GET /status` shows it: the stored status without its bookkeeping (version, fingerprints). */
export interface BucketStatusView {
  bucket: string;
  state: BucketState;
  since: string;
  runId: string;
  /** The conditions that hold, each with since when and the one-line summary of its last alert. */
  conditions: Partial<Record<keyof BucketStatus['conditions'], { since: string; summary: string }>>;
}

/** `GET /status`: every bucket's status, sorted by bucket, and how many buckets are in each state. */
export interface StatusResponse {
  version: 1;
  buckets: BucketStatusView[];
  counts: Record<BucketState, number>;
}

/** `GET /anchor`: when the history was last anchored, and whether it verifies from the newest digest on. */
export type AnchorResponse = AnchorStatus & { version: 1; configured: boolean };

/** `GET /verify`: the hash-chain check, and the window it covered (`since`) when it was incremental. */
export type VerifyResponse = VerifyReport & { version: 1; since?: string };

/** Every error body: `{ "error": "<param>: <reason>" }` for a bad parameter. */
export interface ErrorResponse {
  error: string;
}
