import type { ReconcileMode } from '../desired/types.js';
import type { InventoryConfiguration } from '../inventory/types.js';
import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { removeDelivery } from '../policy/removeDelivery.js';
import type { DeliverySource, GrantTarget, PolicyDocument } from '../policy/types.js';
import { documentOf, TARGET_RULES } from './deliveryChecks.js';
import { deliverySourceOf, deliveryTargetsOf } from './deliveryTargets.js';
import type { BucketFacts, ConfigurationAction, DestinationFacts, PlanAction } from './types.js';

/** Deliveries that stop because of planned deletes and updates, grouped by the policy that allowed them. */
interface Departure {
  target: GrantTarget;
  name: string;
  sources: DeliverySource[];
  actions: ConfigurationAction[];
}

/**
 * Plans the removal of our grant from a destination or key policy that no configuration of this
 * bucket uses any more once the planned deletes and updates ran. `remaining` is every configuration
 * that stays: valid desired ones, actual ones declared by invalid items, unmanaged ones not deleted.
 * Only our own statement changes: `removeDelivery` never touches another statement.
 */
export function planRevokes(
  configurationActions: ConfigurationAction[],
  remaining: InventoryConfiguration[],
  facts: BucketFacts,
  allowed: ReadonlySet<string> = new Set([facts.account]),
): PlanAction[] {
  const inUse = new Set(remaining.flatMap(policiesUsedBy));
  const revokes: PlanAction[] = [];
  for (const departure of departures(configurationActions, facts)) {
    if (inUse.has(policyKey(departure.target, departure.name))) continue;
    const revoke = revokeAction(departure, facts, allowed);
    if (revoke) revokes.push(revoke);
  }
  return revokes;
}

function revokeAction(
  departure: Departure,
  facts: BucketFacts,
  allowed: ReadonlySet<string>,
): PlanAction | undefined {
  const { target, name } = departure;
  const holder = target === 'key-policy' ? facts.keys[name] : facts.destinations[name];
  // Never write a policy outside the boundary: a destination whose owner is not proved and allowed (a
  // bucket name another account took over) or a key of an account not allowed keeps its policy.
  const inside =
    holder?.account !== undefined &&
    allowed.has(holder.account) &&
    (target === 'key-policy' || (holder as DestinationFacts).ownerVerified === true);
  const before = inside && holder?.exists && holder.writable ? documentOf(holder.policy) : undefined;
  if (!before) return undefined;
  let after: PolicyDocument | undefined = before;
  let changed = false;
  for (const source of departure.sources) {
    const change = removeDelivery(after, source, target);
    after = change.document;
    changed ||= change.changed;
  }
  if (!changed) return undefined;
  const ids = departure.actions.map((action) => action.id).join(', ');
  // Report-only while any change it follows is: until then a configuration still delivers there.
  const mode: ReconcileMode = departure.actions.every((action) => action.mode === 'enforce')
    ? 'enforce'
    : 'detect';
  const base = {
    mode,
    dependsOn: departure.actions.map((action) => action.key),
    reason:
      `No configuration of ${facts.bucket} delivers to ${TARGET_RULES[target].label} ${name} ` +
      `once ${ids} ran: remove our grant`,
  };
  if (target === 'destination-policy') {
    return {
      ...base,
      kind: 'revoke-destination',
      key: `revoke-destination:${name}`,
      destinationBucket: name,
      before,
      after,
    };
  }
  // A key always keeps a policy; removeDelivery only empties bucket policies.
  if (!after) return undefined;
  return { ...base, kind: 'revoke-key', key: `revoke-key:${name}`, keyArn: name, before, after };
}

/** Destinations and keys that deletes and updates move configurations off: destinations first, by name. */
function departures(configurationActions: ConfigurationAction[], facts: BucketFacts): Departure[] {
  const byPolicy = new Map<string, Departure>();
  const depart = (target: GrantTarget, name: string, source: DeliverySource, action: ConfigurationAction) => {
    const key = policyKey(target, name);
    const departure = byPolicy.get(key) ?? { target, name, sources: [], actions: [] };
    departure.sources.push(source);
    if (!departure.actions.includes(action)) departure.actions.push(action);
    byPolicy.set(key, departure);
  };
  for (const action of configurationActions) {
    if (action.kind !== 'delete-configuration' && action.kind !== 'update-configuration') continue;
    const source = deliverySourceOf(facts.bucket, facts.account, action.before);
    if (!source) continue;
    const staying = action.kind === 'update-configuration' ? deliveryTargetsOf(action.after) : undefined;
    if (staying?.destinationBucket !== source.destinationBucket) {
      depart('destination-policy', source.destinationBucket, source, action);
    }
    if (source.keyArn !== undefined && staying?.keyArn !== source.keyArn) {
      depart('key-policy', source.keyArn, source, action);
    }
  }
  const order = (departure: Departure) => (departure.target === 'destination-policy' ? 0 : 1);
  return [...byPolicy.values()].sort((a, b) => order(a) - order(b) || compareCodeUnits(a.name, b.name));
}

function policiesUsedBy(configuration: InventoryConfiguration): string[] {
  const targets = deliveryTargetsOf(configuration);
  if (!targets) return [];
  const keys = [policyKey('destination-policy', targets.destinationBucket)];
  if (targets.keyArn !== undefined) keys.push(policyKey('key-policy', targets.keyArn));
  return keys;
}

function policyKey(target: GrantTarget, name: string): string {
  return `${target}:${name}`;
}
