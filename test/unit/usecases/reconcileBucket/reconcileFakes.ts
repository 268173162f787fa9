import type { BucketFacts } from '../../../../lib/core/reconcile/types.js';
import type {
  FactsPort,
  FactsTarget,
  ReconcileBucketDeps,
  StoredDesiredBucket,
} from '../../../../lib/usecases/ports.js';
import type { MemoryEstate } from '../../../helpers/memoryEstate.js';

export const RUN = { runId: 'run-1', actor: 'reconciler', now: () => new Date('2026-01-02T03:04:05.000Z') };

/** An AWS error as an adapter maps it: it says whether a retry may help. */
export class FakeAdapterError extends Error {
  readonly retryable: boolean;
  constructor(name: string, retryable: boolean) {
    super(`${name} (injected)`);
    this.name = name;
    this.retryable = retryable;
  }
}

export interface FakeFacts extends FactsPort {
  invalidated: FactsTarget[];
  reads: number;
}

/**
 * Facts read from the estate through a cache, as the per-run cache does: a policy changed after the first
 * read is not seen until invalidated. `beforeRead` runs before each read (another worker acting).
 */
export function cachedFacts(estate: MemoryEstate, beforeRead?: (read: number) => void): FakeFacts {
  let cached: BucketFacts | undefined;
  const fake: FakeFacts = {
    invalidated: [],
    reads: 0,
    async bucketRegion(bucket) {
      return estate.buckets.get(bucket)!.region;
    },
    async read(request) {
      fake.reads++;
      const fresh = estate.factsFor(request.bucket);
      beforeRead?.(fake.reads);
      cached ??= fresh;
      return cached;
    },
    invalidate(target) {
      fake.invalidated.push(target);
      cached = undefined;
    },
  };
  return fake;
}

export function depsFor(
  estate: MemoryEstate,
  desired: StoredDesiredBucket | undefined,
  overrides: Partial<ReconcileBucketDeps> = {},
): ReconcileBucketDeps {
  return {
    desired: { getBucket: async (bucket) => (bucket === desired?.bucket ? desired : undefined) },
    facts: cachedFacts(estate),
    inventoryFor: () => estate.inventory,
    applyPortsFor: () => estate,
    // Every account the estate's buckets and keys live in: the trust boundary is tested in the planner.
    allowedAccounts: async () =>
      new Set([
        ...[...estate.buckets.values()].map((b) => b.account),
        ...[...estate.keys.values()].map((k) => k.account),
      ]),
    audit: estate.audit,
    context: RUN,
    ...overrides,
  };
}
