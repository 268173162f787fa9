import type { DesiredBucket } from '../desired/types.js';
import type { ConfigurationDrift, InventoryConfiguration } from '../inventory/types.js';
import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { deliveryTargetsOf } from './deliveryTargets.js';
import type { DesiredConfiguration } from './desiredConfigurations.js';
import { grantKey } from './grantActions.js';
import type { ConfigurationAction } from './types.js';

/** Which configurations the trust boundary holds back (lib/core/reconcile/destinationTrust). */
export interface TrustHolds {
  /** Desired configurations that may not be put (a finding says why). */
  refused: ReadonlySet<string>;
  /** Present configurations whose destination fails the boundary. */
  untrusted: ReadonlySet<string>;
  actual: readonly InventoryConfiguration[];
}

const NO_HOLDS: TrustHolds = { refused: new Set(), untrusted: new Set(), actual: [] };

/**
 * Turns configuration drift into actions: create for missing, update for changed (both put the
 * normalized desired configuration, after the grants it needs), delete for unmanaged when the bucket
 * opts into prune. A refused configuration is never put; where the bucket opts into prune, its present
 * version is deleted when that one's destination fails the boundary too (it may be exporting there now).
 * Returns creates and updates by id, then deletes by id.
 */
export function planConfigurationActions(
  desired: DesiredBucket,
  valid: DesiredConfiguration[],
  drift: ConfigurationDrift[],
  grantKeys: ReadonlySet<string>,
  holds: TrustHolds = NO_HOLDS,
): ConfigurationAction[] {
  const validById = new Map(valid.map((entry) => [entry.id, entry]));
  const puts: ConfigurationAction[] = [];
  const deletes: ConfigurationAction[] = [];
  for (const entry of drift) {
    if (entry.kind === 'unmanaged') {
      if (desired.prune) deletes.push(deleteAction(desired, entry.id, entry.actual));
      continue;
    }
    if (holds.refused.has(entry.id)) continue;
    const wanted = validById.get(entry.id)!;
    const base = {
      id: entry.id,
      mode: wanted.mode,
      dependsOn: grantsUsedBy(wanted.configuration, grantKeys),
      after: wanted.configuration,
    };
    if (entry.kind === 'missing') {
      const reason = `Configuration ${entry.id} is declared for ${desired.bucket} but not present`;
      puts.push({ ...base, kind: 'create-configuration', key: `create-configuration:${entry.id}`, reason });
    } else {
      const paths = entry.fields.map((field) => field.path).join(', ');
      const reason = `Configuration ${entry.id} on ${desired.bucket} differs from its declaration in ${paths}`;
      puts.push({
        ...base,
        kind: 'update-configuration',
        key: `update-configuration:${entry.id}`,
        reason,
        before: entry.actual,
        fields: entry.fields,
      });
    }
  }
  if (desired.prune) {
    for (const present of holds.actual) {
      const id = present.Id;
      if (id !== undefined && holds.refused.has(id) && holds.untrusted.has(id)) {
        const reason = `Configuration ${id} on ${desired.bucket} delivers to a destination that fails the trust boundary and the bucket opts into prune`;
        deletes.push({ ...deleteAction(desired, id, present), reason });
      }
    }
    deletes.sort((a, b) => compareCodeUnits(a.id, b.id));
  }
  // diffConfigurations lists drift by Id, so puts already are.
  return [...puts, ...deletes];
}

function deleteAction(
  desired: DesiredBucket,
  id: string,
  actual: InventoryConfiguration,
): ConfigurationAction {
  return {
    kind: 'delete-configuration',
    key: `delete-configuration:${id}`,
    id,
    mode: desired.mode,
    dependsOn: [],
    reason: `Configuration ${id} on ${desired.bucket} is not declared and the bucket opts into prune`,
    before: actual,
  };
}

/** Keys of the planned grants this configuration's delivery relies on. */
function grantsUsedBy(configuration: InventoryConfiguration, grantKeys: ReadonlySet<string>): string[] {
  const targets = deliveryTargetsOf(configuration);
  if (!targets) return [];
  const candidates = [grantKey('destination-policy', targets.destinationBucket)];
  if (targets.keyArn !== undefined) candidates.push(grantKey('key-policy', targets.keyArn));
  return candidates.filter((key) => grantKeys.has(key));
}
