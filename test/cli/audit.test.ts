import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditSink } from '../../lib/adapters/aws/DynamoAuditSink.js';
import type { AuditEvent } from '../../lib/core/audit/types.js';
import { type CliWorld, cliWorld } from './cliHarness.js';

let world: CliWorld;

/** Four events over three days, two runs, two buckets. */
const events: AuditEvent[] = [
  {
    eventId: 'e1',
    time: '2026-01-10T09:00:00.000Z',
    runId: 'run-a',
    bucket: 'photos',
    configId: 'daily',
    action: 'inventory-created',
    actor: 'alice',
    after: { Id: 'daily' },
    message: 'created',
  },
  {
    eventId: 'e2',
    time: '2026-01-11T09:00:00.000Z',
    runId: 'run-a',
    bucket: 'logs',
    action: 'destination-policy-updated',
    actor: 'alice',
    target: 'reports',
  },
  {
    eventId: 'e3',
    time: '2026-01-12T09:00:00.000Z',
    runId: 'run-b',
    bucket: 'photos',
    configId: 'daily',
    action: 'inventory-updated',
    actor: 'bob',
    before: { Id: 'daily' },
    after: { Id: 'daily' },
  },
  {
    eventId: 'e4',
    time: '2026-01-12T10:00:00.000Z',
    runId: 'run-b',
    bucket: 'photos',
    configId: 'old',
    action: 'inventory-deleted',
    actor: 'bob',
    before: { Id: 'old' },
  },
];

beforeAll(async () => {
  world = await cliWorld();
  const sink = new DynamoAuditSink({ client: world.documents, tableName: world.tables.audit });
  for (const event of events) await sink.record(event);
});
afterAll(() => world?.close());

async function ids(...args: string[]): Promise<string[]> {
  const run = await world.run(['audit', '--json', ...args]);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return run.stdout
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).eventId);
}

describe('s3ir audit', () => {
  it('prints the whole history newest first, one Contract-shaped event per line with --json', async () => {
    const run = await world.run(['audit', '--json']);
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((event) => event.eventId)).toEqual(['e4', 'e3', 'e2', 'e1']);
    // Exactly the event plus its place in the bucket's hash chain: no index keys.
    expect(lines[3]).toEqual({
      version: 1,
      ...events[0],
      seq: 1,
      prevHash: '0'.repeat(64),
      hash: expect.any(String),
    });
    expect(Object.keys(lines[3])).toEqual([
      'version',
      'eventId',
      'time',
      'runId',
      'bucket',
      'configId',
      'action',
      'actor',
      'after',
      'message',
      'seq',
      'prevHash',
      'hash',
    ]);
    expect(lines[1]).toMatchObject({ eventId: 'e3', seq: 2, prevHash: lines[3].hash }); // e1, e3, e4: photos
  });

  it('filters by bucket, run, action and time span, newest first', async () => {
    expect(await ids('--bucket', 'photos')).toEqual(['e4', 'e3', 'e1']);
    expect(await ids('--run', 'run-a')).toEqual(['e2', 'e1']);
    expect(await ids('--run', 'run-b', '--bucket', 'photos', '--action', 'inventory-updated')).toEqual([
      'e3',
    ]);
    expect(await ids('--action', 'inventory-created')).toEqual(['e1']);
    expect(await ids('--since', '2026-01-11', '--until', '2026-01-12T09:30:00Z')).toEqual(['e3', 'e2']);
    expect(await ids('--bucket', 'photos', '--since', '2026-01-12T09:00:00Z')).toEqual(['e4', 'e3']);
    expect(await ids('--until', '2026-01-10T23:59:59Z')).toEqual(['e1']);
    expect(await ids('--bucket', 'nobody')).toEqual([]);
  });

  it('prints a readable table without --json', async () => {
    const run = await world.run(['audit', '--run', 'run-b']);
    expect(run.stdout).toBe(
      [
        '2026-01-12T10:00:00.000Z  photos  inventory-deleted  old    bob',
        '2026-01-12T09:00:00.000Z  photos  inventory-updated  daily  bob',
        '',
      ].join('\n'),
    );
  });

  it('keeps the newest N with --limit, and says more match', async () => {
    expect(await ids('--limit', '2')).toEqual(['e4', 'e3']);
    expect(await ids('--bucket', 'photos', '--limit', '3')).toEqual(['e4', 'e3', 'e1']);
    const text = await world.run(['audit', '--run', 'run-b', '--limit', '1']);
    expect(text.stdout).toBe(
      '2026-01-12T10:00:00.000Z  photos  inventory-deleted  old  bob\n(the newest 1 shown; older events match too)\n',
    );
    const bad = await world.run(['audit', '--limit', '0']);
    expect(bad).toMatchObject({
      code: 64,
      stderr: 's3ir audit: --limit: expected a whole number from 1 to 1000, got "0"\n',
    });
  });

  it('exits 64 (a usage error) naming a bad flag value, without a stack', async () => {
    const since = await world.run(['audit', '--since', 'last tuesday']);
    expect(since.code).toBe(64);
    expect(since.stderr).toMatch(/^s3ir audit: --since: expected an ISO 8601 time/);
    expect(since.stderr).not.toContain('    at ');
    const action = await world.run(['audit', '--action', 'inventory-exploded']);
    expect(action.code).toBe(64);
    expect(action.stderr).toMatch(/^s3ir audit: --action: expected one of inventory-created/);
  });

  it('refuses --action with --bucket unless --since bounds it (no index serves both), and reads it with --since', async () => {
    const unbounded = await world.run(['audit', '--bucket', 'photos', '--action', 'inventory-updated']);
    expect(unbounded).toMatchObject({
      code: 64,
      stdout: '',
      stderr:
        "s3ir audit: --action with --bucket: no index serves both, so the bucket's whole history would be read to filter it; add --since (e.g. --since 30d)\n",
    });
    expect(await ids('--bucket', 'photos', '--action', 'inventory-updated', '--since', '2026-01-01')).toEqual(
      ['e3'],
    );
  });
});
