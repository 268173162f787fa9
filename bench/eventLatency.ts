import {
  DeleteBucketInventoryConfigurationCommand,
  GetBucketInventoryConfigurationCommand,
  PutBucketInventoryConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { LocalAws } from '../infra/local/index.js';
import { configurationsEqual } from '../lib/core/inventory/diffConfigurations.js';
import type { InventoryConfiguration } from '../lib/core/inventory/types.js';
import { median, percentile } from './metrics.js';
import type { EventLatencyResult } from './types.js';
import type { WorkerProcess } from './WorkerProcess.js';

export interface EventLatencyOptions {
  /** Your client (the local AWS's own keys): its changes are not the reconciler's, so they are reverted. */
  s3: S3Client;
  local: Pick<LocalAws, 'onChangeEvent'>;
  worker: WorkerProcess;
  /** In-sync sources to change by hand, with the configuration they must get back. */
  targets: readonly { bucket: string; desired: InventoryConfiguration }[];
  /** How long to wait for one revert before counting it as not reverted (default 30 s). */
  timeoutMs?: number;
  /** Pause between reads of the bucket while waiting (default 50 ms). */
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the bucket holds exactly its desired configuration again. */
async function reverted(s3: S3Client, bucket: string, desired: InventoryConfiguration): Promise<boolean> {
  try {
    const output = await s3.send(
      new GetBucketInventoryConfigurationCommand({ Bucket: bucket, Id: desired.Id }),
    );
    return (
      output.InventoryConfiguration !== undefined &&
      configurationsEqual(output.InventoryConfiguration, desired)
    );
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchConfiguration') return false;
    throw error;
  }
}

/**
 * The event-driven path, timed: one hand-made change after another (alternately a changed field and a
 * deleted configuration), each delivered as the gateway's CloudTrail-shaped change event to `s3Change`
 * in the worker, through the queue to a reconcile sandbox. Each is timed from the change's response to
 * the first read that shows the desired configuration back.
 */
export async function measureEventLatency(options: EventLatencyOptions): Promise<EventLatencyResult> {
  const { s3, worker, targets } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pollMs = options.pollMs ?? 50;
  await worker.request({ type: 'listen' }, 'listening');
  // EventBridge → s3Change: every change event goes to the worker (its own writes too: it ignores them).
  const unsubscribe = options.local.onChangeEvent((event) => worker.send({ type: 'change-event', event }));
  const revertMs: number[] = [];
  let timedOut = 0;
  try {
    for (const [index, { bucket, desired }] of targets.entries()) {
      if (index % 2 === 0) {
        const changed = { ...desired, Schedule: { Frequency: 'Weekly' as const } };
        await s3.send(
          new PutBucketInventoryConfigurationCommand({
            Bucket: bucket,
            Id: desired.Id,
            InventoryConfiguration: changed,
          }),
        );
      } else {
        await s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: bucket, Id: desired.Id }));
      }
      const changedAt = performance.now();
      let done = false;
      while (!done && performance.now() - changedAt < timeoutMs) {
        await sleep(pollMs);
        done = await reverted(s3, bucket, desired);
      }
      if (done) revertMs.push(performance.now() - changedAt);
      else timedOut += 1;
    }
  } finally {
    unsubscribe();
    const quiet = await worker.request({ type: 'quiet' }, 'quiet');
    if (quiet.changeErrors.length > 0) {
      process.stderr.write(
        `s3Change failed ${quiet.changeErrors.length} time(s): ${quiet.changeErrors[0]}\n`,
      );
    }
  }
  return {
    changes: targets.length,
    revertMs,
    timedOut,
    medianMs: median(revertMs),
    p95Ms: percentile(revertMs, 95),
  };
}
