import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditReader } from '../../../lib/adapters/aws/DynamoAuditReader.js';
import { DynamoAuditSink } from '../../../lib/adapters/aws/DynamoAuditSink.js';
import { verifyAuditTable } from '../../../lib/adapters/aws/verifyAuditTable.js';
import type { AuditEvent, AuditQuery } from '../../../lib/core/audit/types.js';
import { type AuditTestTable, auditTestTable } from './auditTestTable.js';

/**
 * 30 events in a table of their own: 3 buckets, 2 runs, 3 actions, over 4 days; every query pages
 * through the index that fits it, 4 events a page, and must hand out exactly what `query()` returns.
 */
let table: AuditTestTable;
let reader: DynamoAuditReader;
const NOW = new Date('2026-05-04T12:00:00.000Z');
const buckets = ['alpha', 'beta', 'gamma'];
const actions = ['inventory-created', 'inventory-updated', 'drift-detected'] as const;
const events: AuditEvent[] = Array.from({ length: 30 }, (_, i) => ({
  eventId: `e${String(i).padStart(2, '0')}`,
  time: `2026-05-0${1 + (i % 4)}T${String(i % 24).padStart(2, '0')}:${String(i).padStart(2, '0')}:00.000Z`,
  runId: i % 2 === 0 ? 'run-even' : 'run-odd',
  bucket: buckets[i % 3]!,
  action: actions[i % 3]!,
  actor: 'tester',
}));

beforeAll(async () => {
  table = await auditTestTable();
  const sink = new DynamoAuditSink({ client: table.documents, tableName: table.tableName });
  for (const event of events) await sink.append(event);
  reader = new DynamoAuditReader({ client: table.documents, tableName: table.tableName, now: () => NOW });
}, 120_000);
afterAll(() => table?.close());

/** The expected answer: matching events, newest first (timeKey, then bucket). */
function expected(query: AuditQuery): string[] {
  return events
    .filter(
      (event) =>
        (query.bucket === undefined || event.bucket === query.bucket) &&
        (query.runId === undefined || event.runId === query.runId) &&
        (query.action === undefined || event.action === query.action) &&
        (query.since === undefined || event.time >= query.since) &&
        (query.until === undefined || event.time <= query.until),
    )
    .sort((a, b) => (`${a.time}#${a.eventId}` < `${b.time}#${b.eventId}` ? 1 : -1))
    .map((event) => event.eventId);
}

async function allPages(query: AuditQuery, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let next: string | undefined;
  let pages = 0;
  do {
    const page = await reader.page(query, { limit, ...(next !== undefined && { next }) });
    expect(page.events.length).toBeLessThanOrEqual(limit);
    ids.push(...page.events.map((event) => event.eventId));
    next = page.next;
    pages++;
  } while (next !== undefined);
  return { ids, pages };
}

describe('DynamoAuditReader.page() on the local AWS', () => {
  it.each([
    ['byTime (a bucket)', { bucket: 'beta' }],
    ['byTime with a span', { bucket: 'alpha', since: '2026-05-02T00:00:00.000Z' }],
    ['byRun', { runId: 'run-even' }],
    [
      'byRun filtered by bucket and action',
      { runId: 'run-odd', bucket: 'beta', action: 'inventory-updated' },
    ],
    ['byAction', { action: 'drift-detected' }],
    ['byDay, day by day', { since: '2026-05-01T00:00:00.000Z', until: '2026-05-03T12:00:00.000Z' }],
    ['byDay back to the history start (no filter)', {}],
    ['byDay back to the history start (until only)', { until: '2026-05-02T12:00:00.000Z' }],
    [
      'byTime filtered by action, bounded by since',
      { bucket: 'alpha', action: 'inventory-created', since: '2026-05-01T00:00:00.000Z' },
    ],
  ] as [string, AuditQuery][])(
    'pages through %s in order, without gaps or repeats',
    async (_name, query) => {
      const want = expected(query);
      expect(want.length).toBeGreaterThan(0);
      expect((await reader.query(query)).map((event) => event.eventId)).toEqual(want);
      const { ids, pages } = await allPages(query, 4);
      expect(ids).toEqual(want);
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(want.length / 4));
    },
    60_000,
  );

  it('never returns the chain heads, and verify sees 3 intact chains of 30 events', async () => {
    expect((await reader.query({})).every((event) => !event.eventId.startsWith('#'))).toBe(true);
    expect(await verifyAuditTable({ client: table.documents, tableName: table.tableName })).toEqual({
      intact: true,
      chains: 3,
      events: 30,
      breaks: [],
    });
  });
});
