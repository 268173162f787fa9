import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';

/**
 * Issue 17, point 7: a corpus of malformed desired-state items, as someone with write access to the table
 * (not `s3ir apply`, which refuses them) would write them. Each mutation of a valid configuration names the
 * field its refusal must name; the corpus puts every mutation on two buckets, so it holds more than 100 items.
 */

/** One malformed configuration item and the field its refusal must name. */
export interface MalformedItem {
  bucket: string;
  id: string;
  /** The item as written straight into the table. */
  item: Record<string, unknown>;
  /** The path the refusal names (`Destination.S3BucketDestination.Format`, `mode`…). */
  field: string;
  /** What is wrong, for the report. */
  kind: 'wrong type' | 'Id not id' | 'unknown field' | 'bad ARN' | 'invalid enum' | 'oversized' | 'bad value';
}

type Configuration = Record<string, unknown>;
interface Mutation {
  kind: MalformedItem['kind'];
  field: string;
  /** The configuration as written; `id` is the item's id. */
  configuration: (valid: Configuration, id: string) => unknown;
  /** Item attributes besides the configuration. */
  attributes?: Record<string, unknown>;
}

const at = (path: string, value: unknown) => (valid: Configuration) =>
  setPath(structuredClone(valid), path, value);

function setPath(target: Configuration, path: string, value: unknown): Configuration {
  const keys = path.split('.');
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[keys.at(-1)!];
  else node[keys.at(-1)!] = value;
  return target;
}

const DEST = 'Destination.S3BucketDestination';

const MUTATIONS: readonly Mutation[] = [
  // Wrong types.
  { kind: 'wrong type', field: '(root)', configuration: () => 'daily' },
  { kind: 'wrong type', field: '(root)', configuration: () => 42 },
  { kind: 'wrong type', field: '(root)', configuration: () => ['daily'] },
  { kind: 'wrong type', field: '(root)', configuration: () => true },
  { kind: 'wrong type', field: 'IsEnabled', configuration: at('IsEnabled', 'yes') },
  { kind: 'wrong type', field: 'IsEnabled', configuration: at('IsEnabled', 1) },
  { kind: 'wrong type', field: 'IsEnabled', configuration: at('IsEnabled', undefined) },
  { kind: 'wrong type', field: 'Schedule', configuration: at('Schedule', 'Daily') },
  { kind: 'wrong type', field: 'Schedule.Frequency', configuration: at('Schedule.Frequency', 7) },
  { kind: 'wrong type', field: 'Destination', configuration: at('Destination', 'reports') },
  { kind: 'wrong type', field: DEST, configuration: at(DEST, ['reports']) },
  { kind: 'wrong type', field: `${DEST}.Format`, configuration: at(`${DEST}.Format`, 1) },
  { kind: 'wrong type', field: `${DEST}.Prefix`, configuration: at(`${DEST}.Prefix`, 42) },
  { kind: 'wrong type', field: `${DEST}.AccountId`, configuration: at(`${DEST}.AccountId`, 123456789012) },
  { kind: 'wrong type', field: 'OptionalFields', configuration: at('OptionalFields', 'Size') },
  { kind: 'wrong type', field: 'OptionalFields[0]', configuration: at('OptionalFields', [1]) },
  { kind: 'wrong type', field: 'Filter', configuration: at('Filter', 'logs/') },
  { kind: 'wrong type', field: 'Filter.Prefix', configuration: at('Filter', { Prefix: 5 }) },
  { kind: 'wrong type', field: 'IncludedObjectVersions', configuration: at('IncludedObjectVersions', false) },
  { kind: 'wrong type', field: `${DEST}.Encryption`, configuration: at(`${DEST}.Encryption`, 'SSE-S3') },
  // The configuration's Id is not the item's id.
  { kind: 'Id not id', field: 'Id', configuration: (valid) => ({ ...valid, Id: 'someone-else' }) },
  { kind: 'Id not id', field: 'Id', configuration: (valid, id) => ({ ...valid, Id: id.toUpperCase() }) },
  { kind: 'Id not id', field: 'Id', configuration: (valid, id) => ({ ...valid, Id: `${id} ` }) },
  // Unknown fields.
  { kind: 'unknown field', field: 'IsEnable', configuration: (valid) => ({ ...valid, IsEnable: true }) },
  { kind: 'unknown field', field: 'Colour', configuration: (valid) => ({ ...valid, Colour: 'blue' }) },
  { kind: 'unknown field', field: `${DEST}.Region`, configuration: at(`${DEST}.Region`, 'us-east-1') },
  { kind: 'unknown field', field: 'Schedule.Day', configuration: at('Schedule.Day', 'Monday') },
  { kind: 'unknown field', field: 'Filter.Suffix', configuration: at('Filter', { Suffix: '.log' }) },
  {
    kind: 'unknown field',
    field: `${DEST}.Encryption.SSES3.Algorithm`,
    configuration: at(`${DEST}.Encryption`, { SSES3: { Algorithm: 'AES256' } }),
  },
  { kind: 'unknown field', field: 'Destination.Bucket', configuration: at('Destination.Bucket', 'reports') },
  // Bad ARNs.
  { kind: 'bad ARN', field: `${DEST}.Bucket`, configuration: at(`${DEST}.Bucket`, 'reports') },
  { kind: 'bad ARN', field: `${DEST}.Bucket`, configuration: at(`${DEST}.Bucket`, 'arn:aws:s3:::') },
  { kind: 'bad ARN', field: `${DEST}.Bucket`, configuration: at(`${DEST}.Bucket`, 'arn:aws:s3:::Bad_Name') },
  {
    kind: 'bad ARN',
    field: `${DEST}.Bucket`,
    configuration: at(`${DEST}.Bucket`, 'arn:aws:sqs:us-east-1:123456789012:reports'),
  },
  {
    kind: 'bad ARN',
    field: `${DEST}.Bucket`,
    configuration: at(`${DEST}.Bucket`, 'arn:aws:s3:::reports/key'),
  },
  {
    kind: 'bad ARN',
    field: `${DEST}.Encryption.SSEKMS.KeyId`,
    configuration: at(`${DEST}.Encryption`, { SSEKMS: { KeyId: 'not-a-key' } }),
  },
  {
    kind: 'bad ARN',
    field: `${DEST}.Encryption.SSEKMS.KeyId`,
    configuration: at(`${DEST}.Encryption`, { SSEKMS: { KeyId: 'arn:aws:kms:us-east-1:123456789012:key/' } }),
  },
  {
    kind: 'bad ARN',
    field: `${DEST}.Encryption.SSEKMS.KeyId`,
    configuration: at(`${DEST}.Encryption`, { SSEKMS: { KeyId: 'arn:aws:s3:::not-a-key' } }),
  },
  // Invalid enum values.
  { kind: 'invalid enum', field: `${DEST}.Format`, configuration: at(`${DEST}.Format`, 'XML') },
  { kind: 'invalid enum', field: `${DEST}.Format`, configuration: at(`${DEST}.Format`, 'csv') },
  { kind: 'invalid enum', field: 'Schedule.Frequency', configuration: at('Schedule.Frequency', 'Hourly') },
  {
    kind: 'invalid enum',
    field: 'IncludedObjectVersions',
    configuration: at('IncludedObjectVersions', 'Some'),
  },
  {
    kind: 'invalid enum',
    field: 'OptionalFields[1]',
    configuration: at('OptionalFields', ['Size', 'Colour']),
  },
  { kind: 'invalid enum', field: 'OptionalFields[1]', configuration: at('OptionalFields', ['Size', 'Size']) },
  {
    kind: 'invalid enum',
    field: 'mode',
    configuration: (valid) => valid,
    attributes: { mode: 'aggressive' },
  },
  { kind: 'invalid enum', field: 'mode', configuration: (valid) => valid, attributes: { mode: 'ENFORCE' } },
  // Bad values and oversized members (an item may be up to 400 KB: these fit, and are still refused).
  { kind: 'bad value', field: `${DEST}.AccountId`, configuration: at(`${DEST}.AccountId`, '12345') },
  { kind: 'bad value', field: `${DEST}.AccountId`, configuration: at(`${DEST}.AccountId`, 'abcdefghijkl') },
  { kind: 'oversized', field: `${DEST}.Prefix`, configuration: at(`${DEST}.Prefix`, 'p'.repeat(2_000)) },
  { kind: 'oversized', field: 'Filter.Prefix', configuration: at('Filter', { Prefix: 'é'.repeat(100_000) }) },
  {
    kind: 'oversized',
    field: 'OptionalFields[3]',
    configuration: at(
      'OptionalFields',
      Array.from({ length: 5_000 }, (_, i) => ['Size', 'ETag', 'StorageClass'][i % 3]),
    ),
  },
];

/** A configuration the corpus mutates: valid, delivering to `dest` in `account`. */
export function validConfiguration(id: string, dest: string, account: string): InventoryConfiguration {
  return {
    Id: id,
    IsEnabled: true,
    IncludedObjectVersions: 'Current',
    Schedule: { Frequency: 'Daily' },
    Destination: {
      S3BucketDestination: {
        Bucket: `arn:aws:s3:::${dest}`,
        Format: 'CSV',
        Prefix: 'inventory',
        AccountId: account,
      },
    },
    OptionalFields: ['Size', 'StorageClass'],
  };
}

/**
 * The corpus on `buckets`: every mutation twice, on two different buckets, with ids `bad-<n>` (never a valid
 * item's id). Each bucket also needs a valid item of its own, which the caller writes.
 */
export function malformedItems(buckets: readonly string[], dest: string, account: string): MalformedItem[] {
  const items: MalformedItem[] = [];
  MUTATIONS.forEach((mutation, index) => {
    for (const copy of [0, 1]) {
      const bucket = buckets[(index + copy * 3) % buckets.length]!;
      const id = `bad-${String(index).padStart(2, '0')}-${copy}`;
      const valid = validConfiguration(id, dest, account) as unknown as Configuration;
      items.push({
        bucket,
        id,
        item: {
          bucket,
          id,
          configuration: mutation.configuration(valid, id),
          ...mutation.attributes,
          appliedBy: 'corpus',
        },
        field: mutation.field,
        kind: mutation.kind,
      });
    }
  });
  return items;
}

/**
 * Template items no reconcile may apply anything from: a glob that never closes, a name that is not the
 * item's id, an unknown matcher, an invalid configuration, an account or a region that is no such thing.
 * Each would give `corpus-*` buckets a configuration named `tpl-*`. {@link MALFORMED_TEMPLATE_FIELDS}
 * names the field each is refused for.
 */
export function malformedTemplates(dest: string, account: string): Record<string, unknown>[] {
  const inventories = (id: string) => [validConfiguration(id, dest, account)];
  return [
    {
      bucket: '#templates',
      id: 'tpl-glob',
      template: { name: 'tpl-glob', match: { names: ['corpus-['] }, inventories: inventories('tpl-glob') },
    },
    {
      bucket: '#templates',
      id: 'tpl-name',
      template: {
        name: 'another-name',
        match: { names: ['corpus-*'] },
        inventories: inventories('tpl-name'),
      },
    },
    {
      bucket: '#templates',
      id: 'tpl-matcher',
      template: {
        name: 'tpl-matcher',
        match: { names: ['corpus-*'], owners: ['x'] },
        inventories: inventories('tpl-matcher'),
      },
    },
    {
      bucket: '#templates',
      id: 'tpl-config',
      template: {
        name: 'tpl-config',
        match: { names: ['corpus-*'] },
        inventories: [{ ...inventories('tpl-config')[0], Schedule: { Frequency: 'Hourly' } }],
      },
    },
    {
      bucket: '#templates',
      id: 'tpl-accounts',
      template: {
        name: 'tpl-accounts',
        match: { names: ['corpus-*'], accounts: ['12345'] },
        inventories: inventories('tpl-accounts'),
      },
    },
    {
      bucket: '#templates',
      id: 'tpl-regions',
      template: {
        name: 'tpl-regions',
        match: { names: ['corpus-*'], regions: ['moon-1'] },
        inventories: inventories('tpl-regions'),
      },
    },
  ];
}

/** The field each of {@link malformedTemplates} is refused for, by template id. */
export const MALFORMED_TEMPLATE_FIELDS: Readonly<Record<string, string>> = {
  'tpl-glob': 'template.match.names[0]',
  'tpl-name': 'template.name',
  'tpl-matcher': 'template.match.owners',
  'tpl-config': 'template.inventories[0].Schedule.Frequency',
  'tpl-accounts': 'template.match.accounts[0]',
  'tpl-regions': 'template.match.regions[0]',
};

/** Items for buckets that do not exist: valid in every field, refused by S3 (NoSuchBucket). */
export function itemsForMissingBuckets(names: readonly string[], dest: string, account: string) {
  return names.map((bucket) => ({
    bucket,
    id: 'daily',
    configuration: validConfiguration('daily', dest, account),
  }));
}
