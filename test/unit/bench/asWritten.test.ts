import { describe, expect, it } from 'vitest';
import { asWritten } from '../../../bench/runSize.js';

const declared = {
  Id: 'daily',
  IsEnabled: true,
  IncludedObjectVersions: 'Current' as const,
  Schedule: { Frequency: 'Daily' as const },
  Destination: { S3BucketDestination: { Bucket: 'arn:aws:s3:::reports', Format: 'CSV' as const } },
};

describe('asWritten()', () => {
  it("adds the destination's account, as every put of the service does", () => {
    expect(asWritten(declared, '123456789012').Destination?.S3BucketDestination).toEqual({
      Bucket: 'arn:aws:s3:::reports',
      Format: 'CSV',
      AccountId: '123456789012',
    });
    expect(declared.Destination.S3BucketDestination).not.toHaveProperty('AccountId');
  });

  it('keeps an account the declaration names', () => {
    const named = {
      ...declared,
      Destination: {
        S3BucketDestination: { ...declared.Destination.S3BucketDestination, AccountId: '222233334444' },
      },
    };
    expect(asWritten(named, '123456789012')).toBe(named);
  });
});
