import { describe, expect, it } from 'vitest';
import { ensureDelivery } from '../../../../lib/core/policy/ensureDelivery.js';
import { PolicySizeLimitError } from '../../../../lib/core/policy/errors.js';
import { serializePolicy } from '../../../../lib/core/policy/parsePolicy.js';
import { requiredDestinationStatement } from '../../../../lib/core/policy/requiredStatements.js';
import type { PolicyStatement } from '../../../../lib/core/policy/types.js';
import { makeDeliverySource } from '../../../helpers/policyArbitraries.js';

const source = makeDeliverySource();
const FOREIGN: PolicyStatement = {
  Sid: 'ReadForAnalytics',
  Effect: 'Allow',
  Principal: { AWS: ['arn:aws:iam::123456789012:role/analytics'] },
  Action: ['s3:GetObject', 's3:ListBucket'],
  Resource: ['arn:aws:s3:::inventory-reports', 'arn:aws:s3:::inventory-reports/*'],
};

describe('ensureDelivery() size limits', () => {
  it('refuses to grow a bucket policy past 20 KB', () => {
    const filler = (count: number): PolicyStatement => ({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 's3:GetObject',
      Resource: Array.from({ length: count }, (_, i) => `arn:aws:s3:::inventory-reports/team-${i}/*`),
    });
    // Find the largest filler that still leaves room for our statement, then one entry more.
    let count = 1;
    while (
      serializePolicy({ Statement: [filler(count + 1), requiredDestinationStatement(source)] }).length <=
      20_480
    ) {
      count += 1;
    }
    const fits = ensureDelivery({ Statement: [filler(count)] }, source);
    expect(serializePolicy(fits.document!).length).toBeLessThanOrEqual(20_480);

    const tooBig = { Statement: [filler(count + 1)] };
    expect(serializePolicy(tooBig).length).toBeLessThan(20_480);
    let caught: unknown;
    try {
      ensureDelivery(tooBig, source);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PolicySizeLimitError);
    const error = caught as PolicySizeLimitError;
    expect(error).toMatchObject({
      target: 'destination-policy',
      limit: 20_480,
      name: 'PolicySizeLimitError',
    });
    expect(error.size).toBe(
      serializePolicy({ Statement: [filler(count + 1), requiredDestinationStatement(source)] }).length,
    );
  });

  it('measures the size in UTF-8 bytes', () => {
    const wide: PolicyStatement = { ...FOREIGN, Sid: undefined, Description: 'é'.repeat(10_000) };
    expect(serializePolicy({ Statement: [wide] }).length).toBeLessThan(20_480);
    expect(() => ensureDelivery({ Statement: [wide] }, source)).toThrow(
      expect.objectContaining({ size: expect.any(Number), limit: 20_480 }),
    );
  });

  it('allows 32 KB for a key policy', () => {
    const wide: PolicyStatement = { ...FOREIGN, Description: 'x'.repeat(25_000) };
    expect(() => ensureDelivery({ Statement: [wide] }, source)).toThrow(PolicySizeLimitError);
    expect(ensureDelivery({ Statement: [wide] }, source, 'key-policy').changed).toBe(true);
  });
});
