import { describe, expect, it } from 'vitest';
import { bucketNameFromArn } from '../../../lib/inventory/bucketArn.js';

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
