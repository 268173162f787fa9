import { isRecord } from '../json/isRecord.js';

/**
 * The desired-state table's layout (Contract: partition key `bucket`, sort key `id`), owned here alone: every
 * item kind, the key that names it and its attributes. The core writes items with it (`fileToItems`) and reads
 * them (`storedDeclarations`, `checkTableItems`); the adapter (lib/adapters/aws/DynamoDesiredStore) and the
 * stream filter (lib/adapters/aws/streamImages) only read and write the items it describes.
 */

/** The table's key attributes. */
export const DESIRED_TABLE_KEY = { partition: 'bucket', sort: 'id' } as const;

/** A key of the desired-state table. */
export interface DesiredItemKey {
  bucket: string;
  id: string;
}

/**
 * `#` opens every reserved name: it cannot occur in a bucket name
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html) nor in an inventory Id (S3
 * takes at most 64 characters of `[A-Za-z0-9_.-]`: the schema in lib/core/inventory/schema.ts holds Ids to
 * that), so a reserved key never clashes with an owner's bucket or configuration.
 */
export const RESERVED_PREFIX = '#';

/** Partition that holds templates (`id` = template name). */
export const TEMPLATES_PARTITION = '#templates';

/** Sort key of a bucket's settings item (account, region, mode, prune). */
export const BUCKET_SETTINGS_ID = '#bucket';

/** `source` of a settings item this service created only to keep a bucket's learned region. */
export const LEARNED_SOURCE = 'learned';

/** Attributes every item written from a file carries (`source`: `file:<name>` or `template:<name>`). */
export const ORIGIN_ATTRIBUTES = ['source', 'appliedBy', 'appliedAt'] as const;

/** Attributes of each item kind besides its key and origin. */
export const DESIRED_ITEM_ATTRIBUTES = {
  /** `{ bucket, id: <configuration Id>, configuration, mode? }`. */
  configuration: ['configuration', 'mode'],
  /** `{ bucket, id: '#bucket', settings: { account?, region?, mode?, prune? }, defaults? }`. */
  settings: ['settings', 'defaults'],
  /** `{ bucket: '#templates', id: <name>, template, defaults? }`. */
  template: ['template', 'defaults'],
} as const;

/** The attributes inside a settings item's `settings` map. */
export const SETTINGS_ATTRIBUTES = {
  account: 'account',
  region: 'region',
  mode: 'mode',
  prune: 'prune',
} as const;

/** What an item of the table is. */
export const DesiredItemKind = {
  Configuration: 'configuration',
  Settings: 'settings',
  Template: 'template',
  /** A reserved key that declares nothing (what an older version kept here: `#status`, `#outbox`…). */
  Reserved: 'reserved',
} as const;
export type DesiredItemKind = (typeof DesiredItemKind)[keyof typeof DesiredItemKind];

/** Whether a partition or sort key is a reserved name. */
export function isReservedName(name: string): boolean {
  return name.startsWith(RESERVED_PREFIX);
}

/** Key of a bucket's configuration item. */
export function configurationKey(bucket: string, configurationId: string): DesiredItemKey {
  return { bucket, id: configurationId };
}

/** Key of a bucket's settings item. */
export function settingsKey(bucket: string): { bucket: string; id: typeof BUCKET_SETTINGS_ID } {
  return { bucket, id: BUCKET_SETTINGS_ID };
}

/** Key of a template's item. */
export function templateKey(name: string): { bucket: typeof TEMPLATES_PARTITION; id: string } {
  return { bucket: TEMPLATES_PARTITION, id: name };
}

/** The kind of the item at a key, as the reads that declare desired state take it. */
export function desiredItemKind(bucket: string, id: string): DesiredItemKind {
  if (bucket === TEMPLATES_PARTITION)
    return isReservedName(id) ? DesiredItemKind.Reserved : DesiredItemKind.Template;
  if (isReservedName(bucket)) return DesiredItemKind.Reserved;
  if (id === BUCKET_SETTINGS_ID) return DesiredItemKind.Settings;
  return isReservedName(id) ? DesiredItemKind.Reserved : DesiredItemKind.Configuration;
}

/** Whether an item lies in the templates partition. */
export function isTemplateItem(item: { readonly bucket?: unknown }): boolean {
  return item.bucket === TEMPLATES_PARTITION;
}

/** Whether an item is a bucket's settings item (by its sort key). */
export function isSettingsItem(item: { readonly id?: unknown }): boolean {
  return item.id === BUCKET_SETTINGS_ID;
}

/** Whether an item is an owner's configuration item. */
export function isConfigurationItem(item: { readonly bucket?: unknown; readonly id?: unknown }): boolean {
  return (
    typeof item.bucket === 'string' &&
    typeof item.id === 'string' &&
    desiredItemKind(item.bucket, item.id) === DesiredItemKind.Configuration
  );
}

/** A settings item this service made only to keep the region: it declares nothing. */
export function isLearnedOnly(item: { readonly id?: unknown; readonly source?: unknown }): boolean {
  return isSettingsItem(item) && item.source === LEARNED_SOURCE;
}

/** The region a settings item keeps, declared or learned. */
export function settingsRegion(item: { readonly settings?: unknown }): string | undefined {
  const region = isRecord(item.settings) ? item.settings[SETTINGS_ATTRIBUTES.region] : undefined;
  return typeof region === 'string' ? region : undefined;
}

/**
 * Whether a table key is reserved yet declares nothing: an item whose id is reserved other than a
 * bucket's settings, or any item of a reserved partition other than the templates. The service keeps its own
 * bookkeeping in the state table, and what an older version kept here (`#status`, `#outbox`…) is ignored:
 * no read returns it as desired state and `s3ir apply` never deletes it.
 */
export function isReservedKey(bucket: unknown, id: unknown): boolean {
  if (typeof id === 'string' && isReservedName(id) && id !== BUCKET_SETTINGS_ID) return true;
  return typeof bucket === 'string' && isReservedName(bucket) && bucket !== TEMPLATES_PARTITION;
}

/** {@link isReservedKey} of an item's key. */
export function isReservedItem(item: { readonly bucket?: unknown; readonly id?: unknown }): boolean {
  return isReservedKey(item.bucket, item.id);
}
