import type { InventoryConfiguration } from '../../core/inventory/types.js';
import { isRecord } from '../../core/json/isRecord.js';
import { deliveryTargetsOf } from '../../core/reconcile/deliveryTargets.js';
import type { BucketFactsRequest, DestinationRequest, StoredDesiredBucket } from '../ports.js';

/**
 * The facts to read for one source: every destination bucket and KMS key named by a desired OR an actual
 * configuration. Desired ones are checked and granted; actual ones are what a revoke needs to see.
 * Desired items are not validated yet: anything without a readable destination is passed over.
 */
export function factsRequestFor(
  desired: StoredDesiredBucket,
  actual: readonly InventoryConfiguration[],
  region: string,
): BucketFactsRequest {
  const destinations = new Map<string, DestinationRequest>();
  const keys = new Set<string>();
  const configurations = [
    ...desired.items.map((item) => item.configuration).filter(isRecord),
    ...actual,
  ] as InventoryConfiguration[];
  for (const configuration of configurations) {
    const targets = safeTargetsOf(configuration);
    if (!targets) continue;
    const account = configuration.Destination?.S3BucketDestination?.AccountId;
    if (!destinations.has(targets.destinationBucket)) {
      destinations.set(
        targets.destinationBucket,
        typeof account === 'string' && account !== ''
          ? { bucket: targets.destinationBucket, account }
          : { bucket: targets.destinationBucket },
      );
    }
    if (targets.keyArn !== undefined) keys.add(targets.keyArn);
  }
  const request: BucketFactsRequest = {
    bucket: desired.bucket,
    region,
    destinations: [...destinations.values()].sort((a, b) => compare(a.bucket, b.bucket)),
    keys: [...keys].sort(compare),
  };
  if (desired.account !== undefined) request.account = desired.account;
  return request;
}

/** deliveryTargetsOf for an unvalidated configuration: a malformed one has no targets. */
function safeTargetsOf(configuration: InventoryConfiguration) {
  try {
    const targets = deliveryTargetsOf(configuration);
    return targets && typeof targets.keyArn !== 'object' ? targets : undefined;
  } catch {
    return undefined;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
