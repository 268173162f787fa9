import { describe, expect, it } from 'vitest';
import { bucketArnParts, bucketNameFromArn } from '../../../../lib/core/inventory/bucketArn.js';

describe('bucketNameFromArn()', () => {
  it.each([
    ['arn:aws:s3:::inventory-reports', 'inventory-reports'],
    ['arn:aws-cn:s3:::reports.cn', 'reports.cn'],
    ['arn:aws:s3::123456789012:dest', undefined],
    ['arn:aws:s3:::Dest', undefined],
    ['inventory-reports', undefined],
  ])('gives %s → %s', (arn, name) => {
    expect(bucketNameFromArn(arn)).toBe(name);
  });
});

describe('bucketArnParts()', () => {
  it.each([
    ['arn:aws:s3:::inventory-reports', { partition: 'aws', bucket: 'inventory-reports' }],
    ['arn:aws-cn:s3:::reports.cn', { partition: 'aws-cn', bucket: 'reports.cn' }],
    // Structural only: S3 accepted it, so a legacy name still names the bucket.
    ['arn:aws:s3:::Legacy_Bucket', { partition: 'aws', bucket: 'Legacy_Bucket' }],
    ['arn:aws:s3::123456789012:dest', undefined],
    ['arn:aws:s3:us-east-1::dest', undefined],
    ['arn:aws:s3:::dest/folder', undefined],
    ['arn:aws:s3:::', undefined],
    ['arn::s3:::dest', undefined],
    ['arn:aws:kms:::dest', undefined],
    ['inventory-reports', undefined],
  ])('gives %s → %o', (arn, parts) => {
    expect(bucketArnParts(arn)).toEqual(parts);
  });
});
