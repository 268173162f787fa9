import { describe, expect, it } from 'vitest';
import { AUDIT_DEFAULTS, parseAuditBenchArgs } from '../../../../bench/audit/auditBenchOptions.js';
import { benchQueries } from '../../../../bench/audit/benchQueries.js';
import { type FirstPageResult, sampleOrder } from '../../../../bench/audit/measureAuditReads.js';
import { withinBudget } from '../../../../bench/audit/peakRss.js';
import {
  type AuditBenchResults,
  auditSectionOf,
  auditTargets,
  renderAuditSection,
  SECTION_END,
  SECTION_START,
  verdict,
  withAuditSection,
} from '../../../../bench/audit/renderAuditSection.js';
import {
  ACTION_EVENTS,
  chainBucket,
  chainItems,
  historyEnd,
  historyStartItem,
  RARE_ACTION,
  RUN_EVENTS,
} from '../../../../bench/audit/syntheticHistory.js';
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

  it('bounds the large table’s whole verify in minutes, 10 by default, 0 to skip it', () => {
    expect(AUDIT_DEFAULTS.wholeVerifyMinutes).toBe(10);
    expect(parseAuditBenchArgs(['--whole-verify-minutes', '0'])).toMatchObject({ wholeVerifyMinutes: 0 });
    expect(parseAuditBenchArgs(['--whole-verify-minutes', '45'])).toMatchObject({ wholeVerifyMinutes: 45 });
    expect(() => parseAuditBenchArgs(['--whole-verify-minutes', '-1'])).toThrow(
      '--whole-verify-minutes takes a whole number from 0 to 600, not "-1"',
    );
  });
});

describe('withinBudget()', () => {
  it('gives the work’s value when it ends in time, and timeout otherwise without an unhandled failure', async () => {
    expect(await withinBudget(Promise.resolve(7), 1_000)).toBe(7);
    let fail: (error: Error) => void = () => undefined;
    const never = new Promise<number>((_, reject) => {
      fail = reject;
    });
    expect(await withinBudget(never, 1)).toBe('timeout');
    fail(new Error('the local AWS stopped under the Scan'));
    await new Promise((resolve) => setTimeout(resolve, 0));
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

  it('ends a history at the end of a UTC day, so its newest day is a whole one', () => {
    expect(historyEnd(new Date('2026-12-06T18:52:20.000Z')).toISOString()).toBe('2026-12-05T23:59:59.999Z');
    // The newest event is the last chain's last: at the history's end exactly.
    const items = chainItems({ ...shape, now: historyEnd(NOW) }, 9).filter((item) => item.time !== undefined);
    expect(items.at(-1)?.time).toBe('2026-12-05T23:59:59.999Z');
  });
});

describe('benchQueries(): the five first pages, alike at both sizes', () => {
  const now = historyEnd(NOW);
  const small = { events: 10_000, chains: 100, days: 90, now };
  const large = { events: 40_000, chains: 400, days: 90, now };
  /** Every event item of a history, as loadHistory writes them. */
  const eventsOf = (history: typeof small) =>
    Array.from({ length: history.chains }, (_, chain) => chainItems(history, chain))
      .flat()
      .filter((item) => item.eventId !== '#chain');
  const smallEvents = eventsOf(small);
  const largeEvents = eventsOf(large);
  const matches = (
    items: Record<string, unknown>[],
    query: ReturnType<typeof benchQueries>[number]['query'],
  ) =>
    items.filter(
      (item) =>
        (query.bucket === undefined || item.bucket === query.bucket) &&
        (query.action === undefined || item.action === query.action) &&
        (query.runId === undefined || item.runId === query.runId) &&
        (query.since === undefined || String(item.time) >= query.since) &&
        (query.until === undefined || String(item.time) <= query.until),
    );

  it('names the issue’s five first pages, and counts what each matches as the loaded history has it', () => {
    for (const [history, items] of [
      [small, smallEvents],
      [large, largeEvents],
    ] as const) {
      const queries = benchQueries(history);
      expect(queries.map((query) => query.name)).toEqual([
        'no filter',
        'one bucket',
        'one action',
        'one run',
        'a 30-day span',
      ]);
      for (const query of queries)
        expect(matches(items, query.query), `${history.events} ${query.name}`).toHaveLength(query.matching);
    }
  });

  it('matches the same number of events in the bucket, the action and the run at both sizes', () => {
    const [s, l] = [benchQueries(small), benchQueries(large)];
    for (const name of ['one bucket', 'one action', 'one run']) {
      const [a, b] = [s.find((q) => q.name === name)!, l.find((q) => q.name === name)!];
      expect(a.matching, name).toBe(b.matching);
      expect(a.matching, name).toBeGreaterThanOrEqual(100);
    }
    expect(s.find((q) => q.name === 'one action')).toMatchObject({
      query: { action: RARE_ACTION },
      matching: ACTION_EVENTS,
    });
    expect(l.find((q) => q.name === 'one run')?.matching).toBe(RUN_EVENTS);
    // The rare action is nowhere else: no other event of either history has it by chance.
    expect(smallEvents.filter((item) => item.action === RARE_ACTION)).toHaveLength(ACTION_EVENTS);
  });

  it('starts no filter and the span on a whole day holding more than a page at both sizes', () => {
    for (const [history, items] of [
      [small, smallEvents],
      [large, largeEvents],
    ] as const) {
      const span = benchQueries(history).find((q) => q.name === 'a 30-day span')!.query;
      expect(span.until).toBe('2026-11-05T23:59:59.999Z');
      expect(span.since).toBe('2026-10-07T00:00:00.000Z');
      for (const day of ['2026-12-05', '2026-11-05'])
        expect(items.filter((item) => item.day === day).length, `${history.events} ${day}`).toBeGreaterThan(
          100,
        );
    }
  });
});

describe('sampleOrder()', () => {
  it('alternates the sizes every sample and which of raw and reader goes first every second sample', () => {
    expect([0, 1, 2, 3].map((s) => sampleOrder(['small', 'large'], s))).toEqual([
      { order: ['small', 'large'], rawFirst: false },
      { order: ['large', 'small'], rawFirst: false },
      { order: ['small', 'large'], rawFirst: true },
      { order: ['large', 'small'], rawFirst: true },
    ]);
  });
});

describe('the audit section of bench/results.md', () => {
  const page = (
    name: string,
    p50Ms: number,
    queries: number,
    more: Partial<FirstPageResult> = {},
  ): FirstPageResult => ({
    name,
    query: {},
    matching: 150,
    events: 100,
    p50Ms,
    p95Ms: p50Ms * 2,
    rawP50Ms: p50Ms - 1,
    rawP95Ms: p50Ms * 2 - 1,
    codeP50Ms: 1,
    queries,
    gets: 0,
    scans: 0,
    readUnits: 12.5,
    ...more,
  });
  const results = (smallPages: FirstPageResult[], largePages: FirstPageResult[]): AuditBenchResults => ({
    version: 2,
    startedAt: '2026-12-06T12:00:00.000Z',
    durationMs: 60_000,
    machine: { cpus: 2, loadAverage: [1, 2, 3] },
    anchors: false,
    samples: 20,
    sizes: [
      { events: 10_000, chains: 100, loadMs: 1_000, firstPages: smallPages, verify: [] },
      {
        events: 1_000_000,
        chains: 10_000,
        loadMs: 900_000,
        firstPages: largePages,
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
  const flat = () => results([page('one run', 20, 1)], [page('one run', 25, 1)]);

  it('judges pages, Scans, likeness and our code’s growth; shows the raw and the whole page beside', () => {
    const targets = auditTargets(flat());
    expect(targets.map((target) => [target.met, target.judged])).toEqual([
      [true, true],
      [true, true],
      [true, true],
      [true, true],
      [true, false],
      [true, false],
    ]);
    expect(targets[2]?.measured).toBe('1 of 1');
    expect(targets[3]?.measured).toBe('0 (1.00× to 1.00×)');
    expect(targets[4]?.measured).toBe('1.26× to 1.26×');
    expect(verdict(targets[4]!)).toBe('shown (≤ 1.5×)');
    const threePages = auditTargets(results([page('one run', 20, 3)], [page('one run', 20, 3)]));
    expect(threePages[0]).toMatchObject({ measured: '3 at most', met: false });
    expect(verdict(threePages[0]!)).toBe('MISSED');
  });

  it('names a first page that is not alike at both sizes: other events matched, or other reads', () => {
    const otherRun = results([page('one run', 20, 1, { matching: 5 })], [page('one run', 20, 1)]);
    expect(auditTargets(otherRun)[2]).toMatchObject({ measured: '0; not alike: one run', met: false });
    const otherReads = results(
      [page('no filter', 20, 2, { matching: 10_000, gets: 1 })],
      [page('no filter', 20, 1, { matching: 1_000_000 })],
    );
    expect(auditTargets(otherReads)[2]).toMatchObject({ measured: '0; not alike: no filter', met: false });
    // No filter matches a share of the table by definition: only its reads must be alike.
    const sameReads = results(
      [page('no filter', 20, 1, { matching: 10_000 })],
      [page('no filter', 20, 1, { matching: 1_000_000 })],
    );
    expect(auditTargets(sameReads)[2]).toMatchObject({ met: true });
    // Items differ in size with their actions' names: read units a little apart are alike, far apart not.
    const sizes = (small: number, large: number) =>
      auditTargets(
        results(
          [page('a 30-day span', 20, 1, { readUnits: small })],
          [page('a 30-day span', 20, 1, { readUnits: large })],
        ),
      )[2]?.met;
    expect(sizes(6.5, 7)).toBe(true);
    expect(sizes(6.5, 13)).toBe(false);
  });

  it('judges growth on our code’s share: DynamoDB Local’s growth is shown, not charged to the reader', () => {
    const localGrew = results(
      [page('one bucket', 10, 1, { rawP50Ms: 9, codeP50Ms: 1 })],
      [page('one bucket', 20, 1, { rawP50Ms: 19, codeP50Ms: 1.1 })],
    );
    const targets = auditTargets(localGrew);
    expect(targets[3]).toMatchObject({ met: true, judged: true });
    expect(targets[4]).toMatchObject({ measured: '2.11× to 2.11×', met: false, judged: false });
    expect(targets[5]).toMatchObject({ measured: '2.00× to 2.00×', met: false, judged: false });
    expect(verdict(targets[5]!)).toBe('shown (grew > 1.5×)');
    expect(renderAuditSection(localGrew)).toContain(
      "DynamoDB Local's own time (the raw replay: the same requests, the same items read) grew more than 1.5× for one bucket 9.0 ms → 19 ms: that growth is DynamoDB Local's",
    );
    expect(renderAuditSection(localGrew)).toContain(
      "Our code's share did not grow for any first page (one bucket 1.0 ms → 1.1 ms).",
    );
    const codeGrew = results(
      [page('one bucket', 10, 1, { codeP50Ms: 1 }), page('one run', 10, 1, { codeP50Ms: 0.1 })],
      [page('one bucket', 12, 1, { codeP50Ms: 3 }), page('one run', 10, 1, { codeP50Ms: 0.4 })],
    );
    // one run's share tripled but by 0.3 ms, under the noise floor; one bucket's grew 3× and by 2 ms.
    expect(auditTargets(codeGrew)[3]).toMatchObject({ measured: '1: one bucket 3.00×', met: false });
    const section = renderAuditSection(codeGrew);
    expect(section).toContain('### First page per query, 10,000 → 1,000,000 events (p50, interleaved)');
    expect(section).toContain(
      '| one bucket | 150 / 150 | 1 / 1 | 12.5 / 12.5 | 10 ms → 12 ms (1.20×) | 9.0 ms → 11 ms (1.22×) | 1.0 ms → 3.0 ms (3.00×) |',
    );
  });

  it('says how the samples were taken, and that signatures are checked with the public key, not KMS Verify', () => {
    const anchored = flat();
    anchored.anchors = true;
    anchored.sizes[1]!.anchor = {
      key: 'digests/999999999998-1.json',
      heads: 10_000,
      chains: 10_000,
      ms: 1_234,
    };
    anchored.sizes[1]!.verify.push({
      name: 'every chain, against the anchors',
      events: 1_000_000,
      chains: 10_000,
      ms: 200_000,
      readMs: 150_000,
      eventsPerSecond: 5_000,
      intact: true,
      readUnits: 130_000,
      anchored: { digests: 1, breaks: 0 },
      memory: { peakRss: 2_000 * 2 ** 20, rssBefore: 300 * 2 ** 20 },
    });
    anchored.sizes[1]!.notes = ['The whole-table verify was still running.'];
    const section = renderAuditSection(anchored);
    expect(section).toContain('\nThe whole-table verify was still running.\n');
    expect(section).toContain(
      '| every chain, against the anchors | 1,000,000 | 10,000 | 200000 ms | 150000 ms | 5,000 | 130,000 | yes | 2,000 MiB (300 MiB before) |',
    );
    expect(section).toContain('digest `digests/999999999998-1.json` (10,000 heads of 10,000 chains)');
    expect(section).toContain('kms:GetPublicKey once per verify, then node:crypto');
    expect(section).not.toContain('with KMS Verify');
    expect(section).toContain('Both sizes in ONE DynamoDB Local');
    expect(section).toContain('10 rounds of the same loop run first and are discarded');
    expect(section).not.toContain('Verify with anchors: not measured.');
  });

  it('replaces only its own section, and the sweep bench keeps it when it rewrites the file', () => {
    const section = renderAuditSection(flat());
    expect(section.startsWith(SECTION_START)).toBe(true);
    expect(section.trimEnd().endsWith(SECTION_END)).toBe(true);
    expect(section).toContain('Verify with anchors: not measured.');
    const once = withAuditSection('# Bench\n\nsweep numbers\n', section);
    expect(once).toBe(`# Bench\n\nsweep numbers\n\n${section}`);
    const other = renderAuditSection(results([page('one run', 20, 1)], [page('one run', 30, 1)]));
    const again = withAuditSection(once, other);
    expect(again.match(/audit-bench:start/g)).toHaveLength(1);
    expect(again).toContain('sweep numbers');
    expect(auditSectionOf(again)).toBe(other);
    expect(auditSectionOf('no section')).toBeUndefined();
  });
});
