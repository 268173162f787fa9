import type { DeliverySource } from './types.js';

/** `arn:{partition}:s3:::{source}`: the value S3 puts in `aws:SourceArn` when it delivers. */
export function sourceBucketArn(source: DeliverySource): string {
  return `arn:${source.partition}:s3:::${source.sourceBucket}`;
}

/**
 * `arn:{partition}:s3:::*`: every bucket, the `aws:SourceArn` pattern of our account-keyed statement. The statement's
 * `aws:SourceAccount` list bounds it to the source accounts, so the policy grows by account, not by bucket
 * (docs/aws-facts.md §13).
 */
export function anySourceBucketArn(partition: string): string {
  return `arn:${partition}:s3:::*`;
}

/** `arn:{partition}:s3:::{dest}/*`: every object of the destination bucket, the resource our grant names. */
export function destinationObjectsArn(source: DeliverySource): string {
  return `arn:${source.partition}:s3:::${source.destinationBucket}/*`;
}

/** A date as S3 names a report's folders (docs/aws-facts.md §4); any date stands for every one. */
const REPORT_TIME = '2016-11-30T00-00Z';
const HIVE_PARTITION = 'dt=2016-11-30-00-00';

/**
 * One object of each kind S3 writes for a report of this configuration (docs/aws-facts.md §4): a data file, the
 * manifest and its checksum in a dated folder, and the Hive symlink. A grant must cover every one, and a
 * Deny of any one stops the delivery: a grant scoped to `…/data/*` lets no manifest through.
 */
export function reportObjectArns(source: DeliverySource): string[] {
  const prefix = source.destinationPrefix ? `${source.destinationPrefix}/` : '';
  const report =
    `arn:${source.partition}:s3:::${source.destinationBucket}/` +
    `${prefix}${source.sourceBucket}/${source.configurationId}`;
  return [
    `${report}/data/report.csv.gz`,
    `${report}/${REPORT_TIME}/manifest.json`,
    `${report}/${REPORT_TIME}/manifest.checksum`,
    `${report}/hive/${HIVE_PARTITION}/symlink.txt`,
  ];
}
