import {
  type BucketCondition,
  BucketState,
  type BucketStatus,
  type ConditionStatus,
} from '../core/alerts/bucketStatus.js';
import { compareCodeUnits } from '../core/json/compareCodeUnits.js';
import type { BucketStatusView, StatusResponse } from './types.js';

/** A bucket's status as the API shows it: what holds and since when, not the alert bookkeeping. */
export function statusView(status: BucketStatus): BucketStatusView {
  const conditions: BucketStatusView['conditions'] = {};
  const held = Object.entries(status.conditions) as [BucketCondition, ConditionStatus | undefined][];
  for (const [name, condition] of held) {
    if (condition) conditions[name] = { since: condition.since, summary: condition.summary };
  }
  return { bucket: status.bucket, state: status.state, since: status.since, runId: status.runId, conditions };
}

/** `GET /status`: every bucket sorted by name, and how many are in each state (every state named, 0 too). */
export function statusResponse(statuses: readonly BucketStatus[]): StatusResponse {
  const buckets = statuses.map(statusView).sort((a, b) => compareCodeUnits(a.bucket, b.bucket));
  const counts = Object.fromEntries(Object.values(BucketState).map((state) => [state, 0])) as Record<
    BucketState,
    number
  >;
  for (const bucket of buckets) counts[bucket.state] += 1;
  return { version: 1, buckets, counts };
}
