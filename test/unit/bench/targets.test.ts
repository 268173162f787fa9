import { describe, expect, it } from 'vitest';
import { evaluateTargets, projectSteadyS3 } from '../../../bench/targets.js';
import type { TargetVerdict } from '../../../bench/types.js';
import { makeBundle, makeEvents, makeSize, makeSweep } from './benchFixtures.js';

const byName = (verdicts: TargetVerdict[], name: string) =>
  verdicts.find((verdict) => verdict.name === name)!;

/** A steady sweep with `fixed` S3 calls per run plus one per bucket. */
const steadyWithS3 = (buckets: number, fixed: number) => {
  const s3 = buckets + fixed;
  return makeSweep(buckets, {
    calls: { 's3.ListBucketInventoryConfigurations': buckets, 's3.GetBucketPolicy': fixed },
    callsPerBucket: { 's3.ListBucketInventoryConfigurations': 1, 's3.GetBucketPolicy': fixed / buckets },
    serviceCallsPerBucket: { s3: s3 / buckets },
  });
};

describe('evaluateTargets()', () => {
  it('meets every target with good numbers at 10,000 buckets', () => {
    const sizes = [100, 1_000, 10_000].map((buckets) =>
      makeSize(buckets, { steady: steadyWithS3(buckets, 32), peakRssMiB: 200 }),
    );
    const verdicts = evaluateTargets(sizes, [
      makeBundle('reconcile'),
      makeBundle('schedule', { initMs: 150 }),
    ]);
    expect(verdicts.map((verdict) => [verdict.name, verdict.met])).toEqual([
      ['Steady-state S3 calls per bucket', true],
      ['DynamoDB writes per bucket in steady state', true],
      ['Sweep time against the floor', false],
      ['Sweep time growing linearly with N', true],
      ['Peak RSS of the worker process', true],
      ['Revert of a hand-made change (p95)', true],
      ["Each function's init", true],
    ]);
    expect(byName(verdicts, 'Steady-state S3 calls per bucket').measured).toBe('1.003');
  });

  it('says by how much the S3 calls miss at 10,000, and which calls are extra', () => {
    const verdict = byName(
      evaluateTargets([makeSize(10_000, { steady: steadyWithS3(10_000, 500) })], []),
      'Steady-state S3 calls per bucket',
    );
    expect(verdict).toMatchObject({
      measured: '1.050',
      met: false,
      note: '0.030 over: s3.GetBucketPolicy 0.050',
    });
  });

  it('does not judge the S3 calls below 10,000, and projects them from the sizes run', () => {
    const sizes = [100, 1_000].map((buckets) => makeSize(buckets, { steady: steadyWithS3(buckets, 32) }));
    const verdict = byName(evaluateTargets(sizes, []), 'Steady-state S3 calls per bucket');
    expect(verdict.met).toBeUndefined();
    expect(verdict.measured).toBe('1.032 at N=1,000');
    expect(verdict.note).toContain('projected 1.003');
  });

  it('names the writes of a steady sweep that writes', () => {
    const steady = makeSweep(100, {
      calls: { 'dynamodb.PutItem': 5, 'dynamodb.Query': 100 },
      dynamoWritesPerBucket: 0.05,
    });
    const verdict = byName(
      evaluateTargets([makeSize(100, { steady })], []),
      'DynamoDB writes per bucket in steady state',
    );
    expect(verdict).toMatchObject({
      measured: '0.050',
      met: false,
      note: 'dynamodb.PutItem 5 in the steady sweep of 100 buckets',
    });
  });

  it('judges the worst floor ratio and names the sweeps the local AWS does not bound', () => {
    const first = makeSweep(1_000, {
      wallMs: 30_000,
      floorMs: 10_000,
      floorRatio: 3,
      cpu: {
        byRole: { moto: 8_000, worker: 20_000 },
        cpuFloorMs: 14_000,
        localAwsFloorMs: 4_000,
        machineBusy: 0.97,
      },
    });
    const verdict = byName(
      evaluateTargets([makeSize(1_000, { first, steady: makeSweep(1_000, { floorRatio: 1.1 }) })], []),
      'Sweep time against the floor',
    );
    expect(verdict).toMatchObject({ measured: '3.00× (worst: N=1000, first sweep)', met: false });
    expect(verdict).not.toHaveProperty('hardLimit');
    expect(verdict.note).toBe(
      "2.50× the target: 30.00 s against a floor of 10.00 s. The bench's processes needed 14.00 s of all cores, " +
        'the local AWS alone 4.00 s (CPU per bucket: worker 20.00 ms, moto 8.00 ms); the machine was 97% busy. ' +
        "Not bound by the local AWS's CPU: 3.00× (N=1,000, first sweep)",
    );
  });

  describe('when the local AWS alone needs more of the cores than the floor', () => {
    const bound = (buckets: number) =>
      makeSweep(buckets, {
        wallMs: 30_000,
        floorMs: 10_000,
        floorRatio: 3,
        cpu: {
          byRole: { moto: 24_000, worker: 4_000 },
          cpuFloorMs: 14_000,
          localAwsFloorMs: 12_000,
          machineBusy: 0.97,
        },
      });
    const sizes = [makeSize(1_000, { first: bound(1_000), steady: makeSweep(1_000, { floorRatio: 1.1 }) })];
    const check = (ratio: number, localAwsFloorMs = 1_000) => ({
      factor: 5,
      latency: { s3: 100, kms: 75, dynamodb: 50 },
      size: makeSize(1_000, {
        first: makeSweep(1_000, {
          floorRatio: ratio,
          cpu: { byRole: {}, cpuFloorMs: 2_000, localAwsFloorMs, machineBusy: 0.3 },
        }),
        steady: makeSweep(1_000, { floorRatio: 1.05 }),
      }),
    });

    it('calls it a hard limit of the machine when the latency check is within the target', () => {
      const verdict = byName(evaluateTargets(sizes, [], check(1.15)), 'Sweep time against the floor');
      expect(verdict).toMatchObject({
        met: false,
        hardLimit: true,
        measured: '3.00× (worst: N=1000, first sweep)',
      });
      expect(verdict.note).toMatch(
        /^a hard limit of this machine: every sweep over 1\.2× is one whose local AWS/,
      );
      expect(verdict.note).toContain('the local AWS alone 12.00 s');
      expect(verdict.note).toMatch(
        /N=1,000 with every latency ×5\), the sweep is within the target: 1\.15× \(N=1,000, first sweep\), 1\.05× \(N=1,000, steady sweep\)$/,
      );
    });

    it('is a plain miss when the latency check is over the target too, or itself bound by the local AWS', () => {
      for (const entry of [check(1.3), check(1.1, 50_000)]) {
        const verdict = byName(evaluateTargets(sizes, [], entry), 'Sweep time against the floor');
        expect(verdict.met).toBe(false);
        expect(verdict).not.toHaveProperty('hardLimit');
        expect(verdict.note).toContain(
          'The latency check (N=1,000 with every latency ×5) is over the target too',
        );
      }
    });

    it('says that no latency check judged the code when none ran', () => {
      const verdict = byName(evaluateTargets(sizes, []), 'Sweep time against the floor');
      expect(verdict).not.toHaveProperty('hardLimit');
      expect(verdict.note).toMatch(/; no latency check was run to judge the code$/);
    });
  });

  it('meets the floor target when every sweep is within 1.2×', () => {
    const sizes = [
      makeSize(100, {
        first: makeSweep(100, { floorRatio: 1.2 }),
        steady: makeSweep(100, { floorRatio: 1.05 }),
      }),
    ];
    expect(byName(evaluateTargets(sizes, []), 'Sweep time against the floor')).toEqual({
      name: 'Sweep time against the floor',
      target: '≤ 1.2×',
      measured: '1.20× (worst: N=100, first sweep)',
      met: true,
    });
  });

  it('misses linear growth when time per bucket grows with N', () => {
    const sizes = [100, 1_000].map((buckets) =>
      makeSize(buckets, { first: makeSweep(buckets, { wallMs: buckets ** 1.5 }) }),
    );
    const verdict = byName(evaluateTargets(sizes, []), 'Sweep time growing linearly with N');
    expect(verdict).toMatchObject({
      measured: 'first 1.50, steady 1.00',
      met: false,
      note: 'slope 1.50: time per bucket grows with N',
    });
  });

  it('counts peak RSS over the target at a smaller N as missed, and under it as not measured', () => {
    const over = byName(
      evaluateTargets([makeSize(1_000, { peakRssMiB: 300 })], []),
      'Peak RSS of the worker process',
    );
    expect(over).toMatchObject({ met: false, note: '44 MiB over' });
    const under = byName(
      evaluateTargets([makeSize(1_000, { peakRssMiB: 200 })], []),
      'Peak RSS of the worker process',
    );
    expect(under).toMatchObject({ met: undefined, note: 'not measured at 10,000' });
  });

  it('misses the revert target on a slow p95 or a change never reverted', () => {
    const slow = { ...makeEvents([1_000, 6_000]), p95Ms: 6_000 };
    expect(
      byName(evaluateTargets([makeSize(100, { events: slow })], []), 'Revert of a hand-made change (p95)'),
    ).toMatchObject({
      measured: '6.00 s (worst: N=100)',
      met: false,
      note: '1.00 s over',
    });
    const lost = { ...makeEvents([100]), timedOut: 1, changes: 2 };
    expect(
      byName(evaluateTargets([makeSize(100, { events: lost })], []), 'Revert of a hand-made change (p95)'),
    ).toMatchObject({
      met: false,
      note: '1 change(s) not reverted in time',
    });
  });

  it("names each function over the init target and zod's share of the slowest", () => {
    const verdict = byName(
      evaluateTargets(
        [],
        [
          makeBundle('reconcile', { initMs: 209, zodInitMs: 60, pairedInitMs: 200 }),
          makeBundle('schedule', { initMs: 154 }),
        ],
      ),
      "Each function's init",
    );
    expect(verdict).toMatchObject({
      measured: '209 ms (reconcile, the slowest)',
      met: false,
      note:
        'reconcile 59 ms over, schedule 4 ms over; zod and the schemas built at import take 60 of 200 ms (30%) ' +
        "of reconcile's init, 444 KiB of its bundle",
    });
  });

  it('marks what the run did not measure', () => {
    const verdicts = evaluateTargets([], []);
    expect(verdicts.every((verdict) => verdict.met === undefined)).toBe(true);
  });
});

describe('projectSteadyS3()', () => {
  it('fits fixed calls plus calls per bucket through the sizes', () => {
    const sizes = [100, 1_000].map((buckets) => makeSize(buckets, { steady: steadyWithS3(buckets, 64) }));
    expect(projectSteadyS3(sizes, 10_000)).toBeCloseTo(1.0064, 10);
    expect(projectSteadyS3(sizes.slice(0, 1), 10_000)).toBeUndefined();
  });
});
