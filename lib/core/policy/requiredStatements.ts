import { destinationObjectsArn, sourceBucketArn } from './arns.js';
import { DESTINATION_GRANT_SID, KEY_GRANT_SID, S3_SERVICE_PRINCIPAL } from './constants.js';
import type { DeliverySource, GrantTarget, PolicyStatement } from './types.js';

/**
 * The destination bucket policy statement S3 Inventory needs for one source (docs/aws-facts.md §2), with our Sid.
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
      ArnLike: { 'aws:SourceArn': sourceBucketArn(source) },
      StringEquals: {
        'aws:SourceAccount': source.sourceAccount,
        's3:x-amz-acl': 'bucket-owner-full-control',
      },
    },
  };
}

/** The KMS key policy statement S3 Inventory needs for one source (docs/aws-facts.md §3), with our Sid. */
export function requiredKeyStatement(source: DeliverySource): PolicyStatement {
  return {
    Sid: KEY_GRANT_SID,
    Effect: 'Allow',
    Principal: { Service: S3_SERVICE_PRINCIPAL },
    Action: ['kms:GenerateDataKey'],
    Resource: '*',
    Condition: {
      StringEquals: { 'aws:SourceAccount': source.sourceAccount },
      ArnLike: { 'aws:SourceArn': sourceBucketArn(source) },
    },
  };
}

/** The statement for either target. */
export function requiredStatement(source: DeliverySource, target: GrantTarget): PolicyStatement {
  return target === 'destination-policy'
    ? requiredDestinationStatement(source)
    : requiredKeyStatement(source);
}
