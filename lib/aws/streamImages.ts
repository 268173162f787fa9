import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DesiredTableChange } from '../audit/desiredChangeEvent.js';
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
