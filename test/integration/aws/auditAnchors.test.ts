import { CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { DynamoAuditChains } from '../../../lib/adapters/aws/DynamoAuditChains.js';
import { DynamoAuditSink } from '../../../lib/adapters/aws/DynamoAuditSink.js';
import { DynamoChainHeadIndex } from '../../../lib/adapters/aws/DynamoChainHeadIndex.js';
import { KmsDigestSigner } from '../../../lib/adapters/aws/KmsDigestSigner.js';
import { S3DigestStore } from '../../../lib/adapters/aws/S3DigestStore.js';
import { digestKey, nextDigest, sealDigest } from '../../../lib/core/audit/digestDocument.js';
import type { AuditEvent } from '../../../lib/core/audit/types.js';
import { anchorAudit } from '../../../lib/usecases/anchorAudit/anchorAudit.js';
import { readAnchorStatus } from '../../../lib/usecases/anchorAudit/readAnchorStatus.js';
import { verifyAuditAnchors } from '../../../lib/usecases/anchorAudit/verifyAuditAnchors.js';
import { type AuditTestTable, auditTestTable } from './auditTestTable.js';
import { LOCAL_HOME_ACCOUNT, localFactory, uniqueBucket } from './localFactory.js';

/**
 * Audit anchors on the local AWS (moto's Object Lock and KMS signing, DynamoDB Local), through the real
 * adapters: each tamper case of issue 16 is done to the table or the digest bucket as an attacker with
 * write access to them could, and `verifyAuditAnchors` must name it by kind.
 */
let factory: ClientFactory;
let s3: S3Client;
let kms: KMSClient;
let keyArn: string;
beforeAll(async () => {
  factory = localFactory();
  s3 = await factory.s3();
  kms = await factory.kms();
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
  digestBucket = uniqueBucket('digests');
  await s3.send(new CreateBucketCommand({ Bucket: digestBucket, ObjectLockEnabledForBucket: true }));
});
afterEach(() => table?.close());

function ports(lockMode: 'COMPLIANCE' | 'GOVERNANCE' = 'COMPLIANCE') {
  const store = new S3DigestStore({
    client: s3,
    bucket: digestBucket,
    retentionDays: 1,
    lockMode,
    expectedOwner: async () => LOCAL_HOME_ACCOUNT,
  });
  const signer = new KmsDigestSigner({ client: async () => kms, keyId: keyArn });
  const heads = new DynamoChainHeadIndex({ client: table.documents, tableName: table.tableName });
  const chains = new DynamoAuditChains({ client: table.documents, tableName: table.tableName });
  return { store, signer, heads, chains };
}

const sink = () => new DynamoAuditSink({ client: table.documents, tableName: table.tableName });

function event(bucket: string, i: number): AuditEvent {
  return {
    eventId: `${bucket}-${i}`.padEnd(64, '0'),
    time: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
    runId: 'run-1',
    bucket,
    action: 'inventory-updated',
    actor: 'tester',
    message: `change ${i}`,
  };
}

/** Chains `photos` (4 events) and `logs` (2), anchored twice: photos at seq 3, then at seq 4. */
async function anchoredHistory(lockMode?: 'COMPLIANCE' | 'GOVERNANCE') {
  const deps = ports(lockMode);
  for (let i = 1; i <= 3; i++) await sink().record(event('photos', i));
  for (let i = 1; i <= 2; i++) await sink().record(event('logs', i));
  const first = await anchorAudit(deps);
  await sink().record(event('photos', 4));
  const second = await anchorAudit(deps);
  return { deps, first, second };
}

const chainKey = (bucket: string, i: number) => ({ bucket, eventId: event(bucket, i).eventId });
const kinds = (report: { breaks: { kind: string }[] }) => report.breaks.map((found) => found.kind);

describe('audit anchors on the local AWS', () => {
  it('writes signed, chained digests of the moved heads and verifies an untouched history', async () => {
    const { deps, first, second } = await anchoredHistory();
    expect(first).toEqual({ key: digestKey(1), sequence: 1, heads: 2, chains: 2 });
    expect(second).toEqual({ key: digestKey(2), sequence: 2, heads: 1, chains: 2 });
    const report = await verifyAuditAnchors(deps);
    expect(report).toMatchObject({ intact: true, chains: 2, events: 6, breaks: [] });
    expect(report.anchors).toMatchObject({ digests: 2, newest: { key: digestKey(2), sequence: 2 } });
    expect(await readAnchorStatus(deps)).toMatchObject({
      anchored: true,
      verifies: true,
      unanchoredChains: 0,
    });
  });

  it('names an event whose content was changed in the table', async () => {
    const { deps } = await anchoredHistory();
    await table.documents.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: chainKey('photos', 2),
        UpdateExpression: 'SET message = :m',
        ExpressionAttributeValues: { ':m': 'nothing happened here' },
      }),
    );
    const report = await verifyAuditAnchors(deps);
    expect(report.intact).toBe(false);
    expect(report.breaks).toEqual([
      expect.objectContaining({ kind: 'event-changed', bucket: 'photos', seq: 2 }),
    ]);
  });

  it('names events deleted at the end of a chain with an older head written back', async () => {
    const { deps } = await anchoredHistory();
    const [third] =
      (
        await table.documents.send(
          new QueryCommand({
            TableName: table.tableName,
            KeyConditionExpression: '#bucket = :b AND eventId = :e',
            ExpressionAttributeNames: { '#bucket': 'bucket' },
            ExpressionAttributeValues: { ':b': 'photos', ':e': event('photos', 3).eventId },
          }),
        )
      ).Items ?? [];
    await table.documents.send(new DeleteCommand({ TableName: table.tableName, Key: chainKey('photos', 4) }));
    await table.documents.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          bucket: 'photos',
          eventId: '#chain',
          seq: 3,
          hash: third!.hash,
          headEventId: third!.eventId,
          chainIndex: 'heads',
          headTime: third!.time,
        },
      }),
    );
    const report = await verifyAuditAnchors(deps);
    // The table alone is consistent again: only the anchor sees the missing tail.
    expect(report.breaks).toEqual([
      expect.objectContaining({
        kind: 'events-missing',
        bucket: 'photos',
        digestKey: digestKey(2),
        reason: expect.stringContaining('anchored this chain at seq 4'),
      }),
    ]);
    expect(await readAnchorStatus(deps)).toMatchObject({
      verifies: false,
      breaks: [expect.objectContaining({ kind: 'head-older-than-anchor', bucket: 'photos' })],
    });
  });

  it('names a chain whose whole partition was deleted', async () => {
    const { deps } = await anchoredHistory();
    for (const eventId of [event('logs', 1).eventId, event('logs', 2).eventId, '#chain'])
      await table.documents.send(
        new DeleteCommand({ TableName: table.tableName, Key: { bucket: 'logs', eventId } }),
      );
    const report = await verifyAuditAnchors(deps);
    expect(report.breaks).toEqual([
      expect.objectContaining({ kind: 'chain-missing', bucket: 'logs', digestKey: digestKey(1) }),
    ]);
    expect(report.chains).toBe(2);
  });

  it('names a digest written over (a new version under its key) and one forged without the key', async () => {
    const { deps } = await anchoredHistory();
    const forged = sealDigest(nextDigest(undefined, [], new Date()));
    // Object Lock keeps versions, not keys: a put without If-None-Match adds a version over a digest.
    await s3.send(new PutObjectCommand({ Bucket: digestBucket, Key: digestKey(1), Body: forged.body }));
    expect(kinds(await verifyAuditAnchors(deps))).toEqual(['digest-altered']);
    // A third digest signed with nothing the key made.
    const third = sealDigest(nextDigest(undefined, [], new Date()));
    await s3.send(
      new PutObjectCommand({
        Bucket: digestBucket,
        Key: digestKey(3),
        Body: third.body,
        Metadata: { signature: Buffer.from('not a signature').toString('base64') },
      }),
    );
    const report = await verifyAuditAnchors(deps);
    // Breaks are listed by key, and digest keys sort newest first.
    expect(report.breaks).toEqual([
      expect.objectContaining({ kind: 'digest-altered', digestKey: digestKey(3) }),
      expect.objectContaining({
        kind: 'digest-altered',
        digestKey: digestKey(1),
        reason: expect.stringContaining('written over'),
      }),
    ]);
    // The anchors of the digests that check out still hold: the history up to digest 2 verifies.
    expect(report.anchors.newest?.key).toBe(digestKey(2));
  });

  it('names a deleted digest: hidden by a delete marker, or removed (simulated: a governance-mode digest)', async () => {
    const { deps } = await anchoredHistory('GOVERNANCE');
    await anchorAudit(deps);
    await s3.send(new DeleteObjectCommand({ Bucket: digestBucket, Key: digestKey(3) }));
    expect((await verifyAuditAnchors(deps)).breaks).toEqual([
      expect.objectContaining({
        kind: 'digest-missing',
        digestKey: digestKey(3),
        reason: expect.stringContaining('delete marker'),
      }),
    ]);
    // Compliance mode refuses this to anyone; governance mode lets a test bypass it to remove digest 2.
    const { Versions } = await s3.send(
      new ListObjectVersionsCommand({ Bucket: digestBucket, Prefix: digestKey(2) }),
    );
    await s3.send(
      new DeleteObjectCommand({
        Bucket: digestBucket,
        Key: digestKey(2),
        VersionId: Versions![0]!.VersionId!,
        BypassGovernanceRetention: true,
      }),
    );
    const report = await verifyAuditAnchors(deps);
    expect(report.breaks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'digest-missing',
          digestKey: digestKey(2),
          reason: `digest 2 is missing: the digest chain goes from digest 1 to digest 3 (${digestKey(3)})`,
        }),
      ]),
    );
  });
});

describe('conformance: S3 Object Lock (compliance) and KMS ECC signing as anchors rely on them (moto 5.2.1)', () => {
  it('refuses to delete or bypass a compliance-locked digest version, and a second create of its key', async () => {
    const { deps } = await anchoredHistory();
    const { Versions } = await s3.send(
      new ListObjectVersionsCommand({ Bucket: digestBucket, Prefix: digestKey(1) }),
    );
    const versionId = Versions![0]!.VersionId!;
    await expect(
      s3.send(new DeleteObjectCommand({ Bucket: digestBucket, Key: digestKey(1), VersionId: versionId })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(
      s3.send(
        new DeleteObjectCommand({
          Bucket: digestBucket,
          Key: digestKey(1),
          VersionId: versionId,
          BypassGovernanceRetention: true,
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    const again = sealDigest(nextDigest(undefined, [], new Date()));
    expect(await deps.store.create(again, await deps.signer.sign(again.hash))).toBe(false);
  });

  it('signs a 32-byte RAW message so that the public key verifies it with node:crypto', async () => {
    const { signer } = ports();
    const hash = 'ab'.repeat(32);
    const { signature, keyId, algorithm } = await signer.sign(hash);
    expect({ keyId, algorithm }).toEqual({ keyId: keyArn, algorithm: 'ECDSA_SHA_256' });
    expect(await signer.verify(hash, signature)).toBe(true);
    expect(await signer.verify('cd'.repeat(32), signature)).toBe(false);
  });
});
