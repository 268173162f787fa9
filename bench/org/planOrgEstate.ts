import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import { cycle } from '../estate/planEstate.js';

/**
 * What a member bucket has before the first sweep: the service is being adopted, so no destination or key
 * grants it yet (the destination's policy and the key's have no statement for any member account).
 */
export const OrgDrift = {
  /** No configuration: the reconciler creates it (and grants its account). */
  Missing: 'missing',
  /** The configuration is there with one field changed (Weekly instead of Daily). */
  Changed: 'changed',
  /** The configuration is there as declared, but nothing grants its delivery yet. */
  Ungranted: 'ungranted',
} as const;
export type OrgDrift = (typeof OrgDrift)[keyof typeof OrgDrift];

/** Adoption across an organization, in twentieths: 70% missing, 20% changed, 10% configured but ungranted. */
export const ORG_DRIFT_MIX: readonly (readonly [OrgDrift, number])[] = [
  [OrgDrift.Missing, 14],
  [OrgDrift.Changed, 4],
  [OrgDrift.Ungranted, 2],
];

/** Names and the tag of the organization estate (bucket names are global: all carry `bench-org-`). */
export const ORG_ESTATE = {
  /**
   * The OU tree: `bench-workloads` holding `bench-prod` and `bench-dev` (nested, so resolving it walks
   * ListOrganizationalUnitsForParent below an OU), and `bench-sandbox` under the root. Members go round
   * the three leaves.
   */
  units: {
    workloads: { name: 'bench-workloads', parent: 'root' },
    prod: { name: 'bench-prod', parent: 'workloads' },
    dev: { name: 'bench-dev', parent: 'workloads' },
    sandbox: { name: 'bench-sandbox', parent: 'root' },
  },
  leaves: ['prod', 'dev', 'sandbox'],
  /** The OUs the template names: every member account lies below one of them. */
  templateUnits: ['workloads', 'sandbox'],
  /** The tag the template selects by; each account's one untagged bucket must never be touched. */
  tag: { Key: 's3ir-inventory', Value: 'org' },
  region: 'us-east-1',
  destination: 'bench-org-reports',
  templateName: 'org-baseline',
  configId: 'org-daily',
} as const;

export type OrgUnitKey = keyof typeof ORG_ESTATE.units;

export interface PlannedMemberBucket {
  bucket: string;
  drift: OrgDrift;
}

export interface PlannedMemberAccount {
  /** The account's name in the organization (moto picks its id). */
  name: string;
  /** The leaf OU it is moved into. */
  unit: OrgUnitKey;
  /** Its tagged buckets, which the template selects. */
  buckets: PlannedMemberBucket[];
  /** Its one bucket without the tag: the template does not select it. */
  untagged: string;
}

export interface OrgEstatePlan {
  accounts: PlannedMemberAccount[];
  /** Tagged buckets in all (the N of `--buckets`), and per drift kind. */
  buckets: number;
  mix: Record<OrgDrift, number>;
}

const pad = (value: number, digits: number) => String(value).padStart(digits, '0');

/** `bench-org-007`: the seventh member account's name. */
export function memberName(account: number): string {
  return `bench-org-${pad(account, 3)}`;
}

/**
 * `buckets` tagged buckets dealt round the `accounts` member accounts (bucket i to account i mod A, so each
 * holds ⌊N/A⌋ or ⌈N/A⌉), the drift mix spread over the estate, and one untagged bucket per account.
 * @example planOrgEstate(2, 4).accounts[1].buckets.map((b) => b.bucket) // ['bench-org-002-00002', 'bench-org-002-00004']
 */
export function planOrgEstate(accounts: number, buckets: number, mix = ORG_DRIFT_MIX): OrgEstatePlan {
  if (!Number.isInteger(accounts) || accounts < 1)
    throw new RangeError(`accounts must be ≥ 1, not ${accounts}`);
  if (!Number.isInteger(buckets) || buckets < accounts)
    throw new RangeError(`buckets must be a whole number ≥ accounts (${accounts}), not ${buckets}`);
  const slots = cycle(mix);
  const counts = Object.fromEntries(mix.map(([kind]) => [kind, 0])) as Record<OrgDrift, number>;
  const planned: PlannedMemberAccount[] = Array.from({ length: accounts }, (_, index) => ({
    name: memberName(index + 1),
    unit: ORG_ESTATE.leaves[index % ORG_ESTATE.leaves.length]!,
    buckets: [],
    untagged: `${memberName(index + 1)}-untagged`,
  }));
  for (let index = 0; index < buckets; index++) {
    const drift = slots[index % slots.length]!;
    counts[drift] += 1;
    const account = planned[index % accounts]!;
    account.buckets.push({ bucket: `${account.name}-${pad(index + 1, 5)}`, drift });
  }
  return { accounts: planned, buckets, mix: counts };
}

/**
 * The configuration the template declares: a daily CSV report to the home account's one destination,
 * encrypted with its one KMS key.
 */
export function orgConfiguration(home: string, keyArn: string): InventoryConfiguration {
  return {
    Id: ORG_ESTATE.configId,
    IsEnabled: true,
    IncludedObjectVersions: 'Current',
    Schedule: { Frequency: 'Daily' },
    Destination: {
      S3BucketDestination: {
        Bucket: `arn:aws:s3:::${ORG_ESTATE.destination}`,
        AccountId: home,
        Format: 'CSV',
        Prefix: 'org',
        Encryption: { SSEKMS: { KeyId: keyArn } },
      },
    },
    OptionalFields: ['Size', 'LastModifiedDate', 'StorageClass'],
  };
}

/** What a member bucket has before the first sweep, given the declared configuration. */
export function actualOrgConfigurations(
  drift: OrgDrift,
  declared: InventoryConfiguration,
): InventoryConfiguration[] {
  switch (drift) {
    case OrgDrift.Missing:
      return [];
    case OrgDrift.Changed:
      return [{ ...declared, Schedule: { Frequency: 'Weekly' } }];
    default:
      return [declared];
  }
}

/**
 * The platform team's declaration: one template selecting, by OU and tag, every tagged bucket of the
 * organization's member accounts in the region (the `templates` of a desired-state file).
 */
export function orgTemplate(unitIds: readonly string[], configuration: InventoryConfiguration) {
  return {
    name: ORG_ESTATE.templateName,
    match: {
      tags: { [ORG_ESTATE.tag.Key]: ORG_ESTATE.tag.Value },
      accounts: [...unitIds],
      regions: [ORG_ESTATE.region],
    },
    inventories: [configuration],
  };
}
