import { type BucketFilter, bucketFilter, mayContain, sameFilter } from '../../core/accounts/bucketFilter.js';

/**
 * What each member account's last successful discovery selected, as a fixed-cap filter per account (the state
 * table's `#discovered` items): how the sweep's cleanup knows member buckets without an item that grows with
 * them (#18).
 */
export interface DiscoveredStore {
  get(account: string): Promise<BucketFilter | undefined>;
  put(account: string, filter: BucketFilter, runId: string): Promise<void>;
  /** Every account's filter (one paginated Query). */
  list(): Promise<Map<string, BucketFilter>>;
}

/**
 * Keeps what one discovery selected, before its buckets are enqueued: so that a member bucket's status (written
 * by the reconcile the discovery enqueued) is always covered by its account's newest filter. One GetItem; a
 * PutItem only when the selection changed (a steady sweep writes nothing).
 */
export async function keepDiscovered(
  store: DiscoveredStore,
  account: string,
  buckets: readonly string[],
  runId: string,
): Promise<boolean> {
  const filter = bucketFilter(buckets);
  const stored = await store.get(account);
  if (stored !== undefined && sameFilter(stored, filter)) return false;
  await store.put(account, filter, runId);
  return true;
}

/**
 * Whether a bucket may be one that a member account's last discovery selected, over `accounts` (those this
 * sweep sends to discovery; an account that left is not among them, so its buckets are not kept). Undefined
 * when one of them has no filter yet (never discovered with this version): the cleanup then leaves every
 * bucket it does not sweep itself alone, as before.
 */
export async function memberBucketsKept(
  store: Pick<DiscoveredStore, 'list'>,
  accounts: readonly string[],
): Promise<((bucket: string) => boolean) | undefined> {
  if (accounts.length === 0) return () => false;
  const filters = await store.list();
  const used: BucketFilter[] = [];
  for (const account of accounts) {
    const filter = filters.get(account);
    if (filter === undefined) return undefined;
    used.push(filter);
  }
  return (bucket) => used.some((filter) => mayContain(filter, bucket));
}
