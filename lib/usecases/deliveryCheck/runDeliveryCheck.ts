import type { Alert } from '../../core/alerts/types.js';
import type { AuditSink } from '../../core/audit/types.js';
import { type BucketDeliveryStatus, deliveryTransition } from '../../core/delivery/deliveryTransition.js';
import type { DeliveryResult } from '../../core/delivery/types.js';
import type { DeliveryReport as AlertDelivery } from '../recordTransition/deliverAlerts.js';
import { recordStatusTransition, type StatusPort } from '../recordTransition/recordStatusTransition.js';
import type { BucketDeliveryDeps } from './checkBucketDelivery.js';
import { checkBuckets, type DeliveryReport } from './checkBuckets.js';

/** Where a bucket's delivery health is kept between checks. */
export type DeliveryStatusStore = StatusPort<BucketDeliveryStatus>;

/** What recording a bucket's delivery transition needs, and who runs. */
export interface DeliveryTransitionDeps {
  statuses: DeliveryStatusStore;
  audit: AuditSink;
  /** Sends the alerts (SNS, else the outbox); absent: transitions are recorded, nothing is sent. */
  deliverAlerts?: (alerts: readonly Alert[]) => Promise<AlertDelivery>;
  now: Date;
  runId: string;
  actor: string;
  reminderMs: number;
}

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
      const recorded = await recordDeliveryTransition(bucket, results, deps.transitions);
      alerts.push(...recorded.alerts);
      if (recorded.statusError !== undefined) {
        report.errors.push({
          bucket,
          message: `recording its delivery status failed: ${recorded.statusError}`,
        });
      }
    } catch (error) {
      report.errors.push({
        bucket,
        message: `recording its delivery status failed: ${(error as Error).message}`,
      });
    }
  }
  return { ...report, alerts };
}

/**
 * Records one bucket's delivery transition ({@link deliveryTransition}) as every status transition is
 * recorded ({@link recordStatusTransition}): alerts, then audit events, then the status.
 */
function recordDeliveryTransition(
  bucket: string,
  results: readonly DeliveryResult[],
  deps: DeliveryTransitionDeps,
) {
  const deliver = deps.deliverAlerts;
  return recordStatusTransition(
    bucket,
    (previous: BucketDeliveryStatus | undefined) => deliveryTransition(previous, bucket, results, deps),
    { status: deps.statuses, audit: deps.audit, ...(deliver !== undefined && { deliver }) },
  );
}
