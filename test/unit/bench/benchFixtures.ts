import type {
  BenchResults,
  BundleResult,
  CallCounts,
  EventLatencyResult,
  SizeResult,
  SweepResult,
} from '../../../bench/types.js';

/** A sweep with fixed numbers; `calls` decides the per-bucket figures the way runSize derives them. */
export function makeSweep(buckets: number, overrides: Partial<SweepResult> = {}): SweepResult {
  const calls: CallCounts = overrides.calls ?? {
    's3.ListBucketInventoryConfigurations': buckets,
    'dynamodb.Query': buckets,
  };
  return {
    wallMs: buckets * 10,
    scheduleMs: 100,
    messages: buckets,
    failed: 0,
    givenUp: 0,
    duplicates: 0,
    invocations: Math.ceil(buckets / 10),
    sampledPeakRssMiB: 150,
    retainedHeapMiB: 60,
    workerCpuMs: buckets * 4,
    calls,
    callsPerBucket: Object.fromEntries(Object.entries(calls).map(([op, n]) => [op, n / buckets])),
    serviceCallsPerBucket: { s3: (calls['s3.ListBucketInventoryConfigurations'] ?? 0) / buckets },
    dynamoWritesPerBucket: 0,
    floorMs: buckets * 5,
    floorRatio: 2,
    bucketsPerSecond: 100,
    cpu: {
      byRole: { worker: buckets * 4, gateway: buckets * 2 },
      cpuFloorMs: buckets * 3,
      localAwsFloorMs: buckets,
      machineBusy: 0.5,
    },
    ...overrides,
  };
}

export function makeEvents(revertMs: number[] = [100, 200, 300]): EventLatencyResult {
  return { changes: revertMs.length, revertMs, timedOut: 0, medianMs: 200, p95Ms: 300 };
}

export function makeSize(buckets: number, overrides: Partial<SizeResult> = {}): SizeResult {
  return {
    buckets,
    mix: { 'in-sync': buckets },
    motoPatch: 'applied to moto 5.2.1',
    seedMs: 1_000,
    first: makeSweep(buckets, { wallMs: buckets * 20 }),
    steady: makeSweep(buckets),
    peakRssMiB: 160,
    events: makeEvents(),
    ...overrides,
  };
}

export function makeBundle(name: string, overrides: Partial<BundleResult> = {}): BundleResult {
  return {
    name,
    kib: 1_200,
    initMs: 120,
    zodKib: 444,
    zodInitMs: 40,
    pairedInitMs: 120,
    initRssMiB: 70,
    largestPackagesKib: { '@aws-sdk/client-s3': 300, zod: 444 },
    ...overrides,
  };
}

export function makeResults(overrides: Partial<BenchResults> = {}): BenchResults {
  return {
    version: 1,
    startedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 90_000,
    options: {
      sizes: [100, 1_000],
      concurrency: 8,
      latency: { s3: 20, kms: 15, dynamodb: 10 },
      outDir: 'bench',
      changes: 3,
      quick: true,
    },
    machine: {
      cpuModel: 'Test CPU',
      cores: 2,
      memoryMiB: 4_096,
      freeMemoryMiB: 2_048,
      node: 'v20.0.0',
      platform: 'linux x64',
      loadAverage: [0.5, 0.4, 0.3],
    },
    sizes: [makeSize(100), makeSize(1_000)],
    bundles: [makeBundle('reconcile')],
    targets: [],
    ...overrides,
  };
}
