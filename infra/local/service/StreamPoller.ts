import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { DynamoStreamsApi } from './DynamoStreamsApi.js';
import type { LambdaRuntime } from './LambdaRuntime.js';
import { streamEvent } from './lambdaEvents.js';
import { type ActivityListener, type BatchResponse, FunctionName } from './types.js';

export interface StreamPollerOptions {
  runtime: LambdaRuntime;
  dynamodb: Pick<DynamoDBClient, 'send'>;
  streams: DynamoStreamsApi;
  tableName: string;
  /** Pause between rounds of GetRecords (default 1 s, as Lambda polls a stream about once a second). */
  intervalMs?: number;
  onActivity?: ActivityListener;
}

interface Shard {
  ShardId: string;
  ParentShardId?: string;
  SequenceNumberRange?: { EndingSequenceNumber?: string };
}

/** serverless.yml's `batchSize` for the stream. */
const BATCH_SIZE = 100;

/**
 * The DynamoDB stream event source mapping of `desiredChange`, over DynamoDB Local's Streams API:
 * reads every shard of the desired-state table's stream from LATEST (serverless.yml's
 * `startingPosition`), follows child shards from their start, and hands each batch to the function.
 * Unlike Lambda it does not bisect or retry a failed batch: failures are reported and the next
 * scheduled sweep converges those buckets anyway (the same fallback serverless.yml relies on).
 */
export class StreamPoller {
  private readonly options: StreamPollerOptions;
  private readonly iterators = new Map<string, string>();
  private readonly seen = new Set<string>();
  private streamArn = '';
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;

  constructor(options: StreamPollerOptions) {
    this.options = options;
  }

  /** Finds the stream and positions on its open shards; false when the table has no stream. */
  async start(): Promise<boolean> {
    const { Table } = await this.options.dynamodb.send(
      new DescribeTableCommand({ TableName: this.options.tableName }),
    );
    if (!Table?.LatestStreamArn) return false;
    this.streamArn = Table.LatestStreamArn;
    await this.discover('LATEST');
    this.schedule();
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.poll()
        .catch((error: unknown) => this.report(error))
        .finally(() => this.schedule());
    }, this.options.intervalMs ?? 1_000);
  }

  /** Adds shards not seen yet: the first ones at `position`, later (child) shards from their start. */
  private async discover(position: 'LATEST' | 'TRIM_HORIZON'): Promise<void> {
    const { StreamDescription } = await this.options.streams.call<{
      StreamDescription: { Shards?: Shard[] };
    }>('DescribeStream', { StreamArn: this.streamArn });
    for (const shard of StreamDescription.Shards ?? []) {
      if (this.seen.has(shard.ShardId)) continue;
      this.seen.add(shard.ShardId);
      if (shard.SequenceNumberRange?.EndingSequenceNumber && position === 'LATEST') continue;
      const { ShardIterator } = await this.options.streams.call<{ ShardIterator?: string }>(
        'GetShardIterator',
        {
          StreamArn: this.streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: position,
        },
      );
      if (ShardIterator) this.iterators.set(shard.ShardId, ShardIterator);
    }
  }

  private async poll(): Promise<void> {
    let closed = false;
    for (const [shardId, iterator] of [...this.iterators]) {
      const output = await this.options.streams.call<{
        Records?: Omit<DynamoDBRecord, 'eventSourceARN'>[];
        NextShardIterator?: string;
      }>('GetRecords', { ShardIterator: iterator, Limit: BATCH_SIZE });
      if (output.NextShardIterator) this.iterators.set(shardId, output.NextShardIterator);
      else {
        this.iterators.delete(shardId);
        closed = true;
      }
      if (output.Records && output.Records.length > 0) await this.deliver(output.Records);
    }
    if (closed || this.iterators.size === 0) await this.discover('TRIM_HORIZON');
  }

  private async deliver(records: Omit<DynamoDBRecord, 'eventSourceARN'>[]): Promise<void> {
    const response = await this.options.runtime.invoke<BatchResponse>(
      FunctionName.DesiredChange,
      streamEvent(records, this.streamArn),
    );
    const failed = response.batchItemFailures.length;
    this.options.onActivity?.({ kind: 'desired-change', records: records.length, failed });
  }

  private report(error: unknown): void {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.options.onActivity?.({ kind: 'error', source: 'stream', message });
  }
}
