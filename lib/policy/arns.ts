import type { DeliverySource } from './types.js';

/** `arn:{partition}:s3:::{source}`: the value S3 puts in `aws:SourceArn` when it delivers. */
export function sourceBucketArn(source: DeliverySource): string {
  return `arn:${source.partition}:s3:::${source.sourceBucket}`;
}

/** `arn:{partition}:s3:::{dest}/*`: every object of the destination bucket, the resource our grant names. */
export function destinationObjectsArn(source: DeliverySource): string {
  return `arn:${source.partition}:s3:::${source.destinationBucket}/*`;
}

/**
 * A representative object S3 writes for this configuration (reference §4: `{prefix}/{source}/{id}/data/…`).
 * A grant that covers this key covers the report path; one scoped to another prefix does not.
 */
export function reportObjectArn(source: DeliverySource): string {
  const prefix = source.destinationPrefix ? `${source.destinationPrefix}/` : '';
  return (
    `arn:${source.partition}:s3:::${source.destinationBucket}/` +
    `${prefix}${source.sourceBucket}/${source.configurationId}/data/report.csv.gz`
  );
}
