import { anySourceBucketArn, destinationObjectsArn } from './arns.js';
import { DESTINATION_GRANT_SID, KEY_GRANT_SID, S3_SERVICE_PRINCIPAL } from './constants.js';
import type { DeliverySource, GrantTarget, PolicyStatement } from './types.js';

/**
 * The destination bucket policy statement S3 Inventory needs for one source (docs/aws-facts.md §2), with our Sid,
 * keyed by the source's account: `aws:SourceAccount` names the account and `aws:SourceArn` is the pattern
 * `arn:{partition}:s3:::*`, so every source of that account shares one entry (docs/aws-facts.md §13).
 * This is what an action-required alert asks another account's owner to add when their policy holds no
 * statement of ours yet (one that does gets ours extended with this source, as `ensureDelivery` writes it).
 */
export function requiredDestinationStatement(source: DeliverySource): PolicyStatement {
  return {
    Sid: DESTINATION_GRANT_SID,
    Effect: 'Allow',
    Principal: { Service: S3_SERVICE_PRINCIPAL },
    Action: 's3:PutObject',
    Resource: [destinationObjectsArn(source)],
    Condition: {
      ArnLike: { 'aws:SourceArn': anySourceBucketArn(source.partition) },
      StringEquals: {
        'aws:SourceAccount': source.sourceAccount,
        's3:x-amz-acl': 'bucket-owner-full-control',
      },
    },
  };
}

/** The KMS key policy statement S3 Inventory needs for one source (docs/aws-facts.md §3, §13), with our Sid, keyed by account. */
export function requiredKeyStatement(source: DeliverySource): PolicyStatement {
  return {
    Sid: KEY_GRANT_SID,
    Effect: 'Allow',
    Principal: { Service: S3_SERVICE_PRINCIPAL },
    Action: ['kms:GenerateDataKey'],
    Resource: '*',
    Condition: {
      StringEquals: { 'aws:SourceAccount': source.sourceAccount },
      ArnLike: { 'aws:SourceArn': anySourceBucketArn(source.partition) },
    },
  };
}

/** The statement for either target. */
export function requiredStatement(source: DeliverySource, target: GrantTarget): PolicyStatement {
  return target === 'destination-policy'
    ? requiredDestinationStatement(source)
    : requiredKeyStatement(source);
}
