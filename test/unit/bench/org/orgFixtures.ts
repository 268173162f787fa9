import type { OrgBenchResults, OrgSizeResult } from '../../../../bench/org/orgTypes.js';
import type { CallCounts } from '../../../../bench/types.js';
import { makeSweep } from '../benchFixtures.js';

/** A sweep over `buckets` whose per-bucket figures follow `calls`, as runSize derives them. */
export function orgSweep(buckets: number, calls: CallCounts) {
  const services: Record<string, number> = {};
  for (const [operation, n] of Object.entries(calls)) {
    const service = operation.slice(0, operation.indexOf('.'));
    services[service] = (services[service] ?? 0) + n / buckets;
  }
  return makeSweep(buckets, {
    calls,
    callsPerBucket: Object.fromEntries(Object.entries(calls).map(([op, n]) => [op, n / buckets])),
    serviceCallsPerBucket: services,
  });
}

/** 10,000 buckets over 50 accounts that met every target. */
export function makeOrgSize(overrides: Partial<OrgSizeResult> = {}): OrgSizeResult {
  const buckets = 10_000;
  return {
    accounts: 50,
    buckets,
    mix: { missing: 7_000, changed: 2_000, ungranted: 1_000 },
    sandboxes: 9,
    motoPatch: 'applied to moto 5.2.1',
    seedMs: 60_000,
    first: orgSweep(buckets, {
      's3.ListBucketInventoryConfigurations': 10_000,
      's3.PutBucketInventoryConfiguration': 9_000,
      's3.PutBucketPolicy': 1,
      'kms.PutKeyPolicy': 1,
      'sts.AssumeRole': 100,
      'dynamodb.Query': 20_000,
      'dynamodb.PutItem': 30_000,
      'sqs.ReceiveMessage': 1_000,
    }),
    steady: orgSweep(buckets, {
      's3.ListBucketInventoryConfigurations': 10_000,
      's3.ListBuckets': 50,
      'dynamodb.Query': 10_000,
      'sts.AssumeRole': 0,
      'organizations.ListAccountsForParent': 4,
    }),
    peakRssMiB: 210,
    policies: {
      destinationBytes: 1_400,
      destinationStatements: 1,
      grantedAccounts: 50,
      keyBytes: 1_500,
      keyStatements: 2,
    },
    checks: { sampled: 200, notConverged: [], untagged: 50, untaggedTouched: [] },
    ...overrides,
  };
}

export function makeOrgResults(
  size = makeOrgSize(),
  targets: OrgBenchResults['targets'] = [],
): OrgBenchResults {
  return {
    version: 1,
    startedAt: '2026-12-06T19:00:00.000Z',
    durationMs: 600_000,
    options: { accounts: size.accounts, buckets: size.buckets, concurrency: 8, latency: { s3: 20 } },
    machine: {
      cpuModel: 'AMD EPYC',
      cores: 2,
      memoryMiB: 24_000,
      freeMemoryMiB: 20_000,
      node: 'v20.20.2',
      platform: 'linux x64',
      loadAverage: [1, 2, 3],
    },
    size,
    targets,
  };
}
