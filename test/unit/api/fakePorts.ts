import type { VerifyRequest } from '../../../lib/api/parseVerifyRequest.js';
import type { AuditApiPorts } from '../../../lib/api/types.js';
import type { BucketStatus } from '../../../lib/core/alerts/bucketStatus.js';
import { InvalidPageTokenError } from '../../../lib/core/audit/errors.js';
import type { AuditEvent, AuditQuery, VerifyReport } from '../../../lib/core/audit/types.js';

/** An audit event with defaults; override any member. */
export function makeEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    eventId: 'e1',
    time: '2026-01-31T12:00:00.000Z',
    runId: 'run-1',
    bucket: 'photos',
    action: 'inventory-updated',
    actor: 'arn:aws:iam::123456789012:role/s3ir-reconcile',
    ...overrides,
  };
}

/** A bucket status as the store keeps it. */
export function makeStatus(overrides: Partial<BucketStatus> = {}): BucketStatus {
  return {
    bucket: 'photos',
    state: 'in-sync',
    since: '2026-01-30T00:00:00.000Z',
    conditions: {},
    runId: 'run-1',
    version: 3,
    ...overrides,
  };
}

const matches = (event: AuditEvent, query: AuditQuery) =>
  (query.bucket === undefined || event.bucket === query.bucket) &&
  (query.runId === undefined || event.runId === query.runId) &&
  (query.action === undefined || event.action === query.action) &&
  (query.since === undefined || event.time >= query.since) &&
  (query.until === undefined || event.time <= query.until);

/**
 * In-memory ports: events filtered and paged newest first (the token is `offset:N`, anything else is an
 * InvalidPageTokenError, as the real reader answers a token it did not issue), statuses as given, and a
 * verify report; every call is recorded.
 */
export function fakePorts(
  options: { events?: AuditEvent[]; statuses?: BucketStatus[]; report?: VerifyReport } = {},
) {
  const calls: { page: [AuditQuery, { limit: number; next?: string }][]; verify: VerifyRequest[] } = {
    page: [],
    verify: [],
  };
  const sorted = [...(options.events ?? [])].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  const ports: AuditApiPorts = {
    events: {
      async page(query, page) {
        calls.page.push([query, page]);
        let offset = 0;
        if (page.next !== undefined) {
          const found = /^offset:(\d+)$/.exec(page.next);
          if (!found) throw new InvalidPageTokenError('not a token of this table');
          offset = Number(found[1]);
        }
        const all = sorted.filter((event) => matches(event, query));
        const events = all.slice(offset, offset + page.limit);
        const end = offset + events.length;
        return { events, ...(end < all.length && { next: `offset:${end}` }) };
      },
    },
    status: { list: async () => options.statuses ?? [] },
    async verify(request) {
      calls.verify.push(request);
      return options.report ?? { intact: true, chains: 1, events: sorted.length, breaks: [] };
    },
  };
  return { ports, calls };
}
