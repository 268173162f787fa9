import type { Alert } from '../../core/alerts/types.js';
import type { AuditSink } from '../../core/audit/types.js';
import { type BucketDeliveryStatus, deliveryTransition } from '../../core/delivery/deliveryTransition.js';
import type { DeliveryResult } from '../../core/delivery/types.js';
import type { AccountFailure, MemberBuckets } from '../discovery/memberBuckets.js';
import type { BucketLocation } from '../reconcileBucket/readBucketState.js';
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
  /** Every home-account bucket to check (those the sweep reconciles: the table's, and its templates'). */
  buckets(): Promise<string[]>;
  /**
   * The buckets templates select in member accounts (#18), where they live, and the member accounts whose
   * buckets could not be listed (lib/usecases/discovery/memberBuckets): absent, the home account's only.
   */
  memberBuckets?(): Promise<MemberBuckets>;
  /** A bucket's reads; the check adds where a member bucket lives. */
  depsFor(bucket: string): BucketDeliveryDeps;
  transitions: DeliveryTransitionDeps;
  concurrency?: number;
}

/** What one scheduled check found and sent. */
export interface DeliveryCheckReport extends DeliveryReport {
  alerts: Alert[];
  /** Member accounts whose buckets could not be listed: theirs were not checked, their statuses kept. */
  accountErrors: AccountFailure[];
}

/**
 * The scheduled delivery check (issue #8): checks every bucket the sweep reconciles, the member accounts'
 * too (#18), then records each checked bucket's transition (alerts, audit events, status). A bucket that
 * could not be checked keeps its status, and one whose recording fails is reported with the others still
 * recorded; a member account whose buckets could not be listed is reported and never stops the others.
 */
export async function runDeliveryCheck(deps: DeliveryCheckDeps): Promise<DeliveryCheckReport> {
  const { buckets, locations, accountErrors } = await deliveryTargets(deps);
  const report = await checkBuckets(
    buckets,
    (bucket) => {
      const location = locations.get(bucket);
      return { ...deps.depsFor(bucket), ...(location && { location }) };
    },
    { concurrency: deps.concurrency ?? 8 },
  );
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
      const recorded = await recordDeliveryTransition(
        bucket,
        results,
        deps.transitions,
        locations.get(bucket),
      );
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
  return { ...report, alerts, accountErrors };
}

/**
 * The buckets one check covers: the home account's, then the member accounts' (listed at once), each once;
 * and where each member bucket lives (its account and region: its configurations are read there, its reports
 * in its destination's account, and its alerts name the account). A bucket's status is keyed by its name
 * alone, as a home bucket's: bucket names are global.
 */
async function deliveryTargets(deps: Pick<DeliveryCheckDeps, 'buckets' | 'memberBuckets'>) {
  const [home, members] = await Promise.all([deps.buckets(), deps.memberBuckets?.()]);
  const locations = new Map<string, BucketLocation>(
    (members?.buckets ?? []).map(({ bucket, account, region }) => [bucket, { account, region }]),
  );
  const buckets = [...new Set([...home, ...locations.keys()])];
  return { buckets, locations, accountErrors: members?.failures ?? [] };
}

/**
 * Records one bucket's delivery transition ({@link deliveryTransition}) as every status transition is
 * recorded ({@link recordStatusTransition}): alerts, then audit events, then the status.
 */
function recordDeliveryTransition(
  bucket: string,
  results: readonly DeliveryResult[],
  deps: DeliveryTransitionDeps,
  location: BucketLocation | undefined,
) {
  const deliver = deps.deliverAlerts;
  // A member bucket's alerts say its account and region (#18).
  const where = location && {
    region: location.region,
    ...(location.account !== undefined && { account: location.account }),
  };
  return recordStatusTransition(
    bucket,
    (previous: BucketDeliveryStatus | undefined) =>
      deliveryTransition(previous, bucket, results, { ...deps, ...where }),
    { status: deps.statuses, audit: deps.audit, ...(deliver !== undefined && { deliver }) },
  );
}
