import { describe, expect, it } from 'vitest';
import { chartPoints, niceCeiling, renderSweepSvg } from '../../../bench/render/renderSweepSvg.js';
import { makeSize, makeSweep } from './benchFixtures.js';

const points = [
  { buckets: 10_000, firstSeconds: 80, steadySeconds: 30, firstS3PerBucket: 2.5, steadyS3PerBucket: 1.006 },
  { buckets: 100, firstSeconds: 2, steadySeconds: 1, firstS3PerBucket: 3.7, steadyS3PerBucket: 1.65 },
  { buckets: 1_000, firstSeconds: 9, steadySeconds: 4, firstS3PerBucket: 3.1, steadyS3PerBucket: 1.06 },
];

describe('renderSweepSvg()', () => {
  const svg = renderSweepSvg(points);

  it('is one standalone SVG document, titled with its numbers', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="720" height="400"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.split('\n')[1]).toBe(
      '  <title id="title">Sweep time and S3 calls per bucket against N: ' +
        'N=100: first 2 s, steady 1 s, S3 calls per bucket 3.7 / 1.65; ' +
        'N=1000: first 9 s, steady 4 s, S3 calls per bucket 3.1 / 1.06; ' +
        'N=10000: first 80 s, steady 30 s, S3 calls per bucket 2.5 / 1.01</title>',
    );
  });

  it('draws four series (time and S3 calls, first and steady) with a marker per N', () => {
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg.match(/<circle /g)).toHaveLength(12);
    expect(svg.match(/stroke-dasharray="6 4"/g)).toHaveLength(2 + 2);
  });

  it('places N on a log axis, sorted, with one decade the same width', () => {
    // Plot 70..640, log10 N from 1.75 to 4.25: N=100 at 70 + 0.25/2.5 × 570.
    const firstTime = /<polyline points="([^"]+)" fill="none" stroke="#c0392b" stroke-width="2"\/>/.exec(
      svg,
    )![1]!;
    const xs = firstTime.split(' ').map((pair) => Number(pair.split(',')[0]));
    expect(xs).toEqual([127, 355, 583]);
  });

  it('scales time to a round ceiling on the left and S3 calls on the right', () => {
    // 80 s → 100 s: 80 s sits at 4/5 of the plot height (50..310).
    expect(svg).toContain('<circle cx="583" cy="102" r="3.5" fill="#c0392b"');
    // 3.7 calls → 5: 3.7 sits at 310 - 3.7/5 × 260.
    expect(svg).toContain('<circle cx="127" cy="117.6" r="3.5" fill="#ffffff"');
    expect(svg).toContain('>100</text>');
    expect(svg).toContain('>5</text>');
    // Ticks at quarters of the ceiling, with the decimals they need.
    expect(svg).toContain('>1.25</text>');
    expect(svg).toContain('>3.75</text>');
  });

  it('labels the axes, each N and the legend', () => {
    for (const label of [
      '100',
      '1,000',
      '10,000',
      'source buckets N (log scale)',
      'sweep time (s)',
      'S3 calls per bucket',
    ]) {
      expect(svg).toContain(`>${label}</text>`);
    }
    for (const label of [
      'first sweep: time',
      'steady state: time',
      'first sweep: S3 calls/bucket',
      'steady state: S3 calls/bucket',
    ]) {
      expect(svg).toContain(`>${label}</text>`);
    }
  });

  it('still draws one N inside the plot', () => {
    const single = renderSweepSvg(points.slice(1, 2));
    expect(single).toContain('<circle cx="355"');
  });
});

describe('niceCeiling()', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect([0.8, 1, 1.3, 3.7, 7, 80, 120, 0].map(niceCeiling)).toEqual([1, 1, 2, 5, 10, 100, 200, 1]);
  });
});

describe('chartPoints()', () => {
  it('takes seconds and S3 calls per bucket from each size, by N', () => {
    const sizes = [
      makeSize(1_000, { steady: makeSweep(1_000, { serviceCallsPerBucket: { s3: 1.032 } }) }),
      makeSize(100),
    ];
    expect(chartPoints(sizes)).toEqual([
      { buckets: 100, firstSeconds: 2, steadySeconds: 1, firstS3PerBucket: 1, steadyS3PerBucket: 1 },
      { buckets: 1_000, firstSeconds: 20, steadySeconds: 10, firstS3PerBucket: 1, steadyS3PerBucket: 1.032 },
    ]);
  });
});
