import { ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mapLimit } from '../../../lib/core/concurrency/mapLimit.js';
import { MOTO_DEFAULT_ACCOUNT_ID } from '../constants.js';
import type { KnownAccounts } from '../gateway/KnownAccounts.js';
import type { Logger } from '../logger.js';
import type { InventoryStore } from '../s3Inventory/InventoryStore.js';
import { DeliveryFactsReader } from './DeliveryFactsReader.js';
import { decideDelivery } from './decideDelivery.js';
import type { MotoClients } from './MotoClients.js';
import { reportFiles } from './reportFiles.js';
import type { DeliverOptions, DeliveryPlan, DeliveryResult, ListedObject } from './types.js';

/** A report lists at most one page of the source (the simulation needs a few real rows, not millions). */
const MAX_LISTED_OBJECTS = 1_000;

/** How many configurations are checked and written at once. */
const CONCURRENCY = 8;

/** What {@link ReportDelivery} works with. */
export interface ReportDeliveryDeps {
  store: InventoryStore;
  clients: MotoClients;
  accounts: KnownAccounts;
  logger: Logger;
}

const byBucketThenId = (a: { bucket: string; id: string }, b: { bucket: string; id: string }) =>
  a.bucket === b.bucket ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.bucket < b.bucket ? -1 : 1;

/**
 * `POST /_local/deliver`: simulates S3 delivering one inventory report for every enabled
 * configuration in the gateway's store, now. Each is delivered (written into the destination through
 * moto, as its owner, in the layout of docs/aws-facts.md §4) or refused with the reason S3 would fail it
 * for (see decideDelivery.ts). Configurations of buckets deleted behind the gateway's back are
 * forgotten. Disabled configurations are neither delivered nor refused. An unexpected error while
 * handling one configuration refuses it with `local AWS error: …` (and is logged); the rest go on.
 */
export class ReportDelivery {
  constructor(private readonly deps: ReportDeliveryDeps) {}

  async deliver(options: DeliverOptions): Promise<DeliveryResult> {
    const facts = new DeliveryFactsReader(this.deps.clients, this.deps.accounts);
    const only = options.buckets === undefined ? undefined : new Set(options.buckets);
    const entries = this.deps.store
      .entries()
      .filter(({ bucket, configuration }) => configuration.IsEnabled && (!only || only.has(bucket)));
    for (const { configuration } of entries)
      this.deps.accounts.add(configuration.Destination.S3BucketDestination.AccountId);
    const result: DeliveryResult = { delivered: [], refused: [] };
    await mapLimit(entries, CONCURRENCY, async ({ bucket, configuration }) => {
      const id = configuration.Id;
      try {
        const decision = await decideDelivery(bucket, configuration, facts);
        if (decision === 'source-gone') this.deps.store.forget(bucket);
        else if ('refused' in decision) result.refused.push({ bucket, id, reason: decision.refused });
        else result.delivered.push({ bucket, id, key: await this.write(decision.plan, options.now) });
      } catch (error) {
        // A bucket deleted halfway, moto failing: that configuration fails, the others still go.
        this.deps.logger.warn(
          `delivery of ${bucket}/${id} failed: ${(error as Error).stack ?? String(error)}`,
        );
        result.refused.push({ bucket, id, reason: `local AWS error: ${(error as Error).message}` });
      }
    });
    result.delivered.sort(byBucketThenId);
    result.refused.sort(byBucketThenId);
    return result;
  }

  /** Writes one report; resolves with its manifest.json key. */
  private async write(plan: DeliveryPlan, now: Date): Promise<string> {
    const files = reportFiles(plan, await this.listSource(plan), now);
    const s3 = this.deps.clients.s3(plan.destination.owner ?? MOTO_DEFAULT_ACCOUNT_ID);
    const encryption = plan.configuration.Destination.S3BucketDestination.Encryption;
    const sse = plan.key
      ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: plan.key.arn }
      : encryption
        ? { ServerSideEncryption: 'AES256' as const }
        : {};
    // One at a time and in order: manifest.checksum goes last, so a reader never sees it before the rest.
    for (const object of files.objects) {
      await s3.send(
        new PutObjectCommand({
          Bucket: plan.destination.name,
          Key: object.key,
          Body: object.body,
          ContentType: object.contentType,
          ...sse,
        }),
      );
    }
    return files.manifestKey;
  }

  private async listSource(plan: DeliveryPlan): Promise<ListedObject[]> {
    const s3 = this.deps.clients.s3(plan.source.owner);
    const { Filter, IncludedObjectVersions } = plan.configuration;
    const request = { Bucket: plan.source.name, Prefix: Filter?.Prefix, MaxKeys: MAX_LISTED_OBJECTS };
    if (IncludedObjectVersions !== 'All') {
      const { Contents = [] } = await s3.send(new ListObjectsV2Command(request));
      return Contents.map((object) => ({
        key: object.Key ?? '',
        size: object.Size ?? 0,
        lastModified: object.LastModified,
        eTag: (object.ETag ?? '').replace(/"/g, ''),
        storageClass: object.StorageClass ?? 'STANDARD',
      }));
    }
    const { Versions = [], DeleteMarkers = [] } = await s3.send(new ListObjectVersionsCommand(request));
    const versions = Versions.map((version) => ({
      key: version.Key ?? '',
      size: version.Size ?? 0,
      lastModified: version.LastModified,
      eTag: (version.ETag ?? '').replace(/"/g, ''),
      storageClass: version.StorageClass ?? 'STANDARD',
      versionId: version.VersionId ?? 'null',
      isLatest: version.IsLatest ?? false,
      isDeleteMarker: false,
    }));
    const markers = DeleteMarkers.map((marker) => ({
      key: marker.Key ?? '',
      size: 0,
      lastModified: marker.LastModified,
      eTag: '',
      storageClass: '',
      versionId: marker.VersionId ?? 'null',
      isLatest: marker.IsLatest ?? false,
      isDeleteMarker: true,
    }));
    return [...versions, ...markers].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
