import { describe, expect, it } from 'vitest';
import { markdownTable, perBucket } from '../../../bench/render/markdownTable.js';
import { renderMarkdown } from '../../../bench/render/renderMarkdown.js';
import { makeBundle, makeResults, makeSize, makeSweep } from './benchFixtures.js';

describe('markdownTable()', () => {
  it('right-aligns every column after the first and escapes pipes', () => {
    expect(markdownTable(['a', 'b'], [['x|y', '1']])).toBe('| a | b |\n|---|---:|\n| x\\|y | 1 |');
  });

  it('prints a dash for no calls per bucket', () => {
    expect(perBucket(0)).toBe('–');
    expect(perBucket(undefined)).toBe('–');
    expect(perBucket(1.0064)).toBe('1.006');
  });
});

describe('renderMarkdown()', () => {
  const results = makeResults({
    sizes: [
      makeSize(1_000, {
        steady: makeSweep(1_000, {
          calls: {
            's3.ListBucketInventoryConfigurations': 1_000,
            's3.GetBucketPolicy': 32,
            'dynamodb.Query': 1_000,
          },
          callsPerBucket: {
            's3.ListBucketInventoryConfigurations': 1,
            's3.GetBucketPolicy': 0.032,
            'dynamodb.Query': 1,
          },
          serviceCallsPerBucket: { s3: 1.032, dynamodb: 1 },
        }),
      }),
      makeSize(100),
    ],
    targets: [
      {
        name: 'Sweep time against the floor',
        target: '≤ 1.2×',
        measured: '2.00×',
        met: false,
        note: 'CPU-bound',
      },
      { name: 'Peak RSS', target: '≤ 256 MiB', measured: '160 MiB', met: undefined },
      { name: 'Init', target: '≤ 150 ms', measured: '120 ms', met: true },
    ],
  });
  const markdown = renderMarkdown(results);

  it('states the run, the settings and the machine', () => {
    expect(markdown).toContain(
      '`npm run bench -- --quick`, started 2026-01-02T03:04:05.000Z, took 90.00 s.\n' +
        'N = 100, 1,000 source buckets; 8 concurrent reconcile sandboxes (batches of 10 SQS records); ' +
        'injected latency per call: s3 20 ms, kms 15 ms, dynamodb 10 ms.',
    );
    expect(markdown).toContain(
      'Machine: Test CPU, 2 cores, 4,096 MiB (2,048 free), node v20.0.0, linux x64; load average at start ' +
        '0.5 / 0.4 / 0.3 (1 / 5 / 15 min).',
    );
  });

  it('lists each target with its verdict, and the notes of those that have one', () => {
    expect(markdown).toContain(
      [
        '| target | goal | measured | verdict |',
        '|---|---:|---:|---:|',
        '| Sweep time against the floor | ≤ 1.2× | 2.00× | **missed** |',
        '| Peak RSS | ≤ 256 MiB | 160 MiB | not measured |',
        '| Init | ≤ 150 ms | 120 ms | met |',
        '',
        '- Sweep time against the floor: CPU-bound',
      ].join('\n'),
    );
  });

  it('has a table per N, smallest first, with both sweeps side by side', () => {
    expect(markdown.indexOf('### N = 100\n')).toBeLessThan(markdown.indexOf('### N = 1,000\n'));
    expect(markdown).toContain('| wall time | 20.00 s | 10.00 s |');
    expect(markdown).toContain('| floor (Σ calls × latency ÷ 8) | 5.00 s | 5.00 s |');
    expect(markdown).toContain('| wall ÷ floor | 2.00× | 2.00× |');
    expect(markdown).toContain('| S3 calls per bucket | 1.000 | 1.032 |');
    expect(markdown).toContain(
      '| CPU ms per bucket by process | worker 4.00, gateway 2.00 | worker 4.00, gateway 2.00 |',
    );
    expect(markdown).toContain(
      '| messages (failures retried, given up, delivered twice) | 1,000 (0, 0, 0) | 1,000 (0, 0, 0) |',
    );
    expect(markdown).toContain(
      '(getrusage ru_maxrss, event-driven phase included): **160 MiB**. moto SQS patch: applied to moto 5.2.1.',
    );
  });

  it('compares calls per bucket by operation across sizes', () => {
    expect(markdown).toContain(
      [
        '| operation | N=100 first | N=100 steady | N=1,000 first | N=1,000 steady |',
        '|---|---:|---:|---:|---:|',
        '| dynamodb.Query | 1.000 | 1.000 | 1.000 | 1.000 |',
        '| s3.GetBucketPolicy | – | – | – | 0.032 |',
        '| s3.ListBucketInventoryConfigurations | 1.000 | 1.000 | 1.000 | 1.000 |',
      ].join('\n'),
    );
  });

  it('shows what the floor of the largest N is made of', () => {
    expect(markdown).toContain('## What the floor is made of (N = 1,000)');
    expect(markdown).toContain('| steady | s3.ListBucketInventoryConfigurations | 65% | 20.00 s |');
  });

  it('gives the event latency per N and the cold start per function with zod’s share', () => {
    expect(markdown).toContain('| 100 | 3 | 3 | 200 ms | 300 ms | 300 ms |');
    expect(markdown).toContain(
      '| reconcile | 1200 KiB | 120 ms | 444 KiB (37%) | 40 ms of 120 ms (33%) | 70 MiB |',
    );
    expect(markdown).toContain(
      'Largest packages in the reconcile bundle: @aws-sdk/client-s3 300 KiB, zod 444 KiB.',
    );
  });

  it('links the chart and leaves the cold start out when it was not measured', () => {
    expect(markdown).toContain('![Sweep time and S3 calls per bucket against N](sweep.svg)');
    expect(renderMarkdown(makeResults({ bundles: [] }))).not.toContain('## Cold start');
    const schedule = makeBundle('schedule', { kib: 1_300, largestPackagesKib: { zod: 444 } });
    const two = renderMarkdown(makeResults({ bundles: [makeBundle('auditApi', { kib: 700 }), schedule] }));
    expect(two).toContain('Largest packages in the schedule bundle: zod 444 KiB.');
  });

  it('marks a miss that is a hard limit of the machine, and shows the latency check with its own table', () => {
    const withCheck = renderMarkdown(
      makeResults({
        sizes: [makeSize(100)],
        latencyCheck: {
          factor: 5,
          latency: { s3: 100, kms: 75, dynamodb: 50 },
          size: makeSize(1_000, { first: makeSweep(1_000, { floorRatio: 1.12 }) }),
        },
        targets: [
          {
            name: 'Sweep time against the floor',
            target: '≤ 1.2×',
            measured: '3.00×',
            met: false,
            hardLimit: true,
            note: 'a hard limit of this machine',
          },
        ],
      }),
    );
    expect(withCheck).toContain(
      '| Sweep time against the floor | ≤ 1.2× | 3.00× | **missed** (hard limit of this machine) |',
    );
    expect(withCheck).toContain(
      '## Latency-bound check\n\nThe same run at N = 1,000 with every injected latency ×5 (s3 100 ms, kms 75 ms, dynamodb 50 ms).',
    );
    const section = withCheck.slice(withCheck.indexOf('### N = 1,000, latency ×5'));
    expect(section).toContain('| wall ÷ floor | 1.12× | 2.00× |');
    expect(section).toContain("| of which the local AWS's (not the worker's) | 1.00 s | 1.00 s |");
    expect(markdown).not.toContain('## Latency-bound check');
  });
});
