import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditReader } from '../../../lib/adapters/aws/DynamoAuditReader.js';
import { DynamoAuditSink } from '../../../lib/adapters/aws/DynamoAuditSink.js';
import { verifyAuditTable } from '../../../lib/adapters/aws/verifyAuditTable.js';
import { normalizeConfiguration } from '../../../lib/core/inventory/normalizeConfiguration.js';
import { changeEvent, type EventStamp } from '../../../lib/core/reconcile/auditEvents.js';
import type { PlanAction } from '../../../lib/core/reconcile/types.js';
import { makeConfiguration } from '../../helpers/factories.js';
import { type AuditTestTable, auditTestTable } from './auditTestTable.js';
import { uniqueBucket } from './localFactory.js';

let table: AuditTestTable;
let sink: DynamoAuditSink;
beforeAll(async () => {
  table = await auditTestTable();
  sink = new DynamoAuditSink({ client: table.documents, tableName: table.tableName });
});
afterAll(() => table?.close());

/** The `inventory-updated` event a reconcile of `bucket` in run `runId` records for `before` → `after`. */
function updated(bucket: string, runId: string, enabled: [boolean, boolean], minute: number) {
  const action = {
    kind: 'update-configuration',
    key: 'update-configuration:daily-csv',
    mode: 'enforce',
    dependsOn: [],
    id: 'daily-csv',
    before: normalizeConfiguration(makeConfiguration({ IsEnabled: enabled[0] })),
    after: normalizeConfiguration(makeConfiguration({ IsEnabled: enabled[1] })),
    fields: [],
    reason: `Configuration daily-csv on ${bucket} differs from its declaration in IsEnabled`,
  } satisfies PlanAction;
  const at = new Date(Date.UTC(2026, 3, 1, 0, minute));
  const stamp: EventStamp = { bucket, context: { runId, actor: 'reconciler', now: () => at } };
  return changeEvent(action, stamp);
}

describe('audit event ids against a replayed runId, through DynamoAuditSink on the local AWS', () => {
  it('records a replayed runId with a different change as a new event, and an exact retry once', async () => {
    const bucket = uniqueBucket('replay');
    const enabling = updated(bucket, 'sweep-1', [false, true], 0);

    const first = await sink.append(enabling);
    // The same change retried minutes later (a redelivered message): refused as a duplicate.
    expect(await sink.append(updated(bucket, 'sweep-1', [false, true], 7))).toBeUndefined();
    // An old message replayed with the runId of sweep-1, carrying another change: a new event.
    const replayed = updated(bucket, 'sweep-1', [true, false], 9);
    expect(replayed.eventId).not.toBe(enabling.eventId);
    const second = await sink.append(replayed);

    expect([first?.seq, second?.seq]).toEqual([1, 2]);
    const events = await new DynamoAuditReader({ client: table.documents, tableName: table.tableName }).query(
      { bucket },
    );
    expect(events.map((event) => [event.eventId, (event.after as { IsEnabled: boolean }).IsEnabled])).toEqual(
      [
        [replayed.eventId, false],
        [enabling.eventId, true],
      ],
    );
    expect(
      await verifyAuditTable({ client: table.documents, tableName: table.tableName, buckets: [bucket] }),
    ).toEqual({ intact: true, chains: 1, events: 2, breaks: [] });
  });
});
