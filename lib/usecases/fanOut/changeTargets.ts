import type { TemplateDeclaration } from '../../core/desired/resolveTemplates.js';
import { itemsToDesiredBuckets, itemsToTemplates } from '../../core/desired/tableItems.js';
import type { InventoryConfiguration } from '../../core/inventory/types.js';
import { isRecord } from '../../core/json/isRecord.js';
import { deliveryTargetsOf } from '../../core/reconcile/deliveryTargets.js';
import { type BucketTagSource, selectedByTemplates } from '../sweep/sweep.js';

/** The parts of a CloudTrail "AWS API Call" event detail the event-driven path reads. */
export interface CloudTrailChange {
  eventName: string;
  eventSource?: string;
  /** `id`: the inventory configuration's, on inventory calls. */
  requestParameters?: { bucketName?: string; keyId?: string; id?: string } | null;
  resources?: { ARN?: string }[];
}

/** Which desired configurations use each destination bucket and key. */
export interface DesiredIndex {
  /** Source buckets by destination bucket name. */
  byDestination: Map<string, Set<string>>;
  /** Source buckets by key ARN. */
  byKey: Map<string, Set<string>>;
  /** Templates with the destinations and keys their configurations use. */
  templates: { declaration: TemplateDeclaration; destinations: Set<string>; keys: Set<string> }[];
}

/** Calls on a source bucket's inventory configurations (or the bucket itself). */
export const SOURCE_EVENTS: ReadonlySet<string> = new Set([
  'PutBucketInventoryConfiguration',
  'DeleteBucketInventoryConfiguration',
  'DeleteBucket',
]);
/** Calls on a destination bucket's policy (or the bucket itself). */
export const DESTINATION_EVENTS: ReadonlySet<string> = new Set([
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'DeleteBucket',
]);
/** Calls on a KMS key's policy or state. */
export const KEY_EVENTS: ReadonlySet<string> = new Set([
  'PutKeyPolicy',
  'ScheduleKeyDeletion',
  'DisableKey',
  'EnableKey',
]);

/** Indexes the desired-state table's items by the destinations and keys they deliver to. */
export function desiredIndex(items: readonly unknown[]): DesiredIndex {
  const index: DesiredIndex = { byDestination: new Map(), byKey: new Map(), templates: [] };
  const add = (map: Map<string, Set<string>>, name: string, bucket: string) =>
    map.set(name, (map.get(name) ?? new Set()).add(bucket));
  for (const desired of itemsToDesiredBuckets(items)) {
    for (const item of desired.items) {
      const targets = targetsOf(item.configuration);
      if (!targets) continue;
      add(index.byDestination, targets.destinationBucket, desired.bucket);
      if (targets.keyArn !== undefined) add(index.byKey, targets.keyArn, desired.bucket);
    }
  }
  for (const declaration of itemsToTemplates(items)) {
    const destinations = new Set<string>();
    const keys = new Set<string>();
    for (const configuration of declaration.template.inventories) {
      const targets = targetsOf(configuration);
      if (targets) destinations.add(targets.destinationBucket);
      if (targets?.keyArn !== undefined) keys.add(targets.keyArn);
    }
    index.templates.push({ declaration, destinations, keys });
  }
  return index;
}

/**
 * The buckets a change event calls for reconciling: the source bucket of an inventory change (or of a
 * deleted bucket); for a destination bucket policy or key change, every source whose desired
 * configurations use it, including the buckets a template using it selects. Sorted, unique.
 */
export async function changeTargets(
  change: CloudTrailChange,
  index: DesiredIndex,
  buckets: BucketTagSource,
): Promise<string[]> {
  const targets = new Set<string>();
  const bucket = change.requestParameters?.bucketName;
  const templates: TemplateDeclaration[] = [];
  if (bucket && SOURCE_EVENTS.has(change.eventName)) targets.add(bucket);
  if (bucket && DESTINATION_EVENTS.has(change.eventName)) {
    for (const source of index.byDestination.get(bucket) ?? []) targets.add(source);
    templates.push(...index.templates.filter((t) => t.destinations.has(bucket)).map((t) => t.declaration));
  }
  if (KEY_EVENTS.has(change.eventName)) {
    const named = keyNames(change);
    const matches = (arn: string) => named.some((name) => arn === name || arn.endsWith(`:key/${name}`));
    for (const [arn, sources] of index.byKey)
      if (matches(arn)) for (const source of sources) targets.add(source);
    templates.push(...index.templates.filter((t) => [...t.keys].some(matches)).map((t) => t.declaration));
  }
  if (templates.length > 0) {
    for (const selected of await selectedByTemplates(templates, buckets)) targets.add(selected);
  }
  return [...targets].sort();
}

/** The key as the event names it: the resource ARN and the request's KeyId (an id or an ARN). */
export function keyNames(change: CloudTrailChange): string[] {
  const names = (change.resources ?? []).flatMap((resource) => (resource.ARN ? [resource.ARN] : []));
  const keyId = change.requestParameters?.keyId;
  if (keyId) names.push(keyId.replace(/^arn:[^:]+:kms:[^:]*:[^:]*:key\//, ''), keyId);
  return names;
}

function targetsOf(configuration: unknown) {
  return isRecord(configuration)
    ? deliveryTargetsOf(configuration as unknown as InventoryConfiguration)
    : undefined;
}
