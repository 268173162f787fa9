import type { ProcessRole } from './processCpu.js';

/** Calls counted by the gateway, keyed `service.Operation` (Contract: `GET /_local/calls`). */
export type CallCounts = Record<string, number>;

/** Injected latency per service (`s3`, `kms`, `dynamodb`), in milliseconds. */
export type LatencyByService = Record<string, number>;

/** What `npm run bench` was asked to do. */
export interface BenchOptions {
  sizes: number[];
  /** In-process reconcile workers (each its own sandbox: a module instance of functions/reconcile). */
  concurrency: number;
  latency: LatencyByService;
  /** Where results.md, results.json and sweep.svg go. */
  outDir: string;
  /** Hand-made changes timed on the event-driven path (per size). */
  changes: number;
  quick: boolean;
  /** One more size run with every latency multiplied, so that the calls' latency, not the cores, bounds it. */
  latencyCheck?: LatencyCheckOptions;
  /** #18 point 8: an organization estate (`--accounts A --buckets N`), measured by bench/org. */
  organization?: OrganizationBenchOptions;
}

/** `--accounts 50 --buckets 10000`: N buckets over A member accounts sharing one destination and one key. */
export interface OrganizationBenchOptions {
  accounts: number;
  buckets: number;
}

/** `--latency-check 1000x10`: N = 1,000 with every injected latency ×10. */
export interface LatencyCheckOptions {
  buckets: number;
  factor: number;
}

/** Machine facts recorded with the results. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryMiB: number;
  /** Free memory when the run started. */
  freeMemoryMiB: number;
  node: string;
  platform: string;
  /** 1, 5 and 15 minute load averages when the run started. */
  loadAverage: [number, number, number];
}

/** CPU spent during a sweep, and how busy the whole machine was. */
export interface CpuUsage {
  /**
   * CPU ms per process of the bench: `worker` (the handlers and their SDK clients), `gateway` (the main
   * process, where the local AWS's gateway runs), `moto`, `dynamodb-local`, `other`. From /proc; where
   * there is none, only the worker's and the gateway's own counts.
   */
  byRole: Partial<Record<ProcessRole, number>>;
  /** Σ byRole ÷ cores: the least wall time this machine needed for the sweep's work. */
  cpuFloorMs: number;
  /**
   * The local AWS's share of that (gateway, moto, DynamoDB Local, other ÷ cores): in AWS none of it runs on
   * the handlers' cores. Above the latency floor, the sweep cannot reach the floor on this machine.
   */
  localAwsFloorMs: number;
  /** Busy share of all cores of the machine during the sweep (0–1; other sessions' work included). */
  machineBusy: number;
}

/** One sweep as the worker measured it. */
export interface SweepMeasurement {
  /** From the schedule invocation to the last message deleted. */
  wallMs: number;
  /** The schedule invocation alone (scan of the table, SendMessageBatch). */
  scheduleMs: number;
  /**
   * Messages handed to the reconcile handler, and those it reported in `batchItemFailures` (each failure
   * is received again at once, up to the redrive limit).
   */
  messages: number;
  failed: number;
  /** Messages of this sweep that failed their last receive before the DLQ. */
  givenUp: number;
  /** Messages of this sweep delivered more than once (SQS is at-least-once; so is moto). */
  duplicates: number;
  /** Reconcile handler invocations (SQS batches). */
  invocations: number;
  /** Highest RSS sampled every 100 ms during the sweep, in MiB. */
  sampledPeakRssMiB: number;
  /** Heap in use after a full GC at the end of the sweep, in MiB: what the worker keeps, not its garbage. */
  retainedHeapMiB: number;
  workerCpuMs: number;
  /** With a discovery queue (#18, bench/org): the discover function's part of the sweep. */
  discovery?: DiscoveryMeasurement;
  /**
   * Bucket messages the sweep was asked to wait for beyond the schedule's own (those discovery enqueues),
   * and how many of all it expected never settled (it then ended once the queue stayed idle).
   */
  expected?: number;
  unsettled?: number;
}

/** The discovery fan-out of one sweep: one message per member account, handled by `discover`. */
export interface DiscoveryMeasurement {
  /** Member accounts the schedule enqueued for discovery. */
  accounts: number;
  /** Discovery messages handed to `discover`, those it failed, and those given up on (last receive). */
  messages: number;
  failed: number;
  givenUp: number;
  /** From the schedule invocation until the last account's discovery settled. */
  settledMs: number;
}

/** One sweep with the gateway's counts and the numbers derived from them. */
export interface SweepResult extends SweepMeasurement {
  calls: CallCounts;
  callsPerBucket: CallCounts;
  /** Per service: `s3`, `kms`, `dynamodb`, `sqs`, `sns`, `sts`. */
  serviceCallsPerBucket: Record<string, number>;
  dynamoWritesPerBucket: number;
  floorMs: number;
  /** wall ÷ floor; undefined when nothing had latency. */
  floorRatio: number | undefined;
  bucketsPerSecond: number;
  cpu: CpuUsage;
}

/** The hand-made changes of one size and how long each took to be reverted. */
export interface EventLatencyResult {
  changes: number;
  /** Milliseconds from the change's response to the read that shows it reverted, per reverted change. */
  revertMs: number[];
  /** Changes not reverted within the timeout. */
  timedOut: number;
  medianMs: number | undefined;
  p95Ms: number | undefined;
}

/** Everything measured at one N. */
export interface SizeResult {
  buckets: number;
  /** Source buckets per drift kind, as seeded. */
  mix: Record<string, number>;
  /** What bench/moto/sitecustomize.py reported: `applied to moto 5.2.1`, or why it was skipped. */
  motoPatch: string;
  seedMs: number;
  first: SweepResult;
  /**
   * The sweep between the first and the steady one: it sends the first sweep's summaries (#18 point 4: one
   * alert per run and account, its `#adoption` item deleted), so the steady sweep has nothing left to say.
   */
  settle?: SweepResult;
  steady: SweepResult;
  /** Peak RSS of the worker process over its life (getrusage `ru_maxrss`), in MiB. */
  peakRssMiB: number;
  events: EventLatencyResult;
}

/** One Lambda bundle: size, init time and how much of it zod is. */
export interface BundleResult {
  name: string;
  kib: number;
  /** Median import time of the bundle in a fresh node (scripts/build.mjs). */
  initMs: number;
  /** Bytes of node_modules/zod in the bundle (esbuild metafile). */
  zodKib: number;
  /**
   * Median import time of a bundle of zod and the modules of this function that build schemas with it,
   * and of the function's bundle imported in turn with it (same load: their ratio is zod's share).
   */
  zodInitMs: number;
  pairedInitMs: number;
  /** RSS of a fresh node once the bundle is imported (median): one sandbox's memory before any work. */
  initRssMiB: number;
  /** The largest packages in the bundle (esbuild metafile), KiB, largest first. */
  largestPackagesKib: Record<string, number>;
}

/** One target of issue #7 and whether the run met it. */
export interface TargetVerdict {
  name: string;
  target: string;
  measured: string;
  /** undefined: not measured in this run (e.g. no size of 10,000). */
  met: boolean | undefined;
  /** How far off, when missed; what was measured instead, when not measured. */
  note?: string;
  /** Missed for a reason outside the code (this machine), shown by the note. */
  hardLimit?: boolean;
}

/** The latency-bound check: one size with every latency multiplied. */
export interface LatencyCheckResult {
  factor: number;
  latency: LatencyByService;
  size: SizeResult;
}

/** The whole run: what results.json holds. */
export interface BenchResults {
  version: 1;
  startedAt: string;
  durationMs: number;
  options: BenchOptions;
  machine: MachineInfo;
  sizes: SizeResult[];
  bundles: BundleResult[];
  latencyCheck?: LatencyCheckResult;
  targets: TargetVerdict[];
}
