import { describe, expect, it } from 'vitest';
import { readServiceConfig, ServiceConfigError } from '../../../lib/wiring/serviceConfig.js';

describe('readServiceConfig(): audit anchor settings (issue 16)', () => {
  it('reads the digest bucket, key and retention, and leaves them out when unset', () => {
    expect(
      readServiceConfig({
        S3IR_DIGEST_BUCKET: 'digests',
        S3IR_DIGEST_KEY_ID: 'alias/s3ir-audit-digest',
        S3IR_DIGEST_RETENTION_DAYS: '30',
      }),
    ).toMatchObject({
      digestBucket: 'digests',
      digestKeyId: 'alias/s3ir-audit-digest',
      digestRetentionDays: 30,
    });
    const config = readServiceConfig({});
    expect([config.digestBucket, config.digestKeyId, config.digestRetentionDays]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('refuses a bucket without a key (a digest is worthless unsigned), naming both variables', () => {
    expect(() => readServiceConfig({ S3IR_DIGEST_BUCKET: 'digests' })).toThrow(
      new ServiceConfigError(
        'S3IR_DIGEST_BUCKET is set but S3IR_DIGEST_KEY_ID is not: audit anchors need both (S3IR_DIGEST_BUCKET="digests")',
      ),
    );
  });

  it('refuses a retention that is not a whole number of days, naming variable and value', () => {
    expect(() => readServiceConfig({ S3IR_DIGEST_RETENTION_DAYS: '0' })).toThrow(
      'S3IR_DIGEST_RETENTION_DAYS must be a whole number of days from 1 to 36500, not "0"',
    );
  });
});
