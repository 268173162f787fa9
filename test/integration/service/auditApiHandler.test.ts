import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  APIGatewayProxyEventV2WithIAMAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { DynamoAuditSink } from '../../../lib/adapters/aws/DynamoAuditSink.js';
import { DynamoStatusStore } from '../../../lib/adapters/aws/DynamoStatusStore.js';
import type { AuditEvent } from '../../../lib/core/audit/types.js';
import { lambdaContext } from '../../e2e/lambdaHarness.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { httpApiEvent } from '../../helpers/httpApiEvents.js';
import { localEndpoint, localFactory, uniqueBucket } from '../aws/localFactory.js';
import { documentClient, localNames } from './serviceLocal.js';

type Handler = (
  event: APIGatewayProxyEventV2WithIAMAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

// The function reads its settings from process.env at cold start: put it back for whatever runs next.
const savedEnv = { ...process.env };
const photos = uniqueBucket('api-photos');
const logs = uniqueBucket('api-logs');
const before = makeConfiguration({ Id: 'daily', Schedule: { Frequency: 'Daily' } });
const after = makeConfiguration({ Id: 'daily', Schedule: { Frequency: 'Weekly' } });
const event = (overrides: Partial<AuditEvent> & Pick<AuditEvent, 'eventId' | 'time'>): AuditEvent => ({
  runId: 'run-api',
  bucket: photos,
  action: 'inventory-created',
  actor: 'arn:aws:iam::123456789012:role/s3ir-reconcile',
  ...overrides,
});
const seeded = [
  event({ eventId: 'p1', time: '2026-01-30T10:00:00.000Z', configId: 'daily', after: before }),
  event({
    eventId: 'p2',
    time: '2026-01-31T10:00:00.000Z',
    action: 'inventory-updated',
    configId: 'daily',
    before,
    after,
  }),
  event({
    eventId: 'p3',
    time: '2026-01-31T11:00:00.000Z',
    action: 'drift-detected',
    message: 'weekly differs',
  }),
  event({ eventId: 'l1', time: '2026-01-31T09:00:00.000Z', bucket: logs, action: 'drift-detected' }),
];

let factory: ClientFactory;
let handler: Handler;

/** Invokes the handler exactly as Lambda does for an HTTP API route, and parses a JSON body. */
async function invoke(target: string, method = 'GET') {
  const result = await handler(httpApiEvent(target, { method }), lambdaContext('auditApi', 29_000));
  const json = result.headers?.['content-type']?.toString().startsWith('application/json');
  return { ...result, json: json ? JSON.parse(result.body ?? '') : undefined };
}

beforeAll(async () => {
  factory = localFactory();
  const documents = await documentClient(factory);
  const { auditTable, stateTable } = localNames();
  const sink = new DynamoAuditSink({ client: documents, tableName: auditTable });
  for (const seed of seeded) await sink.record(seed);
  const statuses = new DynamoStatusStore({ client: documents, tableName: stateTable });
  await statuses.put({
    bucket: photos,
    state: 'drifted',
    since: '2026-01-31T11:00:00.000Z',
    conditions: {
      drift: {
        fingerprint: 'f',
        since: '2026-01-31T11:00:00.000Z',
        lastAlertAt: '2026-01-31T11:00:00.000Z',
        summary: 'weekly differs',
      },
    },
    runId: 'run-api',
    version: 1,
  });
  await statuses.put({
    bucket: logs,
    state: 'in-sync',
    since: '2026-01-31T09:00:00.000Z',
    conditions: {},
    runId: 'run-api',
    version: 1,
  });

  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: localEndpoint(),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    S3IR_STATE_TABLE: stateTable,
    S3IR_AUDIT_TABLE: auditTable,
    POWERTOOLS_SERVICE_NAME: 's3ir',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  ({ handler } = (await import('../../../functions/auditApi.js')) as unknown as { handler: Handler });
}, 120_000);

afterAll(() => {
  factory.destroy();
  process.env = savedEnv;
});

describe('functions/auditApi handler on the local AWS', () => {
  it('pages a bucket’s events newest first, as stored in its hash chain, until no next', async () => {
    const first = await invoke(`/events?bucket=${photos}&limit=2`);
    expect(first.statusCode).toBe(200);
    expect(first.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    expect(first.json.events.map((found: AuditEvent) => found.eventId)).toEqual(['p3', 'p2']);
    expect(first.json.next).toEqual(expect.any(String));
    const events = [...first.json.events];
    for (let next = first.json.next; next !== undefined; ) {
      const page = await invoke(`/events?bucket=${photos}&limit=2&next=${encodeURIComponent(next)}`);
      expect(page.statusCode).toBe(200);
      events.push(...page.json.events);
      next = page.json.next;
    }
    expect(events.map((found) => [found.eventId, found.seq])).toEqual([
      ['p3', 3],
      ['p2', 2],
      ['p1', 1],
    ]);
  }, 60_000);

  it('filters by action and time, returning each change’s before and after', async () => {
    const updated = await invoke(
      `/events?bucket=${photos}&action=inventory-updated&since=2026-01-31&until=2026-01-31T23:59`,
    );
    expect(updated.json.events).toEqual([
      expect.objectContaining({ eventId: 'p2', before, after, configId: 'daily' }),
    ]);
    const byRun = await invoke('/events?run=run-api&action=drift-detected');
    const mine = byRun.json.events.filter((found: AuditEvent) => [photos, logs].includes(found.bucket));
    expect(mine.map((found: AuditEvent) => found.eventId)).toEqual(['p3', 'l1']);
  }, 60_000);

  it('answers 400 for a bad parameter and for a page token it did not issue, 405 and 404 otherwise', async () => {
    const bad = await invoke('/events?since=last-week');
    expect([bad.statusCode, bad.json.error]).toEqual([
      400,
      'since: expected an ISO 8601 time (2026-01-31, 2026-01-31T12:00:00Z) or a duration ago (30m, 12h, 7d), got "last-week"',
    ]);
    const forged = await invoke(`/events?bucket=${photos}&next=forged`);
    expect(forged.statusCode).toBe(400);
    expect(forged.json.error).toMatch(/^next: invalid page token: /);
    expect((await invoke('/events', 'POST')).statusCode).toBe(405);
    expect((await invoke('/admin')).statusCode).toBe(404);
  }, 60_000);

  it('shows the buckets’ stored status, without bookkeeping', async () => {
    const status = await invoke('/status');
    expect(status.statusCode).toBe(200);
    const mine = status.json.buckets.filter((bucket: { bucket: string }) =>
      [photos, logs].includes(bucket.bucket),
    );
    expect(mine).toEqual(
      [
        {
          bucket: logs,
          state: 'in-sync',
          since: '2026-01-31T09:00:00.000Z',
          runId: 'run-api',
          conditions: {},
        },
        {
          bucket: photos,
          state: 'drifted',
          since: '2026-01-31T11:00:00.000Z',
          runId: 'run-api',
          conditions: { drift: { since: '2026-01-31T11:00:00.000Z', summary: 'weekly differs' } },
        },
      ].sort((a, b) => (a.bucket < b.bucket ? -1 : 1)),
    );
    expect(status.json.counts.drifted).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('says the chains are intact, then names the event someone rewrote in the table', async () => {
    const intact = await invoke(`/verify?bucket=${photos}&bucket=${logs}`);
    expect(intact.json).toEqual({ version: 1, intact: true, chains: 2, events: 4, breaks: [] });

    const documents = await documentClient(factory);
    await documents.send(
      new UpdateCommand({
        TableName: localNames().auditTable,
        Key: { bucket: photos, eventId: 'p2' },
        UpdateExpression: 'SET actor = :someone',
        ExpressionAttributeValues: { ':someone': 'arn:aws:iam::123456789012:user/mallory' },
      }),
    );
    const broken = await invoke(`/verify?bucket=${photos}&bucket=${logs}`);
    expect(broken.json).toMatchObject({ version: 1, intact: false, chains: 2, events: 4 });
    expect(broken.json.breaks).toEqual([expect.objectContaining({ bucket: photos, eventId: 'p2', seq: 2 })]);
  }, 60_000);

  it('serves the viewer at / under its Content-Security-Policy', async () => {
    const page = await invoke('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(String(page.headers?.['content-security-policy'])).toMatch(
      /^default-src 'none'; script-src 'sha256-/,
    );
    expect(page.body).toContain('<title>s3ir: audit</title>');
  }, 60_000);
});
