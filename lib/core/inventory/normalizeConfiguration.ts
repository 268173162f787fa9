import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { isRecord } from '../json/isRecord.js';
import type { InventoryConfiguration } from './types.js';

type Members = Record<string, unknown>;

// The SDK's member order; members S3 may add later follow, sorted by name.
const CONFIGURATION_ORDER = [
  'Destination',
  'IsEnabled',
  'Filter',
  'Id',
  'IncludedObjectVersions',
  'OptionalFields',
  'Schedule',
];
const DESTINATION_ORDER = ['S3BucketDestination'];
const BUCKET_DESTINATION_ORDER = ['AccountId', 'Bucket', 'Format', 'Prefix', 'Encryption'];
const ENCRYPTION_ORDER = ['SSES3', 'SSEKMS'];
const FILTER_ORDER = ['Prefix'];
const SCHEDULE_ORDER = ['Frequency'];
const SSE_KMS_ORDER = ['KeyId'];

/**
 * The canonical form of a configuration, still in the S3 shape and still accepted by S3, so that two
 * configurations that mean the same compare equal: OptionalFields a sorted set, empty members omitted,
 * members in the SDK's order. Unknown members are kept. Pure and idempotent.
 * @example normalizeConfiguration({ ...c, Filter: { Prefix: '' }, OptionalFields: ['Size', 'ETag', 'Size'] })
 *   // { ...c without Filter, OptionalFields: ['ETag', 'Size'] }
 */
export function normalizeConfiguration(configuration: InventoryConfiguration): InventoryConfiguration {
  const members = configuration as unknown as Members;
  return ordered(CONFIGURATION_ORDER, members, {
    Destination: whenRecord(members.Destination, normalizeDestination),
    Filter: whenRecord(members.Filter, normalizeFilter),
    OptionalFields: normalizeOptionalFields(members.OptionalFields),
    Schedule: whenRecord(members.Schedule, (schedule) => ordered(SCHEDULE_ORDER, schedule)),
  }) as unknown as InventoryConfiguration;
}

function normalizeDestination(destination: Members): Members {
  return ordered(DESTINATION_ORDER, destination, {
    S3BucketDestination: whenRecord(destination.S3BucketDestination, normalizeBucketDestination),
  });
}

function normalizeBucketDestination(bucketDestination: Members): Members {
  return ordered(BUCKET_DESTINATION_ORDER, bucketDestination, {
    // A prefix of "" delivers to the bucket root, as no prefix does.
    Prefix: bucketDestination.Prefix === '' ? undefined : canonical(bucketDestination.Prefix),
    Encryption: whenRecord(bucketDestination.Encryption, normalizeEncryption),
  });
}

/** `Encryption: {}` means no encryption; `SSES3: {}` is a choice and stays. */
function normalizeEncryption(encryption: Members): Members | undefined {
  const normalized = ordered(ENCRYPTION_ORDER, encryption, {
    SSEKMS: whenRecord(encryption.SSEKMS, (sseKms) => ordered(SSE_KMS_ORDER, sseKms)),
  });
  return Object.keys(normalized).length === 0 ? undefined : normalized;
}

/** No filter, `{}` and `{ Prefix: '' }` all select every object. */
function normalizeFilter(filter: Members): Members | undefined {
  const normalized = ordered(FILTER_ORDER, filter, {
    Prefix: filter.Prefix === '' ? undefined : canonical(filter.Prefix),
  });
  return Object.keys(normalized).length === 0 ? undefined : normalized;
}

/** Field order has no meaning (docs/aws-facts.md §1): a sorted set, omitted when empty. */
function normalizeOptionalFields(fields: unknown): unknown {
  if (!Array.isArray(fields)) return canonical(fields);
  const set = [...new Set(fields)].sort((a, b) => compareCodeUnits(String(a), String(b)));
  return set.length === 0 ? undefined : set;
}

function whenRecord(value: unknown, normalize: (members: Members) => unknown): unknown {
  return isRecord(value) ? normalize(value) : canonical(value);
}

/**
 * A copy with the `order` members first, then the others by name, `undefined` members dropped.
 * Members in `normalized` are taken as they are; every other member is copied canonically.
 */
function ordered(order: readonly string[], members: Members, normalized: Members = {}): Members {
  const others = Object.keys({ ...members, ...normalized })
    .filter((key) => !order.includes(key))
    .sort(compareCodeUnits);
  const result: Members = {};
  for (const key of [...order, ...others]) {
    const value = key in normalized ? normalized[key] : canonical(members[key]);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/** A deep copy with object members sorted by name and `undefined` members dropped; arrays keep their order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isRecord(value)) return value;
  const result: Members = {};
  for (const key of Object.keys(value).sort(compareCodeUnits)) {
    if (value[key] !== undefined) result[key] = canonical(value[key]);
  }
  return result;
}
