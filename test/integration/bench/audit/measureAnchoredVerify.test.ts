import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadHistory } from '../../../../bench/audit/loadHistory.js';
import { measureAnchoredVerify } from '../../../../bench/audit/measureAnchoredVerify.js';
import { sampleBuckets } from '../../../../bench/audit/measureAuditReads.js';
import { chainBucket, type HistoryShape } from '../../../../bench/audit/syntheticHistory.js';
import type { ClientFactory } from '../../../../lib/adapters/aws/ClientFactory.js';
import { anchorWiring } from '../../../../lib/wiring/anchorWiring.js';
import { type AuditTestTable, auditTestTable } from '../../aws/auditTestTable.js';
import { localFactory, uniqueBucket } from '../../aws/localFactory.js';

/**
 * The audit bench's anchored rows at a small size, on the local AWS: the synthetic history anchors (its heads
 * are in the head index, as the sink writes them), verifies intact against the digest, and a changed event
 * makes the same measurement report a break rather than a throughput.
 */
const shape: HistoryShape = { events: 300, chains: 6, days: 3, now: new Date() };

let factory: ClientFactory;
let keyArn: string;
beforeAll(async () => {
  factory = localFactory();
  const kms = await factory.kms();
  const { KeyMetadata } = await kms.send(
    new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
  );
  keyArn = KeyMetadata!.Arn!;
});
afterAll(() => factory?.destroy());

let table: AuditTestTable;
let digestBucket: string;
beforeEach(async () => {
  table = await auditTestTable();
  digestBucket = uniqueBucket('bench-digests');
  const s3 = await factory.s3();
  await s3.send(new CreateBucketCommand({ Bucket: digestBucket, ObjectLockEnabledForBucket: true }));
  await loadHistory(table.documents, table.tableName, shape, { writers: 2 });
});
afterEach(() => table?.close());

const anchors = () => {
  const ports = anchorWiring(
    { auditTable: table.tableName, digestBucket, digestKeyId: keyArn, digestRetentionDays: 1 },
    factory,
  );
  if (ports === undefined) throw new Error('anchorWiring returned no ports for a configured digest bucket');
  return ports;
};

describe('measureAnchoredVerify()', () => {
  it('anchors every chain of the loaded history, then verifies all its events intact against the digest', async () => {
    const measured = await measureAnchoredVerify(table.documents, table.tableName, anchors(), {
      buckets: sampleBuckets(shape, 3),
    });
    const { anchor } = measured;
    // The whole table's row is timed when the caller asks (the bench runs the large table's last).
    const verify = [...measured.verify, await measured.wholeTable()];
    expect(anchor).toMatchObject({ heads: 6, chains: 6 });
    expect(anchor.key).toMatch(/^digests\//);
    expect(verify.map((row) => row.name)).toEqual([
      'whole chains of 3 buckets, against the anchors',
      'every chain, against the anchors',
    ]);
    expect(verify[0]).toMatchObject({
      events: 150,
      chains: 3,
      intact: true,
      anchored: { digests: 1, breaks: 0 },
    });
    expect(verify[1]).toMatchObject({
      events: 300,
      chains: 6,
      intact: true,
      anchored: { digests: 1, breaks: 0 },
    });
    expect(verify[1]!.eventsPerSecond).toBeGreaterThan(0);
    expect(verify[1]!.readUnits).toBeGreaterThan(0);
    // Reading the chains is part of the verify's time; the whole table's row carries the peak RSS.
    expect(verify[1]!.readMs).toBeGreaterThan(0);
    expect(verify[1]!.readMs).toBeLessThanOrEqual(verify[1]!.ms);
    expect(verify[0]!.memory).toBeUndefined();
    expect(verify[1]!.memory!.peakRss).toBeGreaterThanOrEqual(verify[1]!.memory!.rssBefore);
  });

  it('reports a changed event as a break, not as an intact throughput', async () => {
    const { Items: items = [] } = await table.documents.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: '#bucket = :bucket',
        ExpressionAttributeNames: { '#bucket': 'bucket' },
        ExpressionAttributeValues: { ':bucket': chainBucket(0) },
        Limit: 3,
      }),
    );
    const victim = items.find((item) => item.eventId !== '#chain');
    expect(victim).toBeDefined();
    await table.documents.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { bucket: victim!.bucket, eventId: victim!.eventId },
        UpdateExpression: 'SET message = :m',
        ExpressionAttributeValues: { ':m': 'rewritten' },
      }),
    );
    const { verify } = await measureAnchoredVerify(table.documents, table.tableName, anchors(), {
      buckets: [chainBucket(0)],
    });
    expect(verify).toHaveLength(1);
    expect(verify[0]).toMatchObject({ intact: false, anchored: { digests: 1, breaks: 1 } });
  });
});
