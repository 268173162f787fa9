import type {
  LatencyByService,
  MachineInfo,
  OrganizationBenchOptions,
  SweepResult,
  TargetVerdict,
} from '../types.js';

/** The shared destination's and key's policies after the first sweep, read as their owner. */
export interface SharedPolicies {
  /** Bytes of the destination bucket policy (UTF-8), and its statements. */
  destinationBytes: number;
  destinationStatements: number;
  /** Source accounts the destination's statements name (`aws:SourceAccount`), distinct. */
  grantedAccounts: number;
  /** Bytes of the key policy (UTF-8), and its statements. */
  keyBytes: number;
  keyStatements: number;
}

/** What the bench checked after the first sweep, as each bucket's owner reads it. */
export interface ConvergenceChecks {
  /** Tagged buckets read back (spread over every account), and those without the declared report. */
  sampled: number;
  notConverged: string[];
  /** Untagged buckets (one per account) read back, and those that got any configuration. */
  untagged: number;
  untaggedTouched: string[];
}

/** Everything measured over one organization estate. */
export interface OrgSizeResult {
  accounts: number;
  /** Tagged buckets the template selects (N). */
  buckets: number;
  /** Tagged buckets per drift kind, as seeded. */
  mix: Record<string, number>;
  /** Reconcile sandboxes plus the one discover sandbox: the AssumeRole bound is accounts × this. */
  sandboxes: number;
  motoPatch: string;
  seedMs: number;
  first: SweepResult;
  /** The sweep that sends the first sweep's summaries (#18 point 4), before the steady sweep is measured. */
  settle?: SweepResult;
  steady: SweepResult;
  /** Peak RSS of the worker process over its life (getrusage `ru_maxrss`), in MiB. */
  peakRssMiB: number;
  policies: SharedPolicies;
  checks: ConvergenceChecks;
}

/** What `org-results.json` holds. */
export interface OrgBenchResults {
  version: 1;
  startedAt: string;
  durationMs: number;
  options: OrganizationBenchOptions & { concurrency: number; latency: LatencyByService };
  machine: MachineInfo;
  size: OrgSizeResult;
  targets: TargetVerdict[];
}
