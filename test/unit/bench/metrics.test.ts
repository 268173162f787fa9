import { describe, expect, it } from 'vitest';
import {
  callsPerBucket,
  dynamoWrites,
  floorMs,
  floorRatio,
  floorShares,
  growthExponent,
  median,
  percentile,
  scaleLatency,
  serviceCallsPerBucket,
  serviceOf,
} from '../../../bench/metrics.js';

const latency = { s3: 20, kms: 15, dynamodb: 10 };

describe('floorMs()', () => {
  it('adds calls × their service latency and divides by the concurrency', () => {
    const calls = {
      's3.ListBucketInventoryConfigurations': 100,
      'kms.DescribeKey': 2,
      'dynamodb.Query': 100,
      // No latency is injected for SQS: it costs the floor nothing.
      'sqs.ReceiveMessage': 30,
    };
    // (100 × 20 + 2 × 15 + 100 × 10) ÷ 8
    expect(floorMs(calls, latency, 8)).toBe(3_030 / 8);
  });

  it('is 0 without calls and refuses a concurrency below 1', () => {
    expect(floorMs({}, latency, 4)).toBe(0);
    expect(() => floorMs({}, latency, 0)).toThrow('concurrency must be positive, not 0');
  });
});

describe('floorRatio()', () => {
  it('is wall time over the floor', () => {
    expect(floorRatio(1_200, 1_000)).toBe(1.2);
  });

  it('is undefined when nothing had latency', () => {
    expect(floorRatio(1_200, 0)).toBeUndefined();
  });
});

describe('percentile()', () => {
  const twenty = Array.from({ length: 20 }, (_, index) => (20 - index) * 100);

  it('takes the nearest rank: p95 of 20 values is the 19th smallest', () => {
    expect(percentile(twenty, 95)).toBe(1_900);
    expect(percentile(twenty, 100)).toBe(2_000);
    expect(percentile(twenty, 0)).toBe(100);
  });

  it('gives the median of an odd and an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2);
  });

  it('is undefined for no values, and refuses a percentile outside 0–100', () => {
    expect(percentile([], 95)).toBeUndefined();
    expect(() => percentile([1], 101)).toThrow('percentile must be 0–100, not 101');
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('callsPerBucket()', () => {
  it('divides each operation by the buckets, largest first, then by name, dropping zeros', () => {
    const perBucket = callsPerBucket(
      {
        'sqs.ReceiveMessage': 25,
        's3.ListBucketInventoryConfigurations': 100,
        'dynamodb.Query': 100,
        'sns.Publish': 0,
      },
      100,
    );
    expect(Object.entries(perBucket)).toEqual([
      ['dynamodb.Query', 1],
      ['s3.ListBucketInventoryConfigurations', 1],
      ['sqs.ReceiveMessage', 0.25],
    ]);
  });

  it('refuses no buckets', () => {
    expect(() => callsPerBucket({}, 0)).toThrow('buckets must be positive, not 0');
  });
});

describe('serviceCallsPerBucket()', () => {
  it('sums operations by service', () => {
    const perBucket = serviceCallsPerBucket(
      { 's3.ListBucketInventoryConfigurations': 1_000, 's3.GetBucketPolicy': 32, 'kms.DescribeKey': 16 },
      1_000,
    );
    expect(perBucket).toEqual({ s3: 1.032, kms: 0.016 });
  });
});

describe('dynamoWrites()', () => {
  it('counts every write operation, each batch call once, and no reads', () => {
    const calls = {
      'dynamodb.PutItem': 3,
      'dynamodb.UpdateItem': 2,
      'dynamodb.DeleteItem': 1,
      'dynamodb.BatchWriteItem': 4,
      'dynamodb.TransactWriteItems': 5,
      'dynamodb.Query': 100,
      'dynamodb.GetItem': 7,
    };
    expect(dynamoWrites(calls)).toBe(15);
    expect(dynamoWrites({ 'dynamodb.Query': 9 })).toBe(0);
  });
});

describe('growthExponent()', () => {
  it('is 1 when wall time is proportional to N', () => {
    const points = [100, 1_000, 10_000].map((buckets) => ({ buckets, wallMs: buckets * 7 }));
    expect(growthExponent(points)).toBeCloseTo(1, 10);
  });

  it('is 2 when it grows with N squared, and below 1 with a fixed cost', () => {
    expect(growthExponent([100, 1_000].map((buckets) => ({ buckets, wallMs: buckets ** 2 })))).toBeCloseTo(
      2,
      10,
    );
    const withFixedCost = growthExponent(
      [100, 1_000].map((buckets) => ({ buckets, wallMs: 5_000 + buckets })),
    );
    expect(withFixedCost).toBeLessThan(1);
  });

  it('is undefined with fewer than two sizes', () => {
    expect(growthExponent([{ buckets: 100, wallMs: 10 }])).toBeUndefined();
    expect(
      growthExponent([
        { buckets: 100, wallMs: 10 },
        { buckets: 100, wallMs: 20 },
      ]),
    ).toBeUndefined();
  });
});

describe('floorShares()', () => {
  it('ranks operations by their share of Σ calls × latency, leaving out those without latency', () => {
    const shares = floorShares(
      { 's3.ListBucketInventoryConfigurations': 100, 'dynamodb.Query': 100, 'sqs.ReceiveMessage': 50 },
      latency,
    );
    expect(shares).toEqual([
      { operation: 's3.ListBucketInventoryConfigurations', ms: 2_000, share: 2 / 3 },
      { operation: 'dynamodb.Query', ms: 1_000, share: 1 / 3 },
    ]);
  });
});

describe('serviceOf()', () => {
  it('is the part before the first dot', () => {
    expect(serviceOf('s3.HeadBucket')).toBe('s3');
    expect(serviceOf('unknown')).toBe('unknown');
  });
});

describe('scaleLatency()', () => {
  it('multiplies every service and rounds to whole milliseconds', () => {
    expect(scaleLatency({ s3: 20, kms: 15, dynamodb: 10 }, 5)).toEqual({ s3: 100, kms: 75, dynamodb: 50 });
    expect(scaleLatency({ s3: 15 }, 2.5)).toEqual({ s3: 38 });
  });
});
