import { describe, expect, it } from 'vitest';
import {
  actualConfigurations,
  DriftKind,
  desiredConfiguration,
  destinationPolicy,
  keyPolicy,
  planEstate,
} from '../../../bench/estate/planEstate.js';
import { evaluateDelivery } from '../../../lib/core/policy/allowsDelivery.js';

describe('planEstate()', () => {
  it('gives 100 buckets the issue mix exactly', () => {
    expect(planEstate(100).mix).toEqual({
      'in-sync': 60,
      missing: 20,
      changed: 10,
      'missing-grant': 5,
      unmanaged: 5,
    });
  });

  it('keeps the mix in every run of twenty and spreads each kind over all destinations', () => {
    const { sources } = planEstate(1_000);
    for (let start = 0; start < 1_000; start += 20) {
      const block = sources.slice(start, start + 20);
      expect(block.filter((source) => source.drift === DriftKind.InSync)).toHaveLength(12);
      expect(block.filter((source) => source.drift === DriftKind.MissingGrant)).toHaveLength(1);
    }
    for (const kind of Object.values(DriftKind)) {
      const destinations = new Set(
        sources.filter((source) => source.drift === kind).map((s) => s.destination),
      );
      expect([...destinations].sort()).toEqual([0, 1, 2, 3]);
    }
  });

  it('names buckets uniquely, the ungranted ones outside the granted pattern', () => {
    const { sources } = planEstate(40);
    expect(new Set(sources.map((source) => source.bucket)).size).toBe(40);
    for (const source of sources) {
      expect(source.bucket).toMatch(
        source.drift === DriftKind.MissingGrant ? /^bench-new-\d{5}$/ : /^bench-src-\d{5}$/,
      );
    }
  });

  it('refuses a size below 1', () => {
    expect(() => planEstate(0)).toThrow('buckets must be ≥ 1, not 0');
  });
});

describe('the seeded state', () => {
  const plan = planEstate(20);
  const keys = ['arn:aws:kms:us-east-1:123456789012:key/a', 'arn:aws:kms:us-east-1:123456789012:key/b'];
  const of = (kind: DriftKind) => plan.sources.find((source) => source.drift === kind)!;

  it('encrypts with the destination key for the first two destinations, SSE-S3 for the others', () => {
    const encryption = [0, 1, 2, 3].map(
      (destination) =>
        desiredConfiguration({ bucket: 'b', drift: DriftKind.InSync, destination }, plan, keys).Destination
          ?.S3BucketDestination?.Encryption,
    );
    expect(encryption).toEqual([
      { SSEKMS: { KeyId: keys[0] } },
      { SSEKMS: { KeyId: keys[1] } },
      { SSES3: {} },
      { SSES3: {} },
    ]);
  });

  it('drifts each kind as its name says', () => {
    const actual = (kind: DriftKind) => {
      const source = of(kind);
      return actualConfigurations(source, desiredConfiguration(source, plan, keys));
    };
    expect(actual(DriftKind.Missing)).toEqual([]);
    expect(actual(DriftKind.Changed).map((c) => [c.Id, c.Schedule?.Frequency])).toEqual([
      ['daily', 'Weekly'],
    ]);
    expect(actual(DriftKind.Unmanaged).map((c) => c.Id)).toEqual(['daily', 'legacy-weekly']);
    const inSync = of(DriftKind.InSync);
    expect(actual(DriftKind.InSync)).toEqual([desiredConfiguration(inSync, plan, keys)]);
  });

  it('grants delivery from granted sources only, and the key to every bench source', () => {
    const account = '123456789012';
    const source = (bucket: string) => ({
      sourceBucket: bucket,
      sourceAccount: account,
      partition: 'aws',
      destinationBucket: 'bench-reports-1',
      destinationPrefix: 'inventory',
      configurationId: 'daily',
      keyArn: keys[0],
    });
    const destination = JSON.parse(destinationPolicy('bench-reports-1', account));
    expect(evaluateDelivery(destination, source(of(DriftKind.InSync).bucket))).toBe('allowed');
    expect(evaluateDelivery(destination, source(of(DriftKind.MissingGrant).bucket))).toBe('implicit-deny');
    const key = JSON.parse(keyPolicy(account));
    expect(evaluateDelivery(key, source(of(DriftKind.MissingGrant).bucket), 'key-policy')).toBe('allowed');
    expect(evaluateDelivery(key, source('someone-else'), 'key-policy')).toBe('implicit-deny');
  });
});
