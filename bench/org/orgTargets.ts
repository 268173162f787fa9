import { dynamoWrites, serviceOf } from '../metrics.js';
import type { CallCounts, SweepResult, TargetVerdict } from '../types.js';
import type { OrgSizeResult } from './orgTypes.js';

/** Issue #18's targets (points 3, 4, 5 and 8), and the limits of the shared policies. */
export const ORG_TARGETS = {
  /** Point 4: the first sweep of 10,000 buckets sharing one destination. */
  firstCallsPerBucket: 8,
  destinationPolicyWrites: 1,
  keyPolicyWrites: 1,
  /** Point 8: steady state as the sweep bench's. */
  steadyS3CallsPerBucket: 1.02,
  /** S3's bucket policy limit and KMS's key policy limit (docs/aws-facts.md). */
  bucketPolicyLimitBytes: 20 * 1024,
  keyPolicyLimitBytes: 32_768,
  atBuckets: 10_000,
} as const;

/** The services the issue asks calls per bucket of, in its order; any other service follows. */
export const ORG_SERVICES = ['s3', 'dynamodb', 'sts', 'sqs', 'organizations', 'kms', 'sns'] as const;

/** The counts of one sweep that the organization's targets read. */
export interface OrgCallFacts {
  /** Every call the gateway counted, per bucket. */
  callsPerBucket: number;
  putBucketPolicy: number;
  putKeyPolicy: number;
  assumeRole: number;
  dynamoWrites: number;
}

/**
 * The facts of one sweep. The estate has one destination, one key and no other bucket or key policy, so
 * every PutBucketPolicy is the destination's and every PutKeyPolicy the key's.
 */
export function orgCallFacts(calls: CallCounts, buckets: number): OrgCallFacts {
  const total = Object.values(calls).reduce((sum, count) => sum + count, 0);
  return {
    callsPerBucket: total / buckets,
    putBucketPolicy: calls['s3.PutBucketPolicy'] ?? 0,
    putKeyPolicy: calls['kms.PutKeyPolicy'] ?? 0,
    assumeRole: calls['sts.AssumeRole'] ?? 0,
    dynamoWrites: dynamoWrites(calls),
  };
}

/** Calls per bucket by service, the services first (0 when none was made). */
export function orgServiceCalls(sweep: SweepResult): [string, number][] {
  const others = Object.keys(sweep.serviceCallsPerBucket)
    .filter((service) => !(ORG_SERVICES as readonly string[]).includes(service))
    .sort();
  return [...ORG_SERVICES, ...others].map((service) => [service, sweep.serviceCallsPerBucket[service] ?? 0]);
}

const fixed = (value: number, digits = 2) => value.toFixed(digits);
const count = (value: number) => value.toLocaleString('en-US');

/** The operations that cost most per bucket, for a note: `s3.PutBucketInventoryConfiguration 0.90, …`. */
function largest(calls: CallCounts, buckets: number, service?: string, top = 4): string {
  return Object.entries(calls)
    .filter(([operation]) => service === undefined || serviceOf(operation) === service)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, top)
    .map(([operation, n]) => `${operation} ${fixed(n / buckets)}`)
    .join(', ');
}

/** "not at 10,000" when the run is smaller than the size: a verdict at another N is a hint only. */
function atSize(size: OrgSizeResult): string {
  return size.buckets === ORG_TARGETS.atBuckets ? '' : ` (measured at N=${count(size.buckets)})`;
}

/** Issue #18's targets, judged on one organization run. */
export function evaluateOrgTargets(size: OrgSizeResult): TargetVerdict[] {
  const first = orgCallFacts(size.first.calls, size.buckets);
  const steady = orgCallFacts(size.steady.calls, size.buckets);
  const bound = size.accounts * size.sandboxes;
  const steadyS3 = size.steady.serviceCallsPerBucket.s3 ?? 0;
  const verdicts: TargetVerdict[] = [
    {
      name: 'First sweep: PutBucketPolicy on the shared destination',
      target: `≤ ${ORG_TARGETS.destinationPolicyWrites}`,
      measured: `${count(first.putBucketPolicy)}${atSize(size)}`,
      met: first.putBucketPolicy <= ORG_TARGETS.destinationPolicyWrites,
      ...(first.putBucketPolicy > ORG_TARGETS.destinationPolicyWrites && {
        note: `${count(first.putBucketPolicy)} writes for ${count(size.accounts)} member accounts: grants are not coalesced per sweep`,
      }),
    },
    {
      name: 'First sweep: PutKeyPolicy on the shared key',
      target: `≤ ${ORG_TARGETS.keyPolicyWrites}`,
      measured: `${count(first.putKeyPolicy)}${atSize(size)}`,
      met: first.putKeyPolicy <= ORG_TARGETS.keyPolicyWrites,
      ...(first.putKeyPolicy > ORG_TARGETS.keyPolicyWrites && {
        note: `${count(first.putKeyPolicy)} writes for ${count(size.accounts)} member accounts: grants are not coalesced per sweep`,
      }),
    },
    {
      name: 'First sweep: AWS calls per bucket, every service',
      target: `≤ ${ORG_TARGETS.firstCallsPerBucket}`,
      measured: `${fixed(first.callsPerBucket)}${atSize(size)}`,
      met: first.callsPerBucket <= ORG_TARGETS.firstCallsPerBucket,
      ...(first.callsPerBucket > ORG_TARGETS.firstCallsPerBucket && {
        note: `${fixed(first.callsPerBucket - ORG_TARGETS.firstCallsPerBucket)} over; the largest: ${largest(size.first.calls, size.buckets)}`,
      }),
    },
    {
      name: 'Steady state: S3 calls per bucket',
      target: `≤ ${ORG_TARGETS.steadyS3CallsPerBucket}`,
      measured: `${fixed(steadyS3, 3)}${atSize(size)}`,
      met: steadyS3 <= ORG_TARGETS.steadyS3CallsPerBucket,
      ...(steadyS3 > ORG_TARGETS.steadyS3CallsPerBucket && {
        note: `${fixed(steadyS3 - ORG_TARGETS.steadyS3CallsPerBucket, 3)} over: ${largest(size.steady.calls, size.buckets, 's3')}`,
      }),
    },
    {
      name: 'Steady state: DynamoDB writes',
      target: '0',
      measured: count(steady.dynamoWrites),
      met: steady.dynamoWrites === 0,
      ...(steady.dynamoWrites > 0 && {
        note: largest(
          Object.fromEntries(
            Object.entries(size.steady.calls).filter(([operation]) => dynamoWrites({ [operation]: 1 }) > 0),
          ),
          size.buckets,
        ),
      }),
    },
    {
      // Credentials last an hour and both sweeps run in the same sandboxes: the bound holds over the two.
      name: 'STS AssumeRole: at most one per account per sandbox',
      target: `≤ ${count(bound)} over both sweeps (${count(size.accounts)} accounts × ${size.sandboxes} sandboxes)`,
      measured: `${count(first.assumeRole + steady.assumeRole)}: first ${count(first.assumeRole)} (${fixed(first.assumeRole / size.accounts, 1)} per account), steady ${count(steady.assumeRole)}`,
      met: first.assumeRole + steady.assumeRole <= bound,
      note: 'the gateway counts calls by operation, not by account: the bound is checked on the total of both sweeps, which run in the same sandboxes within one credential lifetime',
    },
    {
      name: "Destination policy after the first sweep, against S3's 20 KB",
      target: `≤ ${count(ORG_TARGETS.bucketPolicyLimitBytes)} bytes`,
      measured: `${count(size.policies.destinationBytes)} bytes (${size.policies.destinationStatements} statement${size.policies.destinationStatements === 1 ? '' : 's'}, ${count(size.policies.grantedAccounts)} accounts granted)`,
      met: size.policies.destinationBytes <= ORG_TARGETS.bucketPolicyLimitBytes,
    },
    {
      name: "Key policy after the first sweep, against KMS's 32 KB",
      target: `≤ ${count(ORG_TARGETS.keyPolicyLimitBytes)} bytes`,
      measured: `${count(size.policies.keyBytes)} bytes (${size.policies.keyStatements} statements)`,
      met: size.policies.keyBytes <= ORG_TARGETS.keyPolicyLimitBytes,
    },
    convergence(size),
  ];
  return verdicts;
}

/** Not a number of the issue, but what makes the others mean anything: the sweep did its work, no more. */
function convergence(size: OrgSizeResult): TargetVerdict {
  const { checks } = size;
  const unsettled = size.first.unsettled ?? 0;
  const problems = [
    checks.notConverged.length > 0 &&
      `not converged: ${checks.notConverged.slice(0, 5).join(', ')}${checks.notConverged.length > 5 ? ', …' : ''}`,
    checks.untaggedTouched.length > 0 &&
      `untagged but touched: ${checks.untaggedTouched.slice(0, 5).join(', ')}`,
    unsettled > 0 && `${count(unsettled)} bucket messages of the first sweep never settled`,
  ].filter((problem): problem is string => typeof problem === 'string');
  return {
    name: 'Every sampled bucket converged after the first sweep; no untagged bucket touched',
    target: 'all; none',
    measured: `${count(checks.sampled - checks.notConverged.length)} of ${count(checks.sampled)} sampled; ${checks.untaggedTouched.length} of ${checks.untagged} untagged touched`,
    met: problems.length === 0,
    ...(problems.length > 0 && { note: problems.join('; ') }),
  };
}
