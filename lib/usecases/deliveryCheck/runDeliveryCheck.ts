import type { Alert } from '../../core/alerts/types.js';
import type { DeliveryResult } from '../../core/delivery/types.js';
import {
  type DeliveryTransitionDeps,
  recordDeliveryTransition,
} from '../recordTransition/recordDeliveryTransition.js';
import type { BucketDeliveryDeps } from './checkBucketDelivery.js';
import { checkBuckets, type DeliveryReport } from './checkBuckets.js';

export interface DeliveryCheckDeps {
  /** Every bucket to check (those the sweep reconciles). */
  buckets(): Promise<string[]>;
  depsFor(bucket: string): BucketDeliveryDeps;
  transitions: DeliveryTransitionDeps;
  concurrency?: number;
}

/** What one scheduled check found and sent. */
export interface DeliveryCheckReport extends DeliveryReport {
  alerts: Alert[];
}

/**
 * The scheduled delivery check (issue #8): checks every bucket, then records each checked bucket's
 * transition (alerts, audit events, status). A bucket that could not be checked keeps its status, and one
 * whose recording fails is reported with the others still recorded.
 */
export async function runDeliveryCheck(deps: DeliveryCheckDeps): Promise<DeliveryCheckReport> {
  const buckets = await deps.buckets();
  const report = await checkBuckets(buckets, deps.depsFor, { concurrency: deps.concurrency ?? 8 });
  const failed = new Set(report.errors.map((error) => error.bucket));
  // Grouped once: filtering the whole list per bucket would be quadratic at 10,000 buckets.
  const byBucket = new Map<string, DeliveryResult[]>();
  for (const result of report.results) {
    const list = byBucket.get(result.bucket);
    if (list) list.push(result);
    else byBucket.set(result.bucket, [result]);
  }
  const alerts: Alert[] = [];
  for (const bucket of buckets) {
    if (failed.has(bucket)) continue;
    const results = byBucket.get(bucket) ?? [];
    try {
      alerts.push(...(await recordDeliveryTransition(bucket, results, deps.transitions)));
    } catch (error) {
      report.errors.push({
        bucket,
        message: `recording its delivery status failed: ${(error as Error).message}`,
      });
    }
  }
  return { ...report, alerts };
}
