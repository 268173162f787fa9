import { describe, expect, it } from 'vitest';
import { kmsKeyRegion } from '../../../../lib/core/inventory/kmsKeyArn.js';

describe('kmsKeyRegion()', () => {
  it.each([
    ['arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'eu-west-1'],
    ['arn:aws-cn:kms:cn-north-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab', 'cn-north-1'],
    ['arn:aws:kms::111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', undefined],
    ['arn:aws:s3:us-east-1:111122223333:key/x', undefined],
    ['alias/reports', undefined],
    ['1234abcd-12ab-34cd-56ef-1234567890ab', undefined],
  ])('gives %s → %s', (arn, region) => {
    expect(kmsKeyRegion(arn)).toBe(region);
  });
});
