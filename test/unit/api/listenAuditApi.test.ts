import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditApiRouter } from '../../../lib/api/auditApiRouter.js';
import { type AuditApiServer, listenAuditApi } from '../../../lib/api/listenAuditApi.js';
import { fakePorts, makeEvent } from './fakePorts.js';

const page = { html: '<!doctype html><title>viewer</title>', scriptHash: 'sha256-a', styleHash: 'sha256-b' };
const events = [makeEvent({ eventId: 'e1' }), makeEvent({ eventId: 'e2', time: '2026-01-31T13:00:00.000Z' })];
let server: AuditApiServer;

beforeAll(async () => {
  server = await listenAuditApi({
    route: createAuditApiRouter({ ports: fakePorts({ events }).ports, page }),
  });
});
afterAll(() => server.close());

/** A raw request, so the Host header and the method are exactly the test's. */
function send(path: string, options: { method?: string; host?: string } = {}) {
  const url = new URL(server.url);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const outgoing = request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method: options.method ?? 'GET',
          headers: { host: options.host ?? url.host },
        },
        (incoming) => {
          let body = '';
          incoming.setEncoding('utf8');
          incoming.on('data', (chunk: string) => {
            body += chunk;
          });
          incoming.on('end', () =>
            resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    },
  );
}

describe('listenAuditApi()', () => {
  it('listens on a free loopback port by default and serves the viewer at its URL', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'sha256-a'");
    expect(await response.text()).toBe(page.html);
  });

  it('passes path and every value of the query to the router', async () => {
    const response = await fetch(new URL('events?limit=1&bucket=photos', server.url));
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ version: 1, events: [events[1]], next: 'offset:1' });
    const bad = await fetch(new URL('verify?bucket=ok-bucket&bucket=Bad', server.url));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: 'bucket: expected a bucket name of lowercase letters, digits, "." and "-", got "Bad"',
    });
  });

  it('answers the router’s 404 and 405, and a HEAD without a body', async () => {
    expect((await send('/nowhere')).status).toBe(404);
    const head = await send('/events', { method: 'HEAD' });
    expect([head.status, head.headers.allow, head.body]).toEqual([405, 'GET', '']);
  });

  it('refuses a Host that is not a loopback name (DNS rebinding), accepts localhost', async () => {
    const port = new URL(server.url).port;
    const rebound = await send('/events', { host: `attacker.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toEqual({
      error: `host: "attacker.example:${port}" is not a loopback address`,
    });
    expect((await send('/status', { host: `localhost:${port}` })).status).toBe(200);
    expect((await send('/status', { host: `[::1]:${port}` })).status).toBe(200);
  });

  it('serves any Host when listening on all interfaces', async () => {
    const open = await listenAuditApi({
      route: createAuditApiRouter({ ports: fakePorts().ports, page }),
      host: '0.0.0.0',
    });
    try {
      expect(open.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
      const port = new URL(open.url).port;
      const response = await fetch(`http://127.0.0.1:${port}/status`, {
        headers: { host: 'reporting.example' },
      });
      expect(response.status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('rejects when the port is taken', async () => {
    const port = Number(new URL(server.url).port);
    await expect(
      listenAuditApi({ route: createAuditApiRouter({ ports: fakePorts().ports, page }), port }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
