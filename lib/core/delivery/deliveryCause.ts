import type { InventoryConfiguration } from '../inventory/types.js';
import { checkDelivery, TARGET_RULES } from '../reconcile/deliveryChecks.js';
import type { DesiredConfiguration } from '../reconcile/desiredConfigurations.js';
import type { BucketFacts } from '../reconcile/types.js';

/**
 * The most likely reason a configuration's reports do not arrive, from the facts the reconciler sees:
 * the configuration is gone or disabled on the bucket, or the destination or key cannot take the
 * delivery (missing, another region, disabled key, a policy that no longer allows it). Undefined when
 * every check passes (then S3 itself is late). Pure.
 */
export function deliveryCause(
  desired: DesiredConfiguration,
  actual: InventoryConfiguration | undefined,
  facts: BucketFacts,
): string | undefined {
  if (actual === undefined) return `configuration ${desired.id} is not on bucket ${facts.bucket}`;
  if (actual.IsEnabled === false) return `configuration ${desired.id} is disabled on bucket ${facts.bucket}`;
  // What S3 uses is the actual configuration: check the delivery it makes, as the planner would.
  const check = checkDelivery([{ ...desired, configuration: actual }], facts);
  const finding = check.findings[0];
  if (finding !== undefined) return finding.message;
  const need = check.needs[0];
  if (need !== undefined) {
    const { label } = TARGET_RULES[need.target];
    return `the ${label} ${need.name} policy does not allow delivery from ${facts.bucket} (configuration ${desired.id})`;
  }
  return undefined;
}
