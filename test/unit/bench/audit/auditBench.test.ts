import { describe, expect, it } from 'vitest';
import { AUDIT_DEFAULTS, parseAuditBenchArgs } from '../../../../bench/audit/auditBenchOptions.js';
import { benchQueries } from '../../../../bench/audit/measureAuditReads.js';
import {
  type AuditBenchResults,
  auditSectionOf,
  auditTargets,
  renderAuditSection,
  SECTION_END,
  SECTION_START,
  withAuditSection,
} from '../../../../bench/audit/renderAuditSection.js';
import { chainBucket, chainItems, historyStartItem } from '../../../../bench/audit/syntheticHistory.js';
import { BenchUsageError } from '../../../../bench/options.js';
import { verifyChain } from '../../../../lib/core/audit/verifyChain.js';

const NOW = new Date('2026-12-06T12:00:00.000Z');
const shape = { events: 1_000, chains: 10, days: 10, now: NOW };

describe('parseAuditBenchArgs()', () => {
  it('defaults to 1,000,000 events over 10,000 chains, compared with 10,000, 20 samples', () => {
    expect(parseAuditBenchArgs([])).toEqual(AUDIT_DEFAULTS);
    expect(AUDIT_DEFAULTS).toMatchObject({ events: 1_000_000, chains: 10_000, compare: 10_000, samples: 20 });
  });

  it('takes small sizes for a quick run, and refuses what it cannot run, naming the option', () => {
    expect(parseAuditBenchArgs(['--events', '10_000', '--chains', '100', '--out', '/tmp/x'])).toMatchObject({
      events: 10_000,
      chains: 100,
      outDir: '/tmp/x',
    });
    expect(() => parseAuditBenchArgs(['--events', '10'])).toThrow(
      '--events takes a whole number from 100 to 5000000, not "10"',
    );
    expect(() => parseAuditBenchArgs(['--events', '1000', '--chains', '2000'])).toThrow(BenchUsageError);
    expect(() => parseAuditBenchArgs(['--nope', '1'])).toThrow(/^unknown option --nope/);
    expect(parseAuditBenchArgs(['--help'])).toBe('help');
  });
});

describe('chainItems()', () => {
  it('builds chains the audit store would have written: every one verifies, events spread over the days', () => {
    const chains = Array.from({ length: shape.chains }, (_, chain) => chainItems(shape, chain));
    expect(chains.flat().filter((item) => item.eventId !== '#chain')).toHaveLength(1_000);
    for (const [chain, items] of chains.entries())
      expect(verifyChain(chainBucket(chain), items, { now: NOW }), chainBucket(chain)).toBeUndefined();
    const days = new Set(
      chains
        .flat()
        .map((item) => item.day)
        .filter(Boolean),
    );
    expect(days.size).toBeGreaterThanOrEqual(10);
    expect(historyStartItem(shape)).toEqual({ bucket: '#history', eventId: '#start', day: '2026-11-26' });
    const times = chains[3]!.filter((item) => item.time !== undefined).map((item) => String(item.time));
    expect(times).toEqual([...times].sort());
  });

  it('names the issue’s five first pages', () => {
    expect(benchQueries(shape).map((query) => query.name)).toEqual([
      'no filter',
      'one bucket',
      'one action',
      'one run',
      'a 30-day span',
    ]);
  });
});

describe('the audit section of bench/results.md', () => {
  const page = (name: string, p50Ms: number, queries: number) => ({
    name,
    query: {},
    events: 100,
    p50Ms,
    p95Ms: p50Ms * 2,
    queries,
    gets: 0,
    scans: 0,
    readUnits: 12.5,
  });
  const results = (large: number[], queries = 1): AuditBenchResults => ({
    version: 1,
    startedAt: '2026-12-06T12:00:00.000Z',
    durationMs: 60_000,
    machine: { cpus: 2, loadAverage: [1, 2, 3] },
    anchors: false,
    sizes: [
      { events: 10_000, chains: 100, loadMs: 1_000, firstPages: [page('no filter', 20, 1)], verify: [] },
      {
        events: 1_000_000,
        chains: 10_000,
        loadMs: 900_000,
        firstPages: large.map((p50) => page('no filter', p50, queries)),
        verify: [
          {
            name: 'every chain',
            events: 10,
            chains: 1,
            ms: 1_000,
            eventsPerSecond: 10,
            intact: true,
            readUnits: 5,
          },
        ],
      },
    ],
  });

  it('judges the targets: at most 2 pages, no Scan, no growth of the first page with the table', () => {
    expect(auditTargets(results([25])).map((target) => target.met)).toEqual([true, true, true, true]);
    expect(auditTargets(results([25], 3))[0]).toMatchObject({ measured: '3 at most', met: false });
    expect(auditTargets(results([60]))[2]).toMatchObject({ measured: '3.00×', met: false });
    expect(auditTargets(results([5, 20]))[2]).toMatchObject({ measured: '1.25×', met: true });
  });

  it('judges growth per query as well as summed: one first page that grew is named, even when the sum is flat', () => {
    const twoQueries = (small: [number, number], large: [number, number]): AuditBenchResults => ({
      ...results([]),
      sizes: [
        {
          ...results([]).sizes[0]!,
          firstPages: [page('no filter', small[0], 2), page('one run', small[1], 1)],
        },
        {
          ...results([]).sizes[1]!,
          firstPages: [page('no filter', large[0], 2), page('one run', large[1], 1)],
        },
      ],
    });
    const flat = auditTargets(twoQueries([40, 10], [42, 9]));
    expect(flat[3]).toEqual({
      name: 'first pages whose own p50 grew more than 1.5× (target 0 of 2)',
      measured: '0',
      met: true,
    });
    const oneGrew = auditTargets(twoQueries([40, 10], [30, 20]));
    expect(oneGrew[2]).toMatchObject({ measured: '1.00×', met: true });
    expect(oneGrew[3]).toMatchObject({ measured: '1: one run 2.00×', met: false });
    const section = renderAuditSection(twoQueries([40, 10], [30, 20]));
    expect(section).toContain('### First page per query, 1,000,000 ÷ 10,000 events');
    expect(section).toContain('| one run | 10 ms | 20 ms | 2.00× | 20 ms | 40 ms |');
  });

  it('shows the anchored verify rows and the digest they ran against', () => {
    const anchored = results([25]);
    anchored.anchors = true;
    anchored.sizes[1]!.anchor = {
      key: 'digests/999999999998-1.json',
      heads: 10_000,
      chains: 10_000,
      ms: 1_234,
    };
    anchored.sizes[1]!.verify.push({
      name: 'whole chains of 50 buckets, against the anchors',
      events: 5_000,
      chains: 50,
      ms: 2_000,
      eventsPerSecond: 2_500,
      intact: true,
      readUnits: 400,
      anchored: { digests: 1, breaks: 0 },
    });
    const section = renderAuditSection(anchored);
    expect(section).toContain(
      '| whole chains of 50 buckets, against the anchors | 5,000 | 50 | 2000 ms | 2,500 | 400 | yes |',
    );
    expect(section).toContain('digest `digests/999999999998-1.json` (10,000 heads of 10,000 chains)');
    expect(section).toContain('Rows "against the anchors" run verifyAuditAnchors');
    expect(section).not.toContain('Verify with anchors: not measured.');
  });

  it('replaces only its own section, and the sweep bench keeps it when it rewrites the file', () => {
    const section = renderAuditSection(results([25]));
    expect(section.startsWith(SECTION_START)).toBe(true);
    expect(section.trimEnd().endsWith(SECTION_END)).toBe(true);
    expect(section).toContain('Verify with anchors: not measured.');
    const once = withAuditSection('# Bench\n\nsweep numbers\n', section);
    expect(once).toBe(`# Bench\n\nsweep numbers\n\n${section}`);
    const again = withAuditSection(once, renderAuditSection(results([30])));
    expect(again.match(/audit-bench:start/g)).toHaveLength(1);
    expect(again).toContain('sweep numbers');
    expect(auditSectionOf(again)).toBe(renderAuditSection(results([30])));
    expect(auditSectionOf('no section')).toBeUndefined();
  });
});
