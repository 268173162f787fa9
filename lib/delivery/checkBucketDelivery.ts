import type { InventoryConfiguration } from '../inventory/index.js';
import { checkDesiredConfigurations } from '../reconcile/desiredConfigurations.js';
import { factsRequestFor } from '../reconcile/factsRequest.js';
import type { ReconcileBucketDeps } from '../reconcile/servicePorts.js';
import type { BucketFacts } from '../reconcile/types.js';
import { checkConfigurationDelivery } from './checkConfigurationDelivery.js';
import { deliveryCause } from './deliveryCause.js';
import type { ChangeHistory, ReportReader } from './ports.js';
import { type DeliveryResult, isHealthy } from './types.js';

export interface BucketDeliveryDeps {
  /** What the reconciler reads: desired state, the bucket's configurations, destination and key facts. */
  reconcile: Pick<ReconcileBucketDeps, 'desired' | 'facts' | 'inventoryFor'>;
  reports: ReportReader;
  history: ChangeHistory;
  now: Date;
}

/**
 * The delivery health of every enabled, valid desired configuration of one bucket, sorted by id. For each
 * one that is not ok, the likely cause is added to its reason, from the same facts the reconciler reads
 * (read once per bucket, and only then). Nothing declared: no results.
 */
export async function checkBucketDelivery(
  bucket: string,
  deps: BucketDeliveryDeps,
): Promise<DeliveryResult[]> {
  const desired = await deps.reconcile.desired.getBucket(bucket);
  if (!desired) return [];
  const enabled = checkDesiredConfigurations(desired).valid.filter((entry) => entry.configuration.IsEnabled);
  if (enabled.length === 0) return [];
  const region = desired.region ?? (await deps.reconcile.facts.bucketRegion(bucket, desired.account));
  const results: DeliveryResult[] = [];
  let seen: Promise<{ actual: InventoryConfiguration[]; facts: BucketFacts }> | undefined;
  for (const entry of enabled) {
    const result = await checkConfigurationDelivery(bucket, entry, { ...deps, region });
    if (!isHealthy(result.status)) {
      seen ??= readBucket(bucket, region, desired, deps.reconcile);
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

async function readBucket(
  bucket: string,
  region: string,
  desired: NonNullable<Awaited<ReturnType<BucketDeliveryDeps['reconcile']['desired']['getBucket']>>>,
  deps: BucketDeliveryDeps['reconcile'],
) {
  const scope = { bucket, region, ...(desired.account !== undefined && { account: desired.account }) };
  const actual = await deps.inventoryFor(scope).list(bucket);
  const facts = await deps.facts.read(factsRequestFor(desired, actual, region));
  return { actual, facts };
}
