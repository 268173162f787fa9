import type { DesiredBucket } from '../desired/types.js';
import { diffConfigurations, diffFields } from '../inventory/diffConfigurations.js';
import { normalizeConfiguration } from '../inventory/normalizeConfiguration.js';
import type { ConfigurationDrift, InventoryConfiguration } from '../inventory/types.js';
import { checkActualDestinations } from './actualDestinations.js';
import { planConfigurationActions } from './configurationActions.js';
import { checkDelivery } from './deliveryChecks.js';
import { checkDesiredConfigurations, type DesiredConfiguration } from './desiredConfigurations.js';
import { allowedOf } from './destinationTrust.js';
import { ReconcileError } from './errors.js';
import { planGrants } from './grantActions.js';
import { guardBlastRadius } from './guards.js';
import { planRevokes } from './revokeActions.js';
import type { BucketFacts, Plan, PlanOptions } from './types.js';

/**
 * Plans the reconcile of one bucket, as `terraform plan` does: pure, it reads nothing and changes
 * nothing; `apply` then does exactly this plan.
 *
 * The configuration, its destination policy grant and its key grant are one unit: actions come
 * ordered grants (destination, then key), puts (by id), deletes (by id), revokes; findings name
 * what needs a human (invalid declarations, missing or misplaced destinations and keys, grants only
 * another account can add, with the exact statement).
 *
 * The trust boundary (issue 13): a configuration is put, and granted, only when its destination is
 * verified (exists, same region, owner proved by S3 and in `options.allowedAccounts`); every put carries
 * that owner as AccountId. A configuration present now whose destination fails the same test is reported,
 * and deleted only where the bucket opts into prune.
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
  const allowed = allowedOf(options, facts);
  const checked = checkDesiredConfigurations(desired);
  const delivery = checkDelivery(checked.valid, facts, allowed);
  // What a put carries: the verified owner as AccountId, so S3 checks the owner at every delivery.
  const valid = checked.valid.map((entry) => withVerifiedOwner(entry, delivery.accepted.get(entry.id)));
  // A configuration whose declaration is invalid is still declared: never unmanaged, never pruned.
  const drift = diffConfigurations(comparedForms(checked.valid, valid, actual), actual)
    .filter((entry) => entry.kind !== 'unmanaged' || !checked.declaredIds.has(entry.id))
    .map((entry) => withPutForm(entry, valid));
  const grants = planGrants(delivery.needs, facts);
  const grantKeys = new Set(grants.actions.map((action) => action.key));
  const refused = new Set(valid.flatMap((entry) => (delivery.accepted.has(entry.id) ? [] : [entry.id])));
  const replaced = new Set(
    drift.flatMap((entry) => (entry.kind !== 'unmanaged' && !refused.has(entry.id) ? [entry.id] : [])),
  );
  const present = checkActualDestinations(actual, facts, allowed, {
    replaced,
    reported: delivery.findings,
    prune: desired.prune,
  });
  const configurationActions = planConfigurationActions(desired, valid, drift, grantKeys, {
    refused,
    untrusted: present.untrusted,
    actual,
  });

  const deleted = new Set(
    configurationActions.flatMap((a) => (a.kind === 'delete-configuration' ? [a.id] : [])),
  );
  const validIds = new Set(valid.map((entry) => entry.id));
  const remaining = [
    ...valid.map((entry) => entry.configuration),
    ...actual.filter((configuration) => {
      const id = configuration.Id ?? '';
      return !validIds.has(id) && !deleted.has(id);
    }),
  ];
  const revokes = planRevokes(configurationActions, remaining, facts, allowed);

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
      ...present.findings,
      ...grants.findings,
      ...(guarded.finding ? [guarded.finding] : []),
    ],
    ...(guarded.guard ? { guard: guarded.guard } : {}),
  };
}

/** The configuration a put carries: with the destination's verified owner as AccountId when it names none. */
function withVerifiedOwner(entry: DesiredConfiguration, owner: string | undefined): DesiredConfiguration {
  const destination = entry.configuration.Destination?.S3BucketDestination;
  if (owner === undefined || !destination || destination.AccountId !== undefined) return entry;
  const configuration = normalizeConfiguration({
    ...entry.configuration,
    Destination: {
      ...entry.configuration.Destination,
      S3BucketDestination: { ...destination, AccountId: owner },
    },
  });
  return { ...entry, configuration };
}

/**
 * The desired forms to diff: a declaration without AccountId matches a present configuration that names
 * the verified owner (compared with the owner filled in) and one that names no account (compared as
 * declared), so neither drifts for ever; one naming another account differs in AccountId.
 */
function comparedForms(
  declared: readonly DesiredConfiguration[],
  put: readonly DesiredConfiguration[],
  actual: readonly InventoryConfiguration[],
): InventoryConfiguration[] {
  const present = new Map(actual.map((configuration) => [configuration.Id, configuration]));
  return declared.map((entry, index) => {
    const presentAccount = present.get(entry.id)?.Destination?.S3BucketDestination?.AccountId;
    return presentAccount === undefined && present.has(entry.id)
      ? entry.configuration
      : put[index]!.configuration;
  });
}

/** A drift as the put will write it: the desired side with the verified owner, its fields against that. */
function withPutForm(entry: ConfigurationDrift, put: readonly DesiredConfiguration[]): ConfigurationDrift {
  if (entry.kind === 'unmanaged') return entry;
  const desired = put.find((candidate) => candidate.id === entry.id)!.configuration;
  if (entry.kind === 'missing') return { ...entry, desired };
  return { ...entry, desired, fields: diffFields(desired, entry.actual) };
}
