import { diffConfigurations, type InventoryConfiguration } from '../inventory/index.js';
import { planConfigurationActions } from './configurationActions.js';
import { checkDelivery } from './deliveryChecks.js';
import { checkDesiredConfigurations } from './desiredConfigurations.js';
import { ReconcileError } from './errors.js';
import { planGrants } from './grantActions.js';
import { guardBlastRadius } from './guards.js';
import { planRevokes } from './revokeActions.js';
import type { BucketFacts, DesiredBucket, Plan, PlanOptions } from './types.js';

/**
 * Plans the reconcile of one bucket, as `terraform plan` does: pure, it reads nothing and changes
 * nothing; `apply` then does exactly this plan.
 *
 * The configuration, its destination policy grant and its key grant are one unit: actions come
 * ordered grants (destination, then key), puts (by id), deletes (by id), revokes; findings name
 * what needs a human (invalid declarations, missing or misplaced destinations and keys, grants only
 * another account can add, with the exact statement).
 *
 * @example
 * const result = plan(desired, await ports.inventory.list(bucket), facts, { remainingChanges: 50 });
 */
export function plan(
  desired: DesiredBucket,
  actual: InventoryConfiguration[],
  facts: BucketFacts,
  options: PlanOptions = {},
): Plan {
  if (facts.bucket !== desired.bucket) {
    throw new ReconcileError(
      `plan(): facts describe ${facts.bucket}, desired state ${desired.bucket} (a bug)`,
    );
  }
  const checked = checkDesiredConfigurations(desired);
  const valid = checked.valid.map((entry) => entry.configuration);
  // A configuration whose declaration is invalid is still declared: never unmanaged, never pruned.
  const drift = diffConfigurations(valid, actual).filter(
    (entry) => entry.kind !== 'unmanaged' || !checked.declaredIds.has(entry.id),
  );
  const delivery = checkDelivery(checked.valid, facts);
  const grants = planGrants(delivery.needs, facts);
  const grantKeys = new Set(grants.actions.map((action) => action.key));
  const configurationActions = planConfigurationActions(desired, checked.valid, drift, grantKeys);

  const deleted = new Set(
    configurationActions.flatMap((a) => (a.kind === 'delete-configuration' ? [a.id] : [])),
  );
  const validIds = new Set(checked.valid.map((entry) => entry.id));
  const remaining = [
    ...valid,
    ...actual.filter((configuration) => {
      const id = configuration.Id ?? '';
      return !validIds.has(id) && !deleted.has(id);
    }),
  ];
  const revokes = planRevokes(configurationActions, remaining, facts);

  const guarded = guardBlastRadius(
    desired.bucket,
    [...grants.actions, ...configurationActions, ...revokes],
    options,
  );
  return {
    bucket: desired.bucket,
    account: facts.account,
    region: facts.region,
    drift,
    actions: guarded.actions,
    findings: [
      ...checked.findings,
      ...delivery.findings,
      ...grants.findings,
      ...(guarded.finding ? [guarded.finding] : []),
    ],
    ...(guarded.guard ? { guard: guarded.guard } : {}),
  };
}
