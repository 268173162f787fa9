import { availableParallelism } from 'node:os';
import { S3Client } from '@aws-sdk/client-s3';
import { startLocalAws } from '../infra/local/index.js';
import { createLogger } from '../infra/local/logger.js';
import type { InventoryConfiguration } from '../lib/core/inventory/types.js';
import { DriftKind, planEstate } from './estate/planEstate.js';
import { type SeededEstate, seedEstate } from './estate/seedEstate.js';
import { measureEventLatency } from './eventLatency.js';
import { GatewayControl } from './gatewayControl.js';
import { MachineCpu } from './machine.js';
import { callsPerBucket, dynamoWrites, floorMs, floorRatio, serviceCallsPerBucket } from './metrics.js';
import { withMotoPatch } from './motoPatch.js';
import { BenchCpu } from './processCpu.js';
import type { BenchOptions, EventLatencyResult, SizeResult, SweepResult } from './types.js';
import { WorkerProcess } from './WorkerProcess.js';

/** The event-driven phase of a size run without hand-made changes (the latency check). */
const NO_CHANGES: EventLatencyResult = {
  changes: 0,
  revertMs: [],
  timedOut: 0,
  medianMs: undefined,
  p95Ms: undefined,
};

/** Progress lines, on stderr. */
export type Progress = (line: string) => void;

/**
 * Everything measured at one N, on a local AWS of its own: seed the estate, start the worker, set the
 * latency rules, then the first sweep, the steady-state sweep and the event-driven latency.
 */
export async function runSize(
  buckets: number,
  options: BenchOptions,
  progress: Progress,
): Promise<SizeResult> {
  const { value: local, motoPatch } = await withMotoPatch(() =>
    startLocalAws({ port: 0, logger: createLogger('local-aws', 'warn') }),
  );
  progress(`N=${buckets}: local AWS on ${local.endpoint}; moto SQS patch ${motoPatch}`);
  const control = new GatewayControl(local.endpoint);
  const clientConfig = {
    endpoint: local.endpoint,
    region: local.env.AWS_REGION,
    credentials: {
      accessKeyId: local.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: local.env.AWS_SECRET_ACCESS_KEY,
    },
  };
  let worker: WorkerProcess | undefined;
  const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
  try {
    const plan = planEstate(buckets);
    const seedStart = performance.now();
    const estate = await seedEstate(plan, clientConfig, local.env.S3IR_DESIRED_TABLE);
    const seedMs = performance.now() - seedStart;
    progress(`N=${buckets}: seeded in ${(seedMs / 1000).toFixed(1)} s`);

    const started = await WorkerProcess.start({
      localEnv: { ...local.env },
      concurrency: options.concurrency,
    });
    worker = started.worker;
    progress(
      `N=${buckets}: worker ready (${options.concurrency} sandboxes) in ${Math.round(started.loadMs)} ms`,
    );
    await control.clearFaults();
    await control.addLatency(options.latency);

    const first = await measureSweep(worker, control, buckets, options);
    progress(`N=${buckets}: first sweep ${describeSweep(first)}`);
    // The next sweep sends the first sweep's summaries (#18 point 4); steady state is the one after it.
    const settle = await measureSweep(worker, control, buckets, options);
    progress(`N=${buckets}: settling sweep ${describeSweep(settle)}`);
    const steady = await measureSweep(worker, control, buckets, options);
    progress(`N=${buckets}: steady sweep ${describeSweep(steady)}`);

    const events =
      options.changes > 0
        ? await measureEventLatency({
            s3,
            local,
            worker,
            targets: changeTargets(estate, options.changes),
          })
        : NO_CHANGES;
    if (options.changes > 0) {
      progress(
        `N=${buckets}: ${events.revertMs.length}/${events.changes} changes reverted, ` +
          `median ${Math.round(events.medianMs ?? Number.NaN)} ms, p95 ${Math.round(events.p95Ms ?? Number.NaN)} ms`,
      );
    }
    const peakRssMiB = await worker.finish();
    return { buckets, mix: plan.mix, motoPatch, seedMs, first, settle, steady, peakRssMiB, events };
  } finally {
    worker?.kill();
    s3.destroy();
    await local.stop();
  }
}

/**
 * One sweep in the worker, with the gateway's counts (reset first) and the CPU it took. `expect`: bucket
 * messages discovery enqueues beyond the schedule's (bench/org).
 */
export async function measureSweep(
  worker: WorkerProcess,
  control: GatewayControl,
  buckets: number,
  options: Pick<BenchOptions, 'latency' | 'concurrency'>,
  expect?: number,
): Promise<SweepResult> {
  await control.resetCalls();
  const gatewayBefore = process.cpuUsage();
  const machine = new MachineCpu();
  const processes = new BenchCpu(worker.pid);
  const { measurement } = await worker.request(
    { type: 'sweep', ...(expect !== undefined && { expect }) },
    'swept',
  );
  const machineBusy = machine.stop();
  const measured = processes.stop();
  const gateway = process.cpuUsage(gatewayBefore);
  // Without /proc: what the worker and this process count themselves.
  const byRole =
    Object.keys(measured).length > 0
      ? measured
      : { worker: measurement.workerCpuMs, gateway: (gateway.user + gateway.system) / 1000 };
  const cpuMs = Object.values(byRole).reduce((sum, ms) => sum + (ms ?? 0), 0);
  const localAwsMs = cpuMs - (byRole.worker ?? 0);
  const calls = await control.calls();
  const floor = floorMs(calls, options.latency, options.concurrency);
  return {
    ...measurement,
    calls,
    callsPerBucket: callsPerBucket(calls, buckets),
    serviceCallsPerBucket: serviceCallsPerBucket(calls, buckets),
    dynamoWritesPerBucket: dynamoWrites(calls) / buckets,
    floorMs: floor,
    floorRatio: floorRatio(measurement.wallMs, floor),
    bucketsPerSecond: buckets / (measurement.wallMs / 1000),
    cpu: {
      byRole,
      cpuFloorMs: cpuMs / availableParallelism(),
      localAwsFloorMs: localAwsMs / availableParallelism(),
      machineBusy,
    },
  };
}

export function describeSweep(sweep: SweepResult): string {
  const s3 = sweep.serviceCallsPerBucket.s3 ?? 0;
  return (
    `${(sweep.wallMs / 1000).toFixed(1)} s (floor ${(sweep.floorMs / 1000).toFixed(1)} s, ` +
    `×${sweep.floorRatio?.toFixed(2) ?? '–'}), ${s3.toFixed(3)} S3 calls/bucket, ` +
    `${sweep.failed} failed, CPU floor ${(sweep.cpu.cpuFloorMs / 1000).toFixed(1)} s, ` +
    `machine ${Math.round(sweep.cpu.machineBusy * 100)}% busy`
  );
}

/** In-sync sources spread over the estate (every destination, both keys), with their desired configuration. */
function changeTargets(
  estate: SeededEstate,
  count: number,
): { bucket: string; desired: InventoryConfiguration }[] {
  const inSync = estate.plan.sources.filter((source) => source.drift === DriftKind.InSync);
  const step = Math.max(1, Math.floor(inSync.length / count));
  return inSync
    .filter((_, index) => index % step === 0)
    .slice(0, count)
    .map((source) => ({
      bucket: source.bucket,
      desired: asWritten(estate.desired.get(source.bucket)!, estate.account),
    }));
}

/**
 * A declared configuration as the service puts it back: with the destination's `AccountId` (the owner S3
 * checks before delivering; every put carries it, README "Security model"); the bench's destinations are the
 * estate's own account's.
 */
export function asWritten(desired: InventoryConfiguration, account: string): InventoryConfiguration {
  const destination = desired.Destination?.S3BucketDestination;
  if (destination === undefined || destination.AccountId !== undefined) return desired;
  return { ...desired, Destination: { S3BucketDestination: { ...destination, AccountId: account } } };
}
