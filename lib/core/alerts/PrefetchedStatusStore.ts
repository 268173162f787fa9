import type { BucketStatus, StatusStore } from './bucketStatus.js';

/** Statuses read ahead, by bucket: `undefined` for a bucket read and found to have none. */
export type KnownStatuses = Map<string, BucketStatus | undefined>;

/**
 * A status store that answers `get` from statuses read ahead (a reconcile batch reads its buckets' statuses
 * in one request) and keeps them current as it writes: a second message of the same bucket in the batch
 * sees the status the first wrote. A bucket not read ahead, or whose write was refused (another run wrote
 * first) or failed, is read from the store again.
 */
export class PrefetchedStatusStore implements StatusStore {
  private readonly store: StatusStore;
  private readonly known: KnownStatuses;

  /** The store's own, keeping the status it wrote; absent when the store has none. */
  readonly putWithSummary?: StatusStore['putWithSummary'];

  constructor(store: StatusStore, known: KnownStatuses) {
    this.store = store;
    this.known = new Map(known);
    const combined = store.putWithSummary?.bind(store);
    if (combined !== undefined) {
      this.putWithSummary = async (status, entry, now) => {
        let written = false;
        try {
          const write = await combined(status, entry, now);
          written = write.written;
          return write;
        } finally {
          this.remember(status, written);
        }
      };
    }
  }

  async get(bucket: string): Promise<BucketStatus | undefined> {
    return this.known.has(bucket) ? this.known.get(bucket) : this.store.get(bucket);
  }

  async put(status: BucketStatus): Promise<boolean> {
    let written = false;
    try {
      written = await this.store.put(status);
      return written;
    } finally {
      this.remember(status, written);
    }
  }

  private remember(status: BucketStatus, written: boolean): void {
    if (written) this.known.set(status.bucket, status);
    else this.known.delete(status.bucket);
  }

  list(): Promise<BucketStatus[]> {
    return this.store.list();
  }
}
