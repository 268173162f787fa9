import type { TemplateDeclaration } from '../desired/resolveTemplates.js';
import { ReconcileMode } from '../desired/types.js';
import { validateConfiguration } from '../inventory/validateConfiguration.js';
import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { accountsSelectedBy } from '../organization/membership.js';
import { isOrganizationUnitId } from '../organization/organizationIds.js';
import type { GrantTarget } from '../policy/types.js';
import { deliveryTargetsOf } from '../reconcile/deliveryTargets.js';
import { checkDesiredConfigurations } from '../reconcile/desiredConfigurations.js';
import type {
  DeclaredSource,
  GrantBounds,
  GrantCatalog,
  GrantReach,
  ReachedPolicy,
  ReachingDelivery,
} from './types.js';

/** A configuration that keeps an account in a policy, before it is grouped by policy. */
interface Reaching extends ReachingDelivery {
  destination: string;
  partition: string;
  owner?: string;
  keyArn?: string;
  region?: string;
}

/**
 * The accounts each destination bucket policy and each KMS key policy must grant, from the whole desired
 * catalog (#18 point 4). Pure.
 * - A declared bucket's valid configurations reach its account (`account` setting, else the home account).
 * - A template's configurations reach every account its `match.accounts` names (account ids; OU and
 *   organization ids through the membership), whether or not a bucket there matches yet, or the home
 *   account when it names none (a template without `accounts` selects there only).
 * Every account is bounded by `bounds.allowed`: nothing the catalog says widens it. Invalid configurations
 * reach nothing (the reconcile applies nothing of them) but make the reach `partial`, as do refused
 * templates and OU ids without a resolved organization: a partial reach may add accounts, never remove them.
 * @example grantReach(catalog, { home: '111122223333', allowed, membership }).policies[0]
 */
export function grantReach(catalog: GrantCatalog, bounds: GrantBounds): GrantReach {
  const partial: string[] = catalog.incomplete === undefined ? [] : [catalog.incomplete];
  if (catalog.refusedTemplates > 0) {
    partial.push(`${catalog.refusedTemplates} template item(s) refused: what they reach is unknown`);
  }
  const reaching = [
    ...catalog.declared.flatMap((source) => declaredReach(source, bounds, partial)),
    ...catalog.templates.flatMap((template) => templateReach(template, bounds, partial)),
  ];
  const policies = [
    ...groupPolicies(reaching, 'destination-policy'),
    ...groupPolicies(reaching, 'key-policy'),
  ];
  return { policies, partial };
}

function declaredReach(source: DeclaredSource, bounds: GrantBounds, partial: string[]): Reaching[] {
  const account = source.account ?? bounds.home;
  if (!bounds.allowed.has(account)) return []; // refused by the reconcile too (account-not-allowed)
  const checked = checkDesiredConfigurations(source);
  if (checked.findings.length > 0) {
    partial.push(`bucket ${source.bucket}: ${checked.findings.length} invalid configuration(s)`);
  }
  return checked.valid.flatMap(({ id, configuration, mode }) => {
    const targets = deliveryTargetsOf(configuration);
    if (targets === undefined) return [];
    return [
      {
        account,
        bucket: source.bucket,
        configurationId: id,
        enforce: mode === ReconcileMode.Enforce,
        destination: targets.destinationBucket,
        partition: targets.partition,
        ...(targets.prefix !== undefined && { prefix: targets.prefix }),
        ...(targets.keyArn !== undefined && { keyArn: targets.keyArn }),
        ...ownerOf(configuration.Destination?.S3BucketDestination?.AccountId),
        ...(source.region !== undefined && { region: source.region }),
      },
    ];
  });
}

function templateReach(declaration: TemplateDeclaration, bounds: GrantBounds, partial: string[]): Reaching[] {
  const { template, defaults } = declaration;
  const selectors = template.match.accounts;
  if (selectors?.some(isOrganizationUnitId) && bounds.membership === undefined) {
    partial.push(`template ${template.name}: its organization or OU ids are not resolved`);
  }
  const reached =
    selectors === undefined ? [bounds.home] : [...accountsSelectedBy(selectors, bounds.membership)];
  const accounts = reached.filter((account) => bounds.allowed.has(account));
  const mode = template.mode ?? defaults.mode ?? ReconcileMode.Enforce;
  return template.inventories.flatMap((inventory) => {
    const result = validateConfiguration(inventory);
    const targets = result.ok ? deliveryTargetsOf(result.value) : undefined;
    if (!result.ok || targets === undefined || result.value.Id === undefined) {
      partial.push(`template ${template.name}: an invalid configuration`);
      return [];
    }
    const { value } = result;
    const regions = template.match.regions;
    return accounts.map((account) => ({
      account,
      configurationId: value.Id!,
      enforce: mode === ReconcileMode.Enforce,
      destination: targets.destinationBucket,
      partition: targets.partition,
      ...(targets.prefix !== undefined && { prefix: targets.prefix }),
      ...(targets.keyArn !== undefined && { keyArn: targets.keyArn }),
      ...ownerOf(value.Destination?.S3BucketDestination?.AccountId),
      ...(regions?.length === 1 && { region: regions[0] }),
    }));
  });
}

function ownerOf(accountId: string | undefined): { owner?: string } {
  return accountId === undefined ? {} : { owner: accountId };
}

/** The deliveries grouped by the policy they need: a destination's, or (for SSE-KMS) a key's. */
function groupPolicies(reaching: readonly Reaching[], target: GrantTarget): ReachedPolicy[] {
  const groups = new Map<string, Reaching[]>();
  for (const entry of reaching) {
    const name = target === 'destination-policy' ? entry.destination : entry.keyArn;
    if (name === undefined) continue;
    groups.set(name, [...(groups.get(name) ?? []), entry]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([name, group]) => {
      // A configuration without AccountId expects its destination in the source's own account (as the
      // reconcile reads it): the owner is known when every configuration expects the same one.
      const owners = new Set(group.map((entry) => entry.owner ?? entry.account));
      const owner = owners.size === 1 ? [...owners][0] : undefined;
      const regions = group.flatMap((entry) => (entry.region === undefined ? [] : [entry.region]));
      return {
        target,
        name,
        partition: group[0]!.partition,
        deliveries: group.map(toDelivery).sort(byDelivery),
        ...(target === 'destination-policy' && owner !== undefined && { owner }),
        destinations: unique(group.map((entry) => entry.destination)),
        sourceRegions: unique(regions),
      };
    });
}

function toDelivery(entry: Reaching): ReachingDelivery {
  const { account, bucket, configurationId, prefix, enforce } = entry;
  return {
    account,
    configurationId,
    enforce,
    ...(bucket !== undefined && { bucket }),
    ...(prefix !== undefined && { prefix }),
  };
}

function byDelivery(a: ReachingDelivery, b: ReachingDelivery): number {
  return (
    compareCodeUnits(a.account, b.account) ||
    compareCodeUnits(a.bucket ?? '', b.bucket ?? '') ||
    compareCodeUnits(a.configurationId, b.configurationId)
  );
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareCodeUnits);
}
