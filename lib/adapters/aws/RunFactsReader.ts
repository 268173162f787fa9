import type { BucketFacts } from '../../core/reconcile/types.js';
import type { BucketFactsRequest, FactsPort, FactsTarget } from '../../usecases/ports.js';
import { AwsFactsReader, type FactsClients } from './AwsFactsReader.js';
import { RunCache } from './RunCache.js';
import type { WritableAccounts } from './types.js';

export interface RunFactsReaderOptions {
  factory: FactsClients;
  writable?: WritableAccounts;
  /** `S3IR_DESTINATION_BUCKETS` (see {@link AwsFactsReader}); undefined: no restriction. */
  destinationBuckets?: readonly string[];
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

  read(request: BucketFactsRequest): Promise<BucketFacts> {
    return this.reader.read({
      ...request,
      destinations: request.destinations.map((ref) => (ref.account === undefined ? ref.bucket : ref)),
    });
  }

  invalidate(_target: FactsTarget): void {
    this.reader = this.freshReader();
  }

  private freshReader(): AwsFactsReader {
    const { factory, writable, destinationBuckets } = this.options;
    return new AwsFactsReader({
      factory,
      cache: new RunCache(),
      ...(writable && { writable }),
      ...(destinationBuckets !== undefined && { destinationBuckets }),
    });
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
