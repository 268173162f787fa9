/** The parts of an SQS message the tracker reads. */
export interface TrackedMessage {
  MessageId?: string;
  Body?: string;
  Attributes?: Partial<Record<string, string>>;
}

/** The run id of a bucket message body (lib/usecases/reconcileMessage/bucketMessage), if it is one. */
function runOf(body: string | undefined): string | undefined {
  try {
    const value = JSON.parse(body ?? '') as { runId?: unknown };
    return typeof value?.runId === 'string' ? value.runId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which messages of one run are settled: succeeded, or failed on their last receive before the redrive
 * to the DLQ (`maxReceiveCount`). SQS (and moto) may deliver a message twice, and a message of an
 * earlier run may still come by: neither counts as one of this run's.
 */
export class SweepTracker {
  private readonly settled = new Set<string>();
  duplicates = 0;
  givenUp = 0;

  constructor(private readonly options: { runId: () => string | undefined; maxReceiveCount: number }) {}

  /** One batch as the reconcile handler settled it; `failed` holds the ids it reported. */
  record(messages: readonly TrackedMessage[], failed: ReadonlySet<string>): void {
    const runId = this.options.runId();
    for (const message of messages) {
      const id = message.MessageId;
      if (id === undefined || runOf(message.Body) !== runId) continue;
      if (this.settled.has(id)) {
        this.duplicates += 1;
      } else if (!failed.has(id)) {
        this.settled.add(id);
      } else if (Number(message.Attributes?.ApproximateReceiveCount ?? 1) >= this.options.maxReceiveCount) {
        this.settled.add(id);
        this.givenUp += 1;
      }
    }
  }

  /** Messages of the run settled so far. */
  get count(): number {
    return this.settled.size;
  }
}
