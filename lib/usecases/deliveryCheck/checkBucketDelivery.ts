import { deliveryCause } from '../../core/delivery/deliveryCause.js';
import { type DeliveryResult, isHealthy } from '../../core/delivery/types.js';
import { AccountNotAllowedError } from '../../core/reconcile/allowedAccounts.js';
import { checkDesiredConfigurations } from '../../core/reconcile/desiredConfigurations.js';
import type { ReconcileBucketDeps } from '../ports.js';
import {
  type BucketLocation,
  type BucketState,
  readActualState,
  readBucketTarget,
} from '../reconcileBucket/readBucketState.js';
import { checkConfigurationDelivery } from './checkConfigurationDelivery.js';
import type { ChangeHistory, ReportReader } from './ports.js';

export interface BucketDeliveryDeps {
  /** What the reconciler reads: desired state, the bucket's configurations, destination and key facts. */
  reconcile: Pick<ReconcileBucketDeps, 'desired' | 'facts' | 'inventoryFor' | 'allowedAccounts'>;
  reports: ReportReader;
  history: ChangeHistory;
  now: Date;
  /** Where discovery found the bucket (a member account's, #18): its templates resolve there. */
  location?: BucketLocation;
}

/**
 * The delivery health of every enabled, valid desired configuration of one bucket, sorted by id. For each
 * one that is not ok, the likely cause is added to its reason, from the same facts the reconciler reads
 * (its read step, once per bucket, and only then). Nothing declared: no results.
 */
export async function checkBucketDelivery(
  bucket: string,
  deps: BucketDeliveryDeps,
): Promise<DeliveryResult[]> {
  let target: Awaited<ReturnType<typeof readBucketTarget>>;
  try {
    target = await readBucketTarget(bucket, deps.reconcile, deps.location && { location: deps.location });
  } catch (error) {
    // A bucket in an account that is not allowed is not looked at; its reconcile reports it.
    if (error instanceof AccountNotAllowedError) return [];
    throw error;
  }
  if (!target) return [];
  const enabled = checkDesiredConfigurations(target.desired).valid.filter(
    (entry) => entry.configuration.IsEnabled,
  );
  const results: DeliveryResult[] = [];
  let seen: Promise<BucketState> | undefined;
  for (const entry of enabled) {
    const { region, account } = target.scope;
    const result = await checkConfigurationDelivery(bucket, entry, {
      ...deps,
      region,
      ...(account !== undefined && { account }),
    });
    if (!isHealthy(result.status)) {
      seen ??= readActualState(target, deps.reconcile);
      const { actual, facts } = await seen;
      const cause = deliveryCause(
        entry,
        actual.find((configuration) => configuration.Id === entry.id),
        facts,
      );
      if (cause !== undefined) result.reason = `${result.reason}; likely cause: ${cause}`;
    }
    results.push(result);
  }
  return results;
}
