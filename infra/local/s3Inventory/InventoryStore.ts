import { INVENTORY_LIMITS } from './constants.js';
import { inventoryErrors } from './errors.js';
import type { InventoryPage, StoredInventoryConfiguration } from './types.js';

/** Ids compare by code unit, which for [A-Za-z0-9_.-] is S3's byte order. */
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A continuation token names the last Id of the previous page, so pages stay right across writes. */
function encodeToken(lastId: string): string {
  return Buffer.from(`v1:${lastId}`, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (!decoded.startsWith('v1:') || encodeToken(decoded.slice(3)) !== token)
    throw inventoryErrors.invalidToken();
  return decoded.slice(3);
}

/**
 * The inventory configurations of every bucket, in memory. Knows nothing about buckets existing:
 * the handler asks moto and calls {@link forget} when a bucket is gone.
 */
export class InventoryStore {
  private readonly buckets = new Map<string, Map<string, StoredInventoryConfiguration>>();

  get(bucket: string, id: string): StoredInventoryConfiguration | undefined {
    return this.buckets.get(bucket)?.get(id);
  }

  /** Upsert by Id; a new Id beyond the per-bucket limit is TooManyConfigurations. */
  put(bucket: string, configuration: StoredInventoryConfiguration): void {
    let configurations = this.buckets.get(bucket);
    if (!configurations) {
      configurations = new Map();
      this.buckets.set(bucket, configurations);
    }
    if (!configurations.has(configuration.Id) && configurations.size >= INVENTORY_LIMITS.perBucket) {
      throw inventoryErrors.tooManyConfigurations();
    }
    configurations.set(configuration.Id, structuredClone(configuration));
  }

  /** True when there was such a configuration. */
  delete(bucket: string, id: string): boolean {
    return this.buckets.get(bucket)?.delete(id) ?? false;
  }

  /** One page, sorted by Id, at most 100 (docs/aws-facts.md §1, List and pagination). */
  list(bucket: string, continuationToken: string | undefined): InventoryPage {
    const after = continuationToken === undefined ? undefined : decodeToken(continuationToken);
    const ids = [...(this.buckets.get(bucket)?.keys() ?? [])].sort(byId);
    const remaining = after === undefined ? ids : ids.filter((id) => id > after);
    const pageIds = remaining.slice(0, INVENTORY_LIMITS.pageSize);
    const isTruncated = remaining.length > pageIds.length;
    return {
      configurations: pageIds.map((id) => structuredClone(this.get(bucket, id)!)),
      ...(continuationToken !== undefined ? { continuationToken } : {}),
      ...(isTruncated ? { nextContinuationToken: encodeToken(pageIds.at(-1)!) } : {}),
      isTruncated,
    };
  }

  /** Drops a deleted bucket's configurations, so a new bucket of the same name starts empty. */
  forget(bucket: string): void {
    this.buckets.delete(bucket);
  }

  /** Every stored configuration, for report delivery simulation. */
  entries(): Array<{ bucket: string; configuration: StoredInventoryConfiguration }> {
    return [...this.buckets].flatMap(([bucket, configurations]) =>
      [...configurations.values()].map((configuration) => ({
        bucket,
        configuration: structuredClone(configuration),
      })),
    );
  }
}
