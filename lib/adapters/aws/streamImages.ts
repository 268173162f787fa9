import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DesiredTableChange } from '../../core/audit/desiredChangeEvent.js';
import {
  isReservedKey,
  isSettingsItem,
  LEARNED_SOURCE,
  SETTINGS_ATTRIBUTES,
} from '../../core/desired/desiredTableLayout.js';
import { AwsAdapterError } from './errors.js';

/** A DynamoDB stream image (AttributeValues, as Lambda hands it) as a plain item. */
export function unmarshallImage(
  image: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  return image === undefined ? undefined : unmarshall(image as Record<string, AttributeValue>);
}

/** The parts of a DynamoDB stream record the desired-change path reads (aws-lambda's DynamoDBRecord). */
export interface StreamRecordLike {
  eventID?: string;
  eventName?: string;
  dynamodb?: {
    Keys?: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    ApproximateCreationDateTime?: number;
  };
}

/**
 * A stream record of the desired-state table as a {@link DesiredTableChange}.
 * @throws AwsAdapterError when the record has no `bucket`/`id` keys (not this table's stream).
 */
export function streamChange(record: StreamRecordLike): DesiredTableChange {
  const keys = unmarshallImage(record.dynamodb?.Keys) ?? {};
  if (typeof keys.bucket !== 'string' || typeof keys.id !== 'string') {
    throw new AwsAdapterError({
      code: 'InvalidStreamRecord',
      message: `stream record ${record.eventID} has no bucket/id keys`,
    });
  }
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  const change: DesiredTableChange = {
    changeId: record.eventID ?? `${keys.bucket}/${keys.id}`,
    eventName: record.eventName ?? 'MODIFY',
    bucket: keys.bucket,
    id: keys.id,
    time: (seconds === undefined ? new Date() : new Date(seconds * 1000)).toISOString(),
  };
  const oldImage = unmarshallImage(record.dynamodb?.OldImage);
  const newImage = unmarshallImage(record.dynamodb?.NewImage);
  if (oldImage) change.oldImage = oldImage;
  if (newImage) change.newImage = newImage;
  return change;
}

/**
 * Whether a table change declares nothing: a learned region the reconciler kept in a bucket's settings
 * item (its one write to this table), or a reserved key that is neither settings nor a template
 * ({@link isReservedKey}: what an older version kept here before the state table, expiring by TTL). The
 * desired-change path skips these: enqueueing the bucket again would only chase the reconcile that wrote
 * them. (The service's statuses, leases, budgets and outbox are in the state table, which has no stream.)
 */
export function isBookkeepingChange(change: DesiredTableChange): boolean {
  if (isReservedKey(change.bucket, change.id)) return true;
  if (!isSettingsItem(change)) return false;
  const { oldImage, newImage } = change;
  if (newImage?.source === LEARNED_SOURCE && (oldImage === undefined || oldImage.source === LEARNED_SOURCE)) {
    return true;
  }
  if (oldImage === undefined || newImage === undefined) return false;
  const oldSettings = isRecord(oldImage.settings) ? oldImage.settings : undefined;
  const newSettings = isRecord(newImage.settings) ? newImage.settings : undefined;
  if (oldSettings === undefined || newSettings === undefined) return false;
  const region = SETTINGS_ATTRIBUTES.region;
  if (oldSettings[region] !== undefined || typeof newSettings[region] !== 'string') return false;
  const { [region]: _, ...rest } = newSettings;
  return stableJson({ ...newImage, settings: rest }) === stableJson(oldImage);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted: DynamoDB does not keep a map's key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    isRecord(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1))) : inner,
  );
}
