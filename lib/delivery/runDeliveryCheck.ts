import type { Alert } from '../alerts/types.js';
import type { BucketDeliveryDeps } from './checkBucketDelivery.js';
import { checkBuckets, type DeliveryReport } from './checkBuckets.js';
import { type DeliveryTransitionDeps, recordDeliveryTransition } from './recordDeliveryTransition.js';

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
  const alerts: Alert[] = [];
  for (const bucket of buckets) {
    if (failed.has(bucket)) continue;
    const results = report.results.filter((result) => result.bucket === bucket);
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
