import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../infra/local/gateway.js';
import { DynamoAuditSink } from '../../../lib/adapters/aws/DynamoAuditSink.js';
import type { AuditApiRoute } from '../../../lib/api/auditApiRouter.js';
import { createAuditApiRouter } from '../../../lib/api/auditApiRouter.js';
import type { AuditEvent } from '../../../lib/core/audit/types.js';
import { createAuditApiDeps } from '../../../lib/wiring/auditApiDeps.js';
import { type AuditTestTable, auditTestTable } from '../aws/auditTestTable.js';
import { privateGateway } from '../local/privateGateway.js';

/**
 * The read paths the viewer, the API and the CLI use by default, through the real API ports on a gateway of
 * this test's own (so `/_local/calls` counts only these requests): none may issue a Scan, whatever the
 * filters, and the table is found through its indexes.
 */
let gateway: Gateway | undefined;
let table: AuditTestTable;
let route: AuditApiRoute;
let close: () => void;
const DAY = 86_400_000;
const now = Date.now();
const at = (daysAgo: number, minute = 0) => new Date(now - daysAgo * DAY + minute * 60_000).toISOString();
const events: AuditEvent[] = [
  ...Array.from({ length: 12 }, (_, i) => ({
    eventId: `recent-${i}`,
    time: at(1, i),
    runId: i % 2 === 0 ? 'run-a' : 'run-b',
    bucket: i % 3 === 0 ? 'scan-free-a' : 'scan-free-b',
    action: i % 2 === 0 ? ('drift-detected' as const) : ('inventory-updated' as const),
    actor: 'tester',
  })),
  {
    eventId: 'old-1',
    time: at(40),
    runId: 'run-old',
    bucket: 'scan-free-a',
    action: 'drift-detected',
    actor: 't',
  },
];

beforeAll(async () => {
  gateway = await privateGateway();
  if (!gateway) return;
  table = await auditTestTable();
  const sink = new DynamoAuditSink({ client: table.documents, tableName: table.tableName });
  for (const event of [...events].sort((a, b) => (a.time < b.time ? -1 : 1))) await sink.record(event);
  const deps = createAuditApiDeps(
    { auditTable: table.tableName, stateTable: 'unused', crossAccountRoleName: 's3ir-reconcile' },
    {
      endpoint: gateway.endpoint,
      region: 'us-east-1',
      credentials: async () => ({ accessKeyId: 'test', secretAccessKey: 'test' }),
    },
  );
  close = deps.close;
  route = createAuditApiRouter({ ports: deps.ports, page: { html: '', scriptHash: '', styleHash: '' } });
}, 120_000);

afterAll(async () => {
  close?.();
  table?.close();
  await gateway?.close();
});

async function get(path: string, query: Record<string, string> = {}) {
  const params = Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]]));
  const response = await route({ method: 'GET', path, query: params });
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

/** The DynamoDB calls made by `requests`, by operation. */
async function dynamodbCalls(requests: () => Promise<void>): Promise<Record<string, number>> {
  gateway!.calls.reset();
  await requests();
  return Object.fromEntries(
    Object.entries(gateway!.calls.snapshot()).filter(([name]) => name.startsWith('dynamodb.')),
  );
}

describe('audit reads on the local AWS', () => {
  it.each([
    ['no filter (newest first, back to the history start)', {}],
    ['a 7-day window (the viewer’s first page)', { since: at(7) }],
    ['an until bound only', { until: at(2) }],
    ['a bucket', { bucket: 'scan-free-a' }],
    ['an action', { action: 'inventory-updated' }],
    ['a run', { run: 'run-a' }],
    [
      'a bucket and an action, bounded by since',
      { bucket: 'scan-free-b', action: 'drift-detected', since: '30d' },
    ],
  ])(
    'GET /events with %s pages through indexes, never a Scan',
    async (_name, query) => {
      if (!gateway) return;
      const ids: string[] = [];
      const calls = await dynamodbCalls(async () => {
        let next: string | undefined;
        do {
          const page = await get('/events', { ...query, limit: '5', ...(next !== undefined && { next }) });
          expect(page.status, JSON.stringify(page.body)).toBe(200);
          ids.push(...page.body.events.map((event: AuditEvent) => event.eventId));
          next = page.body.next;
        } while (next !== undefined);
      });
      expect(calls['dynamodb.Scan']).toBeUndefined();
      expect(calls['dynamodb.Query']).toBeGreaterThan(0);
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(ids.length);
      if (Object.keys(query).length === 0)
        expect([...ids].sort()).toEqual(events.map((event) => event.eventId).sort());
    },
    60_000,
  );

  it('answers 400 for an action with a bucket and no since, without reading the table', async () => {
    if (!gateway) return;
    let answer: Awaited<ReturnType<typeof get>> | undefined;
    const calls = await dynamodbCalls(async () => {
      answer = await get('/events', { bucket: 'scan-free-a', action: 'drift-detected' });
    });
    expect(answer?.status).toBe(400);
    expect(answer?.body.error).toMatch(/^action with bucket: no index serves both/);
    expect(calls).toEqual({});
  });

  it('GET /verify checks the window of the last 7 days without a Scan, and names a rewritten event in it', async () => {
    if (!gateway) return;
    let report: Awaited<ReturnType<typeof get>> | undefined;
    const calls = await dynamodbCalls(async () => {
      report = await get('/verify');
    });
    expect(calls['dynamodb.Scan']).toBeUndefined();
    expect(report?.body).toMatchObject({ version: 1, intact: true, chains: 2, events: 12, breaks: [] });
    expect(report?.body.since).toMatch(/^\d{4}-\d\d-\d\dT/);

    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    await table.documents.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { bucket: 'scan-free-b', eventId: 'recent-4' },
        UpdateExpression: 'SET actor = :someone',
        ExpressionAttributeValues: { ':someone': 'mallory' },
      }),
    );
    const broken = await get('/verify', { since: '3d' });
    expect(broken.body).toMatchObject({ intact: false, chains: 2 });
    expect(broken.body.breaks).toEqual([
      expect.objectContaining({
        bucket: 'scan-free-b',
        eventId: 'recent-4',
        reason: 'hash does not match its content',
      }),
    ]);
  }, 60_000);

  it('GET /verify names the newest events deleted from a chain (its head is ahead of what is stored)', async () => {
    if (!gateway) return;
    const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    // recent-9 is scan-free-a's newest event (i % 3 === 0: 0, 3, 6, 9).
    await table.documents.send(
      new DeleteCommand({ TableName: table.tableName, Key: { bucket: 'scan-free-a', eventId: 'recent-9' } }),
    );
    const report = await get('/verify', { bucket: 'scan-free-a', since: '3d' });
    expect(report.body).toMatchObject({ intact: false, chains: 1 });
    expect(report.body.breaks).toEqual([
      expect.objectContaining({
        bucket: 'scan-free-a',
        reason: expect.stringMatching(/^events after seq \d+ are missing/),
      }),
    ]);
  }, 60_000);
});
