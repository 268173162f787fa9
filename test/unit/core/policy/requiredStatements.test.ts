import { describe, expect, it } from 'vitest';
import {
  DESTINATION_GRANT_SID,
  KEY_GRANT_SID,
  POLICY_SIZE_LIMITS,
} from '../../../../lib/core/policy/constants.js';
import {
  requiredDestinationStatement,
  requiredKeyStatement,
} from '../../../../lib/core/policy/requiredStatements.js';
import { makeDeliverySource } from '../../../helpers/policyArbitraries.js';

describe('requiredDestinationStatement()', () => {
  it('is the statement of the S3 user guide keyed by the source account, with our Sid', () => {
    expect(requiredDestinationStatement(makeDeliverySource())).toEqual({
      Sid: 'S3irInventoryDelivery',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: ['arn:aws:s3:::inventory-reports/*'],
      Condition: {
        ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' },
        StringEquals: { 'aws:SourceAccount': '111122223333', 's3:x-amz-acl': 'bucket-owner-full-control' },
      },
    });
  });

  it('uses the partition of the source', () => {
    const statement = requiredDestinationStatement(makeDeliverySource({ partition: 'aws-cn' }));
    expect(statement.Resource).toEqual(['arn:aws-cn:s3:::inventory-reports/*']);
    expect(statement.Condition?.ArnLike).toEqual({ 'aws:SourceArn': 'arn:aws-cn:s3:::*' });
  });
});

describe('requiredKeyStatement()', () => {
  it('is the key policy statement S3 Inventory needs keyed by the source account, with our Sid', () => {
    expect(requiredKeyStatement(makeDeliverySource({ partition: 'aws-us-gov' }))).toEqual({
      Sid: 'S3irInventoryKeyGrant',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: ['kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111122223333' },
        ArnLike: { 'aws:SourceArn': 'arn:aws-us-gov:s3:::*' },
      },
    });
  });
});

describe('constants', () => {
  it('uses Sids that IAM, S3 and KMS all accept', () => {
    expect(DESTINATION_GRANT_SID).toMatch(/^[A-Za-z0-9]+$/);
    expect(KEY_GRANT_SID).toMatch(/^[A-Za-z0-9]+$/);
  });

  it('knows the size limits of both policies', () => {
    expect(POLICY_SIZE_LIMITS).toEqual({ 'destination-policy': 20_480, 'key-policy': 32_768 });
  });
});
