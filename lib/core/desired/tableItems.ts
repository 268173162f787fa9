import type { InventoryConfiguration } from '../inventory/types.js';
import { compareCodeUnits } from '../json/compareCodeUnits.js';
import { isRecord } from '../json/isRecord.js';
import { fileSource } from './constants.js';
import {
  type BUCKET_SETTINGS_ID,
  configurationKey,
  DesiredItemKind,
  desiredItemKind,
  isReservedName,
  settingsKey,
  type TEMPLATES_PARTITION,
  templateKey,
} from './desiredTableLayout.js';
import { type DesiredStateFile, type DesiredTemplate, templateSchema } from './fileSchema.js';
import { formatPath } from './paths.js';
import {
  type BucketDeclaration,
  type BucketSettings,
  type Declarations,
  resolveDeclarations,
  type TemplateDeclaration,
} from './resolveTemplates.js';
import type { DesiredDefaults, KnownBucket, ResolvedBucket, ResolvedDesiredState } from './types.js';
import { type DesiredItem, ReconcileMode } from './types.js';

/** Who wrote an item and from where; on every item `fileToItems` makes. */
interface ItemOrigin {
  /** `file:<name>` or `template:<name>`. */
  source: string;
  appliedBy: string;
  /** ISO 8601 UTC. */
  appliedAt: string;
}

/** A configuration item as the Contract fixes it (`configuration.Id === id`), plus its origin. */
export interface ConfigurationTableItem extends ItemOrigin {
  bucket: string;
  id: string;
  configuration: InventoryConfiguration;
  mode?: ReconcileMode;
}

/** A bucket's own settings, and the defaults of the file that declared it. */
export interface BucketSettingsTableItem extends ItemOrigin {
  bucket: string;
  id: typeof BUCKET_SETTINGS_ID;
  settings: BucketSettings;
  defaults?: DesiredDefaults;
}

/** A template, kept whole so that the scheduler matches tags and names at sweep time. */
export interface TemplateTableItem extends ItemOrigin {
  bucket: typeof TEMPLATES_PARTITION;
  id: string;
  template: DesiredTemplate;
  defaults?: DesiredDefaults;
}

export type DesiredTableItem = ConfigurationTableItem | BucketSettingsTableItem | TemplateTableItem;

export interface FileToItemsOptions {
  /** Recorded as `source: file:<fileName>`. */
  fileName: string;
  /** The principal that applied the file. */
  appliedBy: string;
  /** ISO 8601 UTC; one value for the whole apply. */
  appliedAt: string;
}

/**
 * The table items that hold a valid file: per bucket entry a settings item (`id: '#bucket'`) and one item per
 * configuration; per template one item in the `#templates` partition. Sorted by bucket, then id. Defaults are
 * stored beside each bucket's settings and each template, so files applied side by side keep their own.
 */
export function fileToItems(file: DesiredStateFile, options: FileToItemsOptions): DesiredTableItem[] {
  const origin: ItemOrigin = {
    source: fileSource(options.fileName),
    appliedBy: options.appliedBy,
    appliedAt: options.appliedAt,
  };
  const defaults =
    file.defaults !== undefined && Object.keys(file.defaults).length > 0 ? file.defaults : undefined;
  const withDefaults = defaults === undefined ? {} : { defaults };
  const items: DesiredTableItem[] = [];
  for (const [bucket, { inventories = [], ...settings }] of Object.entries(file.buckets ?? {})) {
    items.push({ ...settingsKey(bucket), settings, ...withDefaults, ...origin });
    for (const configuration of inventories) {
      items.push({ ...configurationKey(bucket, configuration.Id ?? ''), configuration, ...origin });
    }
  }
  for (const template of file.templates ?? []) {
    items.push({ ...templateKey(template.name), template, ...withDefaults, ...origin });
  }
  return items.sort((a, b) => compareCodeUnits(a.bucket, b.bucket) || compareCodeUnits(a.id, b.id));
}

/**
 * The buckets the table's items declare by name, as the planner takes them (templates are not applied: see
 * {@link resolveStoredState}). Tolerant of hand-written items, and cautious with them: configurations are passed
 * on unvalidated (the planner refuses invalid ones, an item's invalid mode included); a bucket without a settings
 * item is enforced and not pruned; an unreadable bucket or default mode means `detect` and an unreadable prune
 * means no pruning. `checkTableItems` names the problems.
 */
export function itemsToDesiredBuckets(items: readonly unknown[]): ResolvedBucket[] {
  return resolveDeclarations(storedDeclarations(items), []).buckets;
}

/** The valid templates among the table's items, with their file's defaults, sorted by name. */
export function itemsToTemplates(items: readonly unknown[]): TemplateDeclaration[] {
  return storedDeclarations(items).templates;
}

/**
 * What the scheduler computes at sweep time: the table's buckets and templates resolved against the account's
 * buckets and tags, with the precedence of `resolveDesiredState`.
 */
export function resolveStoredState(
  items: readonly unknown[],
  buckets: readonly KnownBucket[],
): ResolvedDesiredState {
  return resolveDeclarations(storedDeclarations(items), buckets);
}

function storedDeclarations(items: readonly unknown[]): Declarations {
  const buckets = new Map<string, BucketDeclaration>();
  const templates: TemplateDeclaration[] = [];
  for (const item of items) {
    if (!isRecord(item) || typeof item.bucket !== 'string' || typeof item.id !== 'string') continue;
    const { bucket, id } = item;
    const kind = desiredItemKind(bucket, id);
    if (kind === DesiredItemKind.Template) {
      const template = templateSchema.safeParse(item.template);
      if (template.success && template.data.name === id) {
        templates.push({
          template: template.data,
          defaults: defaultsOf(item.defaults),
          origin: formatPath([bucket, id]),
        });
      }
      continue;
    }
    // A reserved id in an owner's partition still names the bucket (as it always has); a reserved partition never does.
    if (isReservedName(bucket)) continue;
    let declaration = buckets.get(bucket);
    if (declaration === undefined) {
      declaration = { name: bucket, settings: {}, defaults: {}, items: [] };
      buckets.set(bucket, declaration);
    }
    if (kind === DesiredItemKind.Settings) {
      declaration.settings = settingsOf(item.settings);
      declaration.defaults = defaultsOf(item.defaults);
    } else if (kind === DesiredItemKind.Configuration) {
      declaration.items.push(desiredItemOf(bucket, id, item));
    }
  }
  templates.sort((a, b) => compareCodeUnits(a.template.name, b.template.name));
  return { buckets: [...buckets.values()], templates };
}

function desiredItemOf(bucket: string, id: string, item: Record<string, unknown>): DesiredItem {
  const desired: DesiredItem = { bucket, id, configuration: item.configuration };
  // As stored: the planner refuses an item whose mode is neither `enforce` nor `detect` (named in its
  // reason), where reading it as `detect` would report drift for it without saying why it is not applied.
  if (item.mode !== undefined) desired.mode = item.mode as ReconcileMode;
  return desired;
}

function settingsOf(value: unknown): BucketSettings {
  if (!isRecord(value)) return {};
  const settings: BucketSettings = { ...defaultsOf(value) };
  if (typeof value.account === 'string') settings.account = value.account;
  if (typeof value.region === 'string') settings.region = value.region;
  return settings;
}

function defaultsOf(value: unknown): DesiredDefaults {
  if (!isRecord(value)) return {};
  const defaults: DesiredDefaults = {};
  if (value.mode !== undefined) defaults.mode = cautiousMode(value.mode);
  // Only an explicit `true` deletes anything.
  if (value.prune !== undefined) defaults.prune = value.prune === true;
  return defaults;
}

/** A mode as stored; anything unreadable only reports, never changes a bucket. */
function cautiousMode(value: unknown): ReconcileMode {
  return value === ReconcileMode.Enforce ? ReconcileMode.Enforce : ReconcileMode.Detect;
}
