import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';

/** How a source bucket differs from its desired state before the first sweep. */
export const DriftKind = {
  /** Configuration present and granted: nothing to do. */
  InSync: 'in-sync',
  /** No configuration at all: the reconciler creates it. */
  Missing: 'missing',
  /** The configuration is there with one field changed (Weekly instead of Daily). */
  Changed: 'changed',
  /** The configuration is there, but the destination policy does not grant this source. */
  MissingGrant: 'missing-grant',
  /** In sync, plus a configuration nobody declared (reported; the bucket does not opt into prune). */
  Unmanaged: 'unmanaged',
} as const;
export type DriftKind = (typeof DriftKind)[keyof typeof DriftKind];

/** Issue #7's mix, in twentieths: 60% in sync, 20% missing, 10% changed, 5% missing grant, 5% unmanaged. */
export const DRIFT_MIX: readonly (readonly [DriftKind, number])[] = [
  [DriftKind.InSync, 12],
  [DriftKind.Missing, 4],
  [DriftKind.Changed, 2],
  [DriftKind.MissingGrant, 1],
  [DriftKind.Unmanaged, 1],
];

/** The destinations the estate shares; the first `KMS_KEYS` encrypt with a key of their own. */
export const DESTINATIONS = 4;
export const KMS_KEYS = 2;
/** The configuration every source declares, and the one unmanaged sources also have. */
export const CONFIG_ID = 'daily';
export const UNMANAGED_ID = 'legacy-weekly';
/**
 * Sources the destination policies grant by name pattern. A hand-written per-ARN list cannot cover an
 * estate this size (S3 refuses a bucket policy over 20 KB: about 500 source ARNs); sources with a
 * missing grant are named outside the pattern, so the reconciler adds each to its own statement.
 */
export const GRANTED_PREFIX = 'bench-src-';
export const UNGRANTED_PREFIX = 'bench-new-';
/** Key policies grant every bench source (the mix has no missing key grant). */
export const KEY_GRANT_PATTERN = 'arn:aws:s3:::bench-*';

export interface PlannedSource {
  bucket: string;
  drift: DriftKind;
  /** Index into the destinations (0-based). */
  destination: number;
}

export interface EstatePlan {
  sources: PlannedSource[];
  destinations: string[];
  /** Sources per drift kind. */
  mix: Record<DriftKind, number>;
}

/** The drift kind of each slot of a cycle of twenty, spread so that every prefix of the estate has the mix. */
export function cycle<Kind>(mix: readonly (readonly [Kind, number])[]): Kind[] {
  const length = mix.reduce((sum, [, weight]) => sum + weight, 0);
  // Largest remainder spreading: each slot goes to the kind furthest behind its share.
  const given = new Map<Kind, number>(mix.map(([kind]) => [kind, 0]));
  const slots: Kind[] = [];
  for (let slot = 1; slot <= length; slot++) {
    let best = mix[0]![0];
    let behind = Number.NEGATIVE_INFINITY;
    for (const [kind, weight] of mix) {
      const lag = (weight * slot) / length - given.get(kind)!;
      if (lag > behind) {
        behind = lag;
        best = kind;
      }
    }
    given.set(best, given.get(best)! + 1);
    slots.push(best);
  }
  return slots;
}

/** `bench-src-00042`: five digits keep names sorted as numbers up to 99,999. */
export function sourceName(index: number, drift: DriftKind): string {
  const prefix = drift === DriftKind.MissingGrant ? UNGRANTED_PREFIX : GRANTED_PREFIX;
  return `${prefix}${String(index).padStart(5, '0')}`;
}

/**
 * N source buckets over the shared destinations with the drift mix. Destinations rotate by one every
 * cycle of twenty, so each drift kind meets every destination (and both keys).
 * @example planEstate(100).mix // { 'in-sync': 60, missing: 20, changed: 10, 'missing-grant': 5, unmanaged: 5 }
 */
export function planEstate(buckets: number, mix = DRIFT_MIX): EstatePlan {
  if (!Number.isInteger(buckets) || buckets < 1) throw new RangeError(`buckets must be ≥ 1, not ${buckets}`);
  const slots = cycle(mix);
  const counts = Object.fromEntries(mix.map(([kind]) => [kind, 0])) as Record<DriftKind, number>;
  const sources: PlannedSource[] = [];
  for (let index = 0; index < buckets; index++) {
    const drift = slots[index % slots.length]!;
    counts[drift] += 1;
    const destination = (index + Math.floor(index / slots.length)) % DESTINATIONS;
    sources.push({ bucket: sourceName(index + 1, drift), drift, destination });
  }
  const destinations = Array.from({ length: DESTINATIONS }, (_, index) => `bench-reports-${index + 1}`);
  return { sources, destinations, mix: counts };
}

/**
 * The configuration a source declares: a daily CSV report to its destination, encrypted with the
 * destination's KMS key (`keyArns[destination]`) or SSE-S3.
 */
export function desiredConfiguration(
  source: PlannedSource,
  plan: Pick<EstatePlan, 'destinations'>,
  keyArns: readonly string[],
): InventoryConfiguration {
  const keyArn = keyArns[source.destination];
  return {
    Id: CONFIG_ID,
    IsEnabled: true,
    IncludedObjectVersions: 'Current',
    Schedule: { Frequency: 'Daily' },
    Destination: {
      S3BucketDestination: {
        Bucket: `arn:aws:s3:::${plan.destinations[source.destination]}`,
        Format: 'CSV',
        Prefix: 'inventory',
        Encryption: keyArn ? { SSEKMS: { KeyId: keyArn } } : { SSES3: {} },
      },
    },
    OptionalFields: ['Size', 'LastModifiedDate', 'StorageClass'],
  };
}

/** What the source has before the first sweep, given its desired configuration. */
export function actualConfigurations(
  source: PlannedSource,
  desired: InventoryConfiguration,
): InventoryConfiguration[] {
  switch (source.drift) {
    case DriftKind.Missing:
      return [];
    case DriftKind.Changed:
      return [{ ...desired, Schedule: { Frequency: 'Weekly' } }];
    case DriftKind.Unmanaged:
      return [desired, { ...desired, Id: UNMANAGED_ID, Schedule: { Frequency: 'Weekly' } }];
    default:
      return [desired];
  }
}

/**
 * The hand-written destination policy: S3 may deliver from every source named by the granted pattern,
 * in this account, as the AWS user guide's statement does (docs/aws-facts.md §2) with a wildcard source ARN.
 */
export function destinationPolicy(destination: string, account: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EstateInventoryDelivery',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${destination}/*`,
        Condition: {
          ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${GRANTED_PREFIX}*` },
          StringEquals: { 'aws:SourceAccount': account, 's3:x-amz-acl': 'bucket-owner-full-control' },
        },
      },
    ],
  });
}

/** A key policy: the account root (KMS's default statement) and S3 Inventory for every bench source. */
export function keyPolicy(account: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EnableIamUserPermissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'EstateInventoryReports',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: ['kms:GenerateDataKey'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': KEY_GRANT_PATTERN },
        },
      },
    ],
  });
}
