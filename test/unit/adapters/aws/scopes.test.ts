import { describe, expect, it } from 'vitest';
import { kmsKeyScope, partitionOfRegion, regionFromLocation } from '../../../../lib/adapters/aws/scopes.js';

describe('regionFromLocation()', () => {
  it('reads an empty constraint as us-east-1 and EU as eu-west-1 (docs/aws-facts.md §2)', () => {
    expect(regionFromLocation(undefined)).toBe('us-east-1');
    expect(regionFromLocation('')).toBe('us-east-1');
    expect(regionFromLocation(null)).toBe('us-east-1');
    expect(regionFromLocation('US')).toBe('us-east-1');
    expect(regionFromLocation('EU')).toBe('eu-west-1');
    expect(regionFromLocation('ap-southeast-2')).toBe('ap-southeast-2');
  });
});

describe('kmsKeyScope()', () => {
  it('takes account and region from a key ARN, nothing from anything else', () => {
    expect(kmsKeyScope('arn:aws:kms:eu-west-1:222233334444:key/abc')).toEqual({
      account: '222233334444',
      region: 'eu-west-1',
    });
    expect(kmsKeyScope('1234abcd-12ab-34cd-56ef-1234567890ab')).toEqual({});
    expect(kmsKeyScope('arn:aws:s3:::bucket')).toEqual({});
  });
});

describe('partitionOfRegion()', () => {
  it('names the partition', () => {
    expect(partitionOfRegion('us-east-1')).toBe('aws');
    expect(partitionOfRegion('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOfRegion('us-gov-west-1')).toBe('aws-us-gov');
  });
});
