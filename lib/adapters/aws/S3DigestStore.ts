import {
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DIGEST_PREFIX, type SealedDigest } from '../../core/audit/digestDocument.js';
import type { DigestObject, DigestSignature, DigestStore } from '../../usecases/anchorAudit/ports.js';
import { callAws, toAdapterError } from './toAdapterError.js';

/** Object metadata that carries a digest's signature (`x-amz-meta-…`, docs/aws-facts.md "Audit digests"). */
export const DIGEST_METADATA = {
  signature: 'signature',
  keyId: 'signing-key',
  algorithm: 'signing-algorithm',
} as const;

export interface S3DigestStoreOptions {
  client: Pick<S3Client, 'send'>;
  bucket: string;
  /** Days each digest stays locked (`S3IR_DIGEST_RETENTION_DAYS`, serverless param auditDigestRetentionDays). */
  retentionDays: number;
  /** The bucket's owner, sent as ExpectedBucketOwner (the home account). */
  expectedOwner?: () => Promise<string>;
  /** COMPLIANCE, as deployed; tests that must remove a digest write GOVERNANCE ones and bypass it. */
  lockMode?: 'COMPLIANCE' | 'GOVERNANCE';
  now?: () => Date;
}

/**
 * The digest bucket (S3 Object Lock, compliance mode; docs/aws-facts.md "Audit digests"). A digest is
 * created with a conditional put (`If-None-Match: *`) and its own retention, so a key is written once and
 * its version can be neither deleted nor overwritten until the retention ends. Reads go by versions
 * (ListObjectVersions): a delete marker or a second version cannot hide the version Object Lock kept,
 * and both are reported.
 */
export class S3DigestStore implements DigestStore {
  readonly location: string;
  private readonly options: S3DigestStoreOptions;

  constructor(options: S3DigestStoreOptions) {
    this.options = options;
    this.location = `s3://${options.bucket}`;
  }

  async newest(): Promise<DigestObject | undefined> {
    // Keys sort newest first (lib/core/audit/digestDocument.ts): the first key listed is the newest.
    const page = await callAws(`ListObjectsV2 ${this.options.bucket}/${DIGEST_PREFIX}`, async () =>
      this.options.client.send(
        new ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: DIGEST_PREFIX,
          MaxKeys: 1,
          ...(await this.owner()),
        }),
      ),
    );
    const key = page.Contents?.[0]?.Key;
    return key === undefined ? undefined : this.read(key);
  }

  async read(key: string): Promise<DigestObject | undefined> {
    const [object] = await this.list(key);
    return object;
  }

  async readAll(): Promise<DigestObject[]> {
    const objects = await this.list(DIGEST_PREFIX);
    return objects.reverse();
  }

  async create(digest: SealedDigest, signature: DigestSignature): Promise<boolean> {
    const { bucket, retentionDays } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    try {
      await this.options.client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: digest.key,
          Body: digest.body,
          ContentType: 'application/json',
          // Object Lock needs an integrity checksum on the put (Content-MD5 or x-amz-checksum-*).
          ChecksumAlgorithm: 'SHA256',
          IfNoneMatch: '*',
          ObjectLockMode: this.options.lockMode ?? 'COMPLIANCE',
          ObjectLockRetainUntilDate: new Date(now.getTime() + retentionDays * 86_400_000),
          Metadata: {
            [DIGEST_METADATA.signature]: signature.signature,
            [DIGEST_METADATA.keyId]: signature.keyId,
            [DIGEST_METADATA.algorithm]: signature.algorithm,
          },
          ...(await this.owner()),
        }),
      );
      return true;
    } catch (error) {
      const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      // 412: the key exists; 409: a concurrent conditional write to it is in flight. Either way, taken.
      if (name === 'PreconditionFailed' || $metadata?.httpStatusCode === 412) return false;
      if (name === 'ConditionalRequestConflict' || $metadata?.httpStatusCode === 409) return false;
      throw toAdapterError(error, `PutObject ${bucket}/${digest.key}`);
    }
  }

  /** The digests under `prefix`, in key order (newest first), each read at its first version. */
  private async list(prefix: string): Promise<DigestObject[]> {
    const { bucket, client } = this.options;
    const versions = new Map<
      string,
      { first?: { id: string; at: number }; count: number; hidden: boolean }
    >();
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page: ListObjectVersionsCommandOutput = await callAws(
        `ListObjectVersions ${bucket}/${prefix}`,
        async () =>
          client.send(
            new ListObjectVersionsCommand({
              Bucket: bucket,
              Prefix: prefix,
              ...(keyMarker !== undefined && { KeyMarker: keyMarker }),
              ...(versionMarker !== undefined && { VersionIdMarker: versionMarker }),
              ...(await this.owner()),
            }),
          ),
      );
      for (const version of page.Versions ?? []) {
        if (version.Key === undefined || version.VersionId === undefined) continue;
        const entry = versions.get(version.Key) ?? { count: 0, hidden: false };
        const at = version.LastModified?.getTime() ?? 0;
        entry.count++;
        // Versions are listed newest first: on a tie of LastModified (whole seconds), the later one is older.
        if (entry.first === undefined || at <= entry.first.at) entry.first = { id: version.VersionId, at };
        versions.set(version.Key, entry);
      }
      for (const marker of page.DeleteMarkers ?? []) {
        if (marker.Key === undefined || !marker.IsLatest) continue;
        const entry = versions.get(marker.Key) ?? { count: 0, hidden: false };
        entry.hidden = true;
        versions.set(marker.Key, entry);
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);
    const keys = [...versions.keys()].filter((key) => key === prefix || prefix.endsWith('/')).sort();
    const objects: DigestObject[] = [];
    for (const key of keys) {
      const entry = versions.get(key)!;
      if (entry.first === undefined) continue;
      objects.push({
        key,
        versions: entry.count,
        hidden: entry.hidden,
        ...(await this.get(key, entry.first.id)),
      });
    }
    return objects;
  }

  private async get(key: string, versionId: string): Promise<{ body: string; signature?: string }> {
    const { bucket, client } = this.options;
    const object = await callAws(`GetObject ${bucket}/${key}`, async () =>
      client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, ...(await this.owner()) }),
      ),
    );
    const body = (await object.Body?.transformToString('utf8')) ?? '';
    const signature = object.Metadata?.[DIGEST_METADATA.signature];
    return { body, ...(signature !== undefined && { signature }) };
  }

  private async owner(): Promise<{ ExpectedBucketOwner?: string }> {
    const owner = await this.options.expectedOwner?.();
    return owner === undefined ? {} : { ExpectedBucketOwner: owner };
  }
}
