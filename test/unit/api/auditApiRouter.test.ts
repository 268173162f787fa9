import { describe, expect, it } from 'vitest';
import { createAuditApiRouter } from '../../../lib/api/auditApiRouter.js';
import type { ApiRequest, AuditApiPorts } from '../../../lib/api/types.js';
import { UnboundedAuditQueryError } from '../../../lib/core/audit/errors.js';
import { fakePorts, makeEvent, makeStatus } from './fakePorts.js';

const NOW = new Date('2026-01-31T12:00:00.000Z');
const page = {
  html: '<!doctype html><p>viewer</p>',
  scriptHash: 'sha256-c2NyaXB0',
  styleHash: 'sha256-c3R5bGU=',
};
const get = (path: string, query: ApiRequest['query'] = {}): ApiRequest => ({ method: 'GET', path, query });

function router(ports: AuditApiPorts = fakePorts().ports, onError?: (error: unknown) => void) {
  return createAuditApiRouter({ ports, page, now: () => NOW, ...(onError && { onError }) });
}

const events = [
  makeEvent({
    eventId: 'a1',
    bucket: 'photos',
    time: '2026-01-31T10:00:00.000Z',
    action: 'inventory-created',
  }),
  makeEvent({
    eventId: 'a2',
    bucket: 'photos',
    time: '2026-01-31T11:00:00.000Z',
    action: 'inventory-updated',
  }),
  makeEvent({ eventId: 'b1', bucket: 'logs', time: '2026-01-30T09:00:00.000Z', action: 'drift-detected' }),
];

describe('createAuditApiRouter()', () => {
  describe('routing', () => {
    it.each(['/nope', '/events/', '/Events', '/status/x', '/constructor', '/__proto__'])(
      'answers 404 for %s',
      async (path) => {
        const response = await router()(get(path));
        expect(response.statusCode).toBe(404);
        expect(JSON.parse(response.body)).toEqual({
          error: `no route ${path}; the API has GET /, /events, /status, /verify, /anchor`,
        });
      },
    );

    it.each(['POST', 'PUT', 'DELETE', 'HEAD', 'PATCH'])(
      'answers 405 with allow: GET for %s',
      async (method) => {
        for (const path of ['/', '/events', '/status', '/verify']) {
          const response = await router()({ method, path, query: {} });
          expect(response.statusCode, path).toBe(405);
          expect(response.headers.allow).toBe('GET');
          expect(JSON.parse(response.body)).toEqual({ error: `${method} ${path}: only GET is allowed` });
        }
      },
    );
  });

  describe('GET /', () => {
    it('serves the page under a CSP that allows only its hashed script and style and its own origin', async () => {
      const response = await router()(get('/'));
      expect(response).toEqual({
        statusCode: 200,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'content-security-policy':
            "default-src 'none'; script-src 'sha256-c2NyaXB0'; style-src 'sha256-c3R5bGU='; connect-src 'self'; " +
            "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        },
        body: page.html,
      });
    });
  });

  describe('GET /events', () => {
    it('answers the newest events first as versioned JSON, not cacheable', async () => {
      const { ports, calls } = fakePorts({ events });
      const response = await router(ports)(get('/events'));
      expect(response.statusCode).toBe(200);
      expect(response.headers).toEqual({
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      expect(JSON.parse(response.body)).toEqual({ version: 1, events: [events[1], events[0], events[2]] });
      expect(calls.page).toEqual([[{}, { limit: 100 }]]);
    });

    it('passes every filter to the reader, times in the CLI syntax as ISO 8601 UTC', async () => {
      const { ports, calls } = fakePorts({ events });
      const response = await router(ports)(
        get('/events', {
          bucket: ['photos'],
          since: ['1d'],
          until: ['2026-01-31T11:30'],
          run: ['run-1'],
          action: ['inventory-updated'],
          limit: ['5'],
        }),
      );
      expect(JSON.parse(response.body)).toEqual({ version: 1, events: [events[1]] });
      expect(calls.page).toEqual([
        [
          {
            bucket: 'photos',
            runId: 'run-1',
            action: 'inventory-updated',
            since: '2026-01-30T12:00:00.000Z',
            until: '2026-01-31T11:30:00.000Z',
          },
          { limit: 5 },
        ],
      ]);
    });

    it('pages with limit and next until the last page, which has no next', async () => {
      const route = router(fakePorts({ events }).ports);
      const first = JSON.parse((await route(get('/events', { limit: ['2'] }))).body);
      expect(first).toEqual({ version: 1, events: [events[1], events[0]], next: 'offset:2' });
      const second = JSON.parse((await route(get('/events', { limit: ['2'], next: [first.next] }))).body);
      expect(second).toEqual({ version: 1, events: [events[2]] });
    });

    it('answers 400 naming the filter no index serves, and the bound to add', async () => {
      const ports = fakePorts({ events }).ports;
      ports.events.page = async () => {
        throw new UnboundedAuditQueryError('action', 'bucket');
      };
      const response = await router(ports)(
        get('/events', { bucket: ['photos'], action: ['inventory-created'] }),
      );
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body).error).toMatch(
        /^action with bucket: no index serves both.*give since as well/,
      );
    });

    it('answers 400 naming next for a token the reader did not issue', async () => {
      const response = await router(fakePorts({ events }).ports)(get('/events', { next: ['forged'] }));
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body)).toEqual({
        error: 'next: invalid page token: not a token of this table; start again without one',
      });
    });
  });

  describe('GET /status', () => {
    it('lists every bucket sorted, without bookkeeping, and counts every state', async () => {
      const statuses = [
        makeStatus({
          bucket: 'zeta',
          state: 'drifted',
          since: '2026-01-31T08:00:00.000Z',
          conditions: {
            drift: {
              fingerprint: 'f1',
              since: '2026-01-31T08:00:00.000Z',
              lastAlertAt: '2026-01-31T08:00:01.000Z',
              summary: 'zeta: 1 configuration differs',
            },
          },
        }),
        makeStatus({ bucket: 'alpha' }),
      ];
      const response = await router(fakePorts({ statuses }).ports)(get('/status'));
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toEqual({
        version: 1,
        buckets: [
          {
            bucket: 'alpha',
            state: 'in-sync',
            since: '2026-01-30T00:00:00.000Z',
            runId: 'run-1',
            conditions: {},
          },
          {
            bucket: 'zeta',
            state: 'drifted',
            since: '2026-01-31T08:00:00.000Z',
            runId: 'run-1',
            conditions: {
              drift: { since: '2026-01-31T08:00:00.000Z', summary: 'zeta: 1 configuration differs' },
            },
          },
        ],
        counts: { 'in-sync': 1, drifted: 1, 'action-required': 0, failed: 0 },
      });
    });
  });

  describe('GET /verify', () => {
    it('checks the chains changed in the last 7 days without a parameter, a window with since, whole chains of named buckets', async () => {
      const report = {
        intact: false,
        chains: 2,
        events: 7,
        breaks: [{ bucket: 'photos', eventId: 'a2', seq: 2, reason: 'hash does not match the event' }],
      };
      const { ports, calls } = fakePorts({ report });
      const route = router(ports);
      expect(JSON.parse((await route(get('/verify'))).body)).toEqual({
        version: 1,
        since: '2026-01-24T12:00:00.000Z',
        ...report,
      });
      await route(get('/verify', { bucket: ['photos', 'logs', 'photos'] }));
      await route(get('/verify', { since: ['1h'] }));
      await route(get('/verify', { since: ['2026-01-30'], bucket: ['photos'] }));
      expect(calls.verify).toEqual([
        { since: '2026-01-24T12:00:00.000Z' },
        { buckets: ['photos', 'logs'] },
        { since: '2026-01-31T11:00:00.000Z' },
        { buckets: ['photos'], since: '2026-01-30T00:00:00.000Z' },
      ]);
      const bad = await route(get('/verify', { since: ['yesterday'] }));
      expect(bad.statusCode).toBe(400);
      expect(JSON.parse(bad.body).error).toMatch(/^since: expected an ISO 8601 time/);
    });
  });

  describe('failures', () => {
    it('answers 500 without details and hands the error and request to onError', async () => {
      const seen: unknown[] = [];
      const failing = fakePorts().ports;
      failing.status.list = async () => {
        throw new Error('ProvisionedThroughputExceeded on s3ir-desired-state');
      };
      const response = await router(failing, (error) => seen.push(error))(get('/status'));
      expect(response.statusCode).toBe(500);
      expect(JSON.parse(response.body)).toEqual({ error: 'internal error; the details are in the logs' });
      expect(seen).toEqual([new Error('ProvisionedThroughputExceeded on s3ir-desired-state')]);
    });

    it('measures durations from the system clock when no clock is given', async () => {
      const { ports, calls } = fakePorts();
      const before = Date.now();
      await createAuditApiRouter({ ports, page })(get('/events', { since: ['1h'] }));
      const since = Date.parse(calls.page[0]![0].since!);
      expect(since).toBeGreaterThanOrEqual(before - 3_600_000);
      expect(since).toBeLessThanOrEqual(Date.now() - 3_600_000);
    });
  });
});
