import { compareCodeUnits } from '../json/compareCodeUnits.js';
import type { GrantTarget } from '../policy/types.js';
import type { ReachedPolicy } from './types.js';

/** What can be wrong with a policy the grant step keeps: one condition, its write failing for good. */
export type GrantCondition = 'grant-failed';

/** One condition that holds (as an account's: lib/core/accounts/accountStatus). */
export interface GrantConditionStatus {
  /** What exactly is wrong (the error code, not the message): a change re-alerts. */
  fingerprint: string;
  /** ISO 8601 UTC: since when the condition holds unchanged. */
  since: string;
  /** ISO 8601 UTC: when its last alert was sent. */
  lastAlertAt: string;
  /** One line, as the alert said it. */
  summary: string;
  /** The error code (`AccessDenied`, `PolicyWriteRefusedError`, `PolicyUnreadable`, …). */
  code: string;
}

/** The grant step's status of one policy, kept in its `#grants` item (versioned, as every status). */
export interface GrantStatus {
  /** The record's id ({@link grantRecordId}). */
  id: string;
  state: 'ok' | 'failing';
  /** ISO 8601 UTC: since when `state` holds. */
  since: string;
  conditions: Partial<Record<GrantCondition, GrantConditionStatus>>;
  /** The run that last changed it. */
  runId: string;
  /** Written only if the stored version is `version - 1` (absent for 1). */
  version: number;
}

/**
 * What the schedule's grant step keeps of one destination bucket policy or key policy (#18): where our
 * statement is (so that it can be pruned once no declaration names the policy any more) and the step's own
 * status there. One per destination and key, never one per bucket.
 */
export interface GrantRecord {
  target: GrantTarget;
  /** The destination bucket, or the key ARN. */
  name: string;
  /** The destination's owner (its ExpectedBucketOwner), or the key's account. */
  account: string;
  partition: string;
  /** The audit chain of its writes: the destination bucket, or for a key the first destination it served. */
  home: string;
  /** Where the destination is (learned from its facts): read there without a HeadBucket. */
  region?: string;
  /** Whether the last declarations that reached it enforced (a prune runs in the same mode). */
  enforce: boolean;
  /** Our statement is in the policy (written or found by the step): pruned once nothing names the policy. */
  managed: boolean;
  /** Absent while the step never failed there for good. */
  status?: GrantStatus;
}

/** The id of a policy's record in the `#grants` partition: `destination:<bucket>` or `key:<arn>`. */
export function grantRecordId(target: GrantTarget, name: string): string {
  return `${target === 'key-policy' ? 'key' : 'destination'}:${name}`;
}

/**
 * The alert `bucket` and audit chain of the step's own failures on a policy: the destination bucket's name,
 * or `#key:<arn>` for a key (`#` starts no bucket name, as `#account:<id>` and `#templates`).
 */
export function grantSubject(target: GrantTarget, name: string): string {
  return target === 'key-policy' ? `#key:${name}` : name;
}

/**
 * The policies the step wrote our statement to and that no declaration names any more (#18): each as a
 * reached policy with no delivery, so that the plan removes our statement (a prune). Only `managed` records
 * count; the caller asks only with a complete catalog. Sorted as the reach is: destinations, then keys.
 */
export function unnamedPolicies(
  records: readonly GrantRecord[],
  reached: readonly ReachedPolicy[],
): ReachedPolicy[] {
  const named = new Set(reached.map((policy) => grantRecordId(policy.target, policy.name)));
  return records
    .filter((record) => record.managed && !named.has(grantRecordId(record.target, record.name)))
    .sort((a, b) => order(a) - order(b) || compareCodeUnits(a.name, b.name))
    .map((record) => ({
      target: record.target,
      name: record.name,
      partition: record.partition,
      deliveries: [],
      ...(record.target === 'destination-policy' && { owner: record.account }),
      destinations: [record.home],
      sourceRegions: record.region === undefined ? [] : [record.region],
      unnamed: { enforce: record.enforce },
    }));
}

function order(record: GrantRecord): number {
  return record.target === 'destination-policy' ? 0 : 1;
}
