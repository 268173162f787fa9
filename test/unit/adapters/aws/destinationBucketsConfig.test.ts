import { describe, expect, it } from 'vitest';
import { matchesBucketPatterns } from '../../../../lib/adapters/aws/bucketPatterns.js';
import { readServiceConfig, ServiceConfigError } from '../../../../lib/wiring/serviceConfig.js';

describe('S3IR_DESTINATION_BUCKETS', () => {
  it('is no restriction when absent, and none at all when present but empty', () => {
    expect(readServiceConfig({}).destinationBuckets).toBeUndefined();
    expect(readServiceConfig({ S3IR_DESTINATION_BUCKETS: '' }).destinationBuckets).toEqual([]);
    expect(readServiceConfig({ S3IR_DESTINATION_BUCKETS: ' , ' }).destinationBuckets).toEqual([]);
  });

  it('reads names and prefixes ending in *, trimmed', () => {
    expect(
      readServiceConfig({ S3IR_DESTINATION_BUCKETS: 'inv-reports, logs-* ,a.b-c,*' }).destinationBuckets,
    ).toEqual(['inv-reports', 'logs-*', 'a.b-c', '*']);
  });

  it.each(['logs-*-eu', 'Upper', 'a b', '*logs', 'arn:aws:s3:::x', '-leading'])(
    'refuses %j, naming the variable and the value',
    (entry) => {
      const read = () => readServiceConfig({ S3IR_DESTINATION_BUCKETS: `ok-bucket,${entry}` });
      expect(read).toThrow(ServiceConfigError);
      expect(read).toThrow(/S3IR_DESTINATION_BUCKETS must list bucket names or name prefixes ending in \*/);
      expect(read).toThrow(JSON.stringify(entry));
    },
  );
});

describe('S3IR_READ_ROLE', () => {
  it('is unset unless given (the client factory then assumes s3ir-read)', () => {
    expect(readServiceConfig({}).readRoleName).toBeUndefined();
    expect(readServiceConfig({ S3IR_READ_ROLE: 'audit-read' }).readRoleName).toBe('audit-read');
  });
});

describe('matchesBucketPatterns()', () => {
  it('matches exact names and prefixes as IAM matches arn:aws:s3:::prefix*', () => {
    const patterns = ['inv-reports', 'logs-*'];
    expect(matchesBucketPatterns('inv-reports', patterns)).toBe(true);
    expect(matchesBucketPatterns('inv-reports-2', patterns)).toBe(false);
    expect(matchesBucketPatterns('logs-', patterns)).toBe(true);
    expect(matchesBucketPatterns('logs-eu', patterns)).toBe(true);
    expect(matchesBucketPatterns('logs', patterns)).toBe(false);
    expect(matchesBucketPatterns('anything', ['*'])).toBe(true);
    expect(matchesBucketPatterns('anything', [])).toBe(false);
    expect(matchesBucketPatterns('anything', undefined)).toBe(true);
  });
});
