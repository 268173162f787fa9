import type { BucketFactsRequest, FactsPort, FactsTarget } from '../reconcile/servicePorts.js';
import type { BucketFacts, DestinationFacts } from '../reconcile/types.js';
import { AwsFactsReader, type FactsClients } from './AwsFactsReader.js';
import { proveBucketOwner } from './proveBucketOwner.js';
import { RunCache } from './RunCache.js';
import type { WritableAccounts } from './types.js';

export interface RunFactsReaderOptions {
  factory: FactsClients;
  writable?: WritableAccounts;
}

/**
 * The {@link FactsPort} of one run: an {@link AwsFactsReader} over one {@link RunCache}, so every source
 * of the run that shares a destination or key reads it once. `invalidate` starts a fresh cache: RunCache
 * has no per-entry eviction, and a conflict is rare enough that re-reading the run's few other entries is
 * cheaper than being clever.
 */
export class RunFactsReader implements FactsPort {
  private readonly options: RunFactsReaderOptions;
  private reader: AwsFactsReader;

  constructor(options: RunFactsReaderOptions) {
    this.options = options;
    this.reader = this.freshReader();
  }

  bucketRegion(bucket: string, account?: string): Promise<string> {
    return this.reader.bucketRegion(bucket, account);
  }

  async read(request: BucketFactsRequest): Promise<BucketFacts> {
    const facts = await this.reader.read({
      ...request,
      destinations: request.destinations.map((ref) => (ref.account === undefined ? ref.bucket : ref)),
    });
    return this.withOwnerProof(facts);
  }

  invalidate(_target: FactsTarget): void {
    this.reader = this.freshReader();
    this.owners.clear();
  }

  private readonly owners = new Map<string, Promise<boolean>>();

  /**
   * Destinations the reader left without an owner proof (`ownerVerified` undefined) get one here
   * (proveBucketOwner, once per run per bucket and account): the planner puts nothing for a destination
   * whose owner is not proved. A reader that proves owners itself makes this a no-op.
   */
  private async withOwnerProof(facts: BucketFacts): Promise<BucketFacts> {
    const unproved = Object.values(facts.destinations).filter(
      (destination) =>
        destination.exists && destination.ownerVerified === undefined && destination.account !== undefined,
    );
    if (unproved.length === 0) return facts;
    const proved = await Promise.all(
      unproved.map(async (destination): Promise<DestinationFacts> => {
        const account = destination.account!;
        const key = `${account}|${destination.bucket}`;
        let proof = this.owners.get(key);
        if (!proof) {
          proof = this.proveOwner(destination.bucket, account, destination.region ?? facts.region);
          this.owners.set(key, proof);
          proof.catch(() => this.owners.delete(key));
        }
        return { ...destination, ownerVerified: await proof };
      }),
    );
    const destinations = { ...facts.destinations };
    for (const destination of proved) destinations[destination.bucket] = destination;
    return { ...facts, destinations };
  }

  private async proveOwner(bucket: string, account: string, region: string): Promise<boolean> {
    const { factory } = this.options;
    const reachable = await factory.canReach(account);
    const client = await factory.s3({ account: reachable ? account : await factory.homeAccount(), region });
    return proveBucketOwner(client, bucket, account);
  }

  private freshReader(): AwsFactsReader {
    const { factory, writable } = this.options;
    return new AwsFactsReader({ factory, cache: new RunCache(), ...(writable && { writable }) });
  }
}

/**
 * One {@link RunFactsReader} per run id, kept while the run is recent: messages of one sweep share facts
 * in a warm Lambda; an event-driven message (a run of its own) reads fresh ones.
 */
export class RunFactsReaders {
  private readonly runs = new Map<string, { reader: RunFactsReader; at: number }>();

  constructor(
    private readonly options: RunFactsReaderOptions & {
      maxRuns?: number;
      maxAgeMs?: number;
      now?: () => number;
    },
  ) {}

  forRun(runId: string): RunFactsReader {
    const now = (this.options.now ?? Date.now)();
    const maxAge = this.options.maxAgeMs ?? 5 * 60_000;
    const found = this.runs.get(runId);
    if (found && now - found.at < maxAge) return found.reader;
    const reader = new RunFactsReader(this.options);
    this.runs.delete(runId);
    this.runs.set(runId, { reader, at: now });
    while (this.runs.size > (this.options.maxRuns ?? 4)) this.runs.delete(this.runs.keys().next().value!);
    return reader;
  }
}
