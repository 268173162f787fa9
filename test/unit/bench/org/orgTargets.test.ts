import { describe, expect, it } from 'vitest';
import { evaluateOrgTargets, orgCallFacts, orgServiceCalls } from '../../../../bench/org/orgTargets.js';
import { makeOrgSize, orgSweep } from './orgFixtures.js';

const byName = (size: ReturnType<typeof makeOrgSize>) =>
  new Map(evaluateOrgTargets(size).map((verdict) => [verdict.name, verdict]));

describe('orgCallFacts()', () => {
  it('counts every call per bucket, the shared policies written, AssumeRole and DynamoDB writes', () => {
    expect(
      orgCallFacts(
        {
          's3.ListBucketInventoryConfigurations': 100,
          's3.PutBucketPolicy': 3,
          'kms.PutKeyPolicy': 2,
          'sts.AssumeRole': 5,
          'dynamodb.PutItem': 40,
          'dynamodb.TransactWriteItems': 10,
          'dynamodb.Query': 50,
        },
        100,
      ),
    ).toEqual({ callsPerBucket: 2.1, putBucketPolicy: 3, putKeyPolicy: 2, assumeRole: 5, dynamoWrites: 50 });
  });
});

describe('orgServiceCalls()', () => {
  it("lists the issue's services first, 0 for those not called, then any other service", () => {
    const sweep = orgSweep(10, { 's3.ListBuckets': 5, 'tagging.GetResources': 2, 'sqs.ReceiveMessage': 1 });
    expect(orgServiceCalls(sweep)).toEqual([
      ['s3', 0.5],
      ['dynamodb', 0],
      ['sts', 0],
      ['sqs', 0.1],
      ['organizations', 0],
      ['kms', 0],
      ['sns', 0],
      ['tagging', 0.2],
    ]);
  });
});

describe('evaluateOrgTargets()', () => {
  it('meets every target of a run that stays within them', () => {
    const verdicts = evaluateOrgTargets(makeOrgSize());
    expect(verdicts.map((verdict) => [verdict.name, verdict.met])).toEqual([
      ['First sweep: PutBucketPolicy on the shared destination', true],
      ['First sweep: PutKeyPolicy on the shared key', true],
      ['First sweep: AWS calls per bucket, every service', true],
      ['Steady state: S3 calls per bucket', true],
      ['Steady state: DynamoDB writes', true],
      ['STS AssumeRole: at most one per account per sandbox', true],
      ["Destination policy after the first sweep, against S3's 20 KB", true],
      ["Key policy after the first sweep, against KMS's 32 KB", true],
      ['Every sampled bucket converged after the first sweep; no untagged bucket touched', true],
    ]);
    expect(verdicts[0]!.measured).toBe('1');
    expect(verdicts[2]!.measured).toBe('7.01');
    expect(verdicts[3]!.measured).toBe('1.005');
    expect(verdicts[5]).toMatchObject({
      target: '≤ 450 over both sweeps (50 accounts × 9 sandboxes)',
      measured: '100: first 100 (2.0 per account), steady 0',
    });
  });

  it('misses point 4 with one policy write per account, and says how many for how many accounts', () => {
    const size = makeOrgSize();
    size.first = orgSweep(10_000, {
      's3.ListBucketInventoryConfigurations': 10_000,
      's3.PutBucketPolicy': 50,
      'kms.PutKeyPolicy': 50,
      'dynamodb.GetItem': 200_000,
    });
    const verdicts = byName(size);
    expect(verdicts.get('First sweep: PutBucketPolicy on the shared destination')).toMatchObject({
      measured: '50',
      met: false,
      note: '50 writes for 50 member accounts: grants are not coalesced per sweep',
    });
    expect(verdicts.get('First sweep: PutKeyPolicy on the shared key')?.met).toBe(false);
    expect(verdicts.get('First sweep: AWS calls per bucket, every service')).toMatchObject({
      measured: '21.01',
      met: false,
      note: '13.01 over; the largest: dynamodb.GetItem 20.00, s3.ListBucketInventoryConfigurations 1.00, kms.PutKeyPolicy 0.01, s3.PutBucketPolicy 0.01',
    });
  });

  it('misses the steady targets with their causes, and the AssumeRole bound over accounts × sandboxes', () => {
    const size = makeOrgSize({ accounts: 2, sandboxes: 3 });
    size.steady = orgSweep(10_000, {
      's3.ListBucketInventoryConfigurations': 10_000,
      's3.HeadBucket': 500,
      'dynamodb.PutItem': 3,
      'sts.AssumeRole': 7,
    });
    const verdicts = byName(size);
    expect(verdicts.get('Steady state: S3 calls per bucket')).toMatchObject({
      measured: '1.050',
      met: false,
      note: '0.030 over: s3.ListBucketInventoryConfigurations 1.00, s3.HeadBucket 0.05',
    });
    expect(verdicts.get('Steady state: DynamoDB writes')).toMatchObject({ measured: '3', met: false });
    expect(verdicts.get('STS AssumeRole: at most one per account per sandbox')).toMatchObject({
      target: '≤ 6 over both sweeps (2 accounts × 3 sandboxes)',
      measured: '107: first 100 (50.0 per account), steady 7',
      met: false,
    });
  });

  it('judges the shared policies against their limits, and a run that is not 10,000 says its N', () => {
    const size = makeOrgSize({
      buckets: 200,
      policies: {
        destinationBytes: 20_481,
        destinationStatements: 2,
        grantedAccounts: 5,
        keyBytes: 32_768,
        keyStatements: 2,
      },
    });
    const verdicts = byName(size);
    expect(verdicts.get("Destination policy after the first sweep, against S3's 20 KB")).toMatchObject({
      measured: '20,481 bytes (2 statements, 5 accounts granted)',
      met: false,
    });
    expect(verdicts.get("Key policy after the first sweep, against KMS's 32 KB")?.met).toBe(true);
    expect(verdicts.get('First sweep: PutBucketPolicy on the shared destination')?.measured).toBe(
      '1 (measured at N=200)',
    );
  });

  it('fails the convergence check on a bucket not converged, an untagged one touched or a message unsettled', () => {
    const name = 'Every sampled bucket converged after the first sweep; no untagged bucket touched';
    const size = makeOrgSize({
      checks: { sampled: 200, notConverged: ['b-1'], untagged: 50, untaggedTouched: ['u-1'] },
    });
    expect(byName(size).get(name)).toMatchObject({
      measured: '199 of 200 sampled; 1 of 50 untagged touched',
      met: false,
      note: 'not converged: b-1; untagged but touched: u-1',
    });
    const unsettled = makeOrgSize();
    unsettled.first = { ...unsettled.first, unsettled: 12 };
    expect(byName(unsettled).get(name)).toMatchObject({
      met: false,
      note: '12 bucket messages of the first sweep never settled',
    });
  });
});
