import { FIRST_PAGE, type FirstPageResult, type VerifyResult, WARM_UP_ROUNDS } from './measureAuditReads.js';
import { ACTION_EVENTS, RARE_ACTION, RUN_EVENTS } from './syntheticHistory.js';

/** One table size's measurements. */
export interface AuditSizeResult {
  events: number;
  chains: number;
  loadMs: number;
  /** The machine's load average when the first pages were timed. */
  loadAverage?: number[];
  firstPages: FirstPageResult[];
  verify: VerifyResult[];
  /** The digest anchoring this table wrote before the anchored verify rows (anchorAudit). */
  anchor?: { key: string; heads: number; chains: number; ms: number };
  /** Said under this size's tables (e.g. a row not measured, and why). */
  notes?: string[];
}

/** What `npm run bench -- audit` found. */
export interface AuditBenchResults {
  /** 2: both sizes in one DynamoDB Local, first pages interleaved, with the raw SDK replay. */
  version: 2;
  startedAt: string;
  durationMs: number;
  /** `maxRss`: the bench process's peak RSS over the whole run (bytes). */
  machine: { cpus: number; loadAverage: number[]; maxRss?: number };
  sizes: AuditSizeResult[];
  /** Whether the verify rows include verify against signed digests (anchors). */
  anchors: boolean;
  /** Timed samples per first page and size. */
  samples?: number;
}

/** A target judged, or (`judged` false) a number shown beside the judged ones. */
export interface AuditTarget {
  name: string;
  measured: string;
  met: boolean;
  judged: boolean;
}

export const SECTION_START = '<!-- audit-bench:start (npm run bench -- audit) -->';
export const SECTION_END = '<!-- audit-bench:end -->';

const ms = (value: number) =>
  `${Math.abs(value) < 1 ? value.toFixed(2) : Math.abs(value) < 10 ? value.toFixed(1) : Math.round(value)} ms`;
const count = (value: number) => value.toLocaleString('en-US');
const mib = (bytes: number) => `${count(Math.round(bytes / 2 ** 20))} MiB`;

/** Growth above this ratio (large ÷ small table) counts as growth; below it is the machine's noise. */
export const GROWTH_NOISE = 1.5;
/** Our code's share grew only if it also grew by more than this: a ratio of two fractions of a ms is noise. */
export const CODE_NOISE_MS = 0.5;

/** One first page at the small and the large table. */
export interface QueryGrowth {
  name: string;
  small: FirstPageResult;
  large: FirstPageResult;
  /** large ÷ small, of the whole page, of the raw SDK replay and of our code's share (p50s). */
  p50Ratio: number;
  rawRatio: number;
  codeRatio: number;
  /** Our code's share grew: by more than GROWTH_NOISE× and more than CODE_NOISE_MS. */
  codeGrew: boolean;
}

const ratio = (large: number, small: number) => large / Math.max(small, 0.001);

/** Each first page at the small and the large table, and their ratios (large ÷ small). */
export function perQueryGrowth(results: AuditBenchResults): QueryGrowth[] {
  const [small, large] = [results.sizes[0], results.sizes[results.sizes.length - 1]];
  if (small === undefined || large === undefined || small === large) return [];
  return large.firstPages.flatMap((page) => {
    const before = small.firstPages.find((candidate) => candidate.name === page.name);
    if (before === undefined) return [];
    const codeRatio = ratio(page.codeP50Ms, before.codeP50Ms);
    return [
      {
        name: page.name,
        small: before,
        large: page,
        p50Ratio: ratio(page.p50Ms, before.p50Ms),
        rawRatio: ratio(page.rawP50Ms, before.rawP50Ms),
        codeRatio,
        codeGrew: codeRatio > GROWTH_NOISE && page.codeP50Ms - before.codeP50Ms > CODE_NOISE_MS,
      },
    ];
  });
}

/**
 * Read units of two alike pages may differ this much (a share): a page's items differ in size with their
 * actions' names (`drift-resolved`, `destination-policy-updated`), and read units round at 4 KB.
 */
export const READ_UNITS_SLACK = 0.1;

/** Names of first pages that are alike at both sizes: no filter and the span read the same, the others match the same events too. */
function unlike(growth: readonly QueryGrowth[]): string[] {
  const shareOfTable = new Set(['no filter', 'a 30-day span']);
  return growth
    .filter(
      ({ name, small, large }) =>
        (!shareOfTable.has(name) && small.matching !== large.matching) ||
        small.events !== large.events ||
        small.queries !== large.queries ||
        small.gets !== large.gets ||
        Math.abs(large.readUnits - small.readUnits) > READ_UNITS_SLACK * small.readUnits,
    )
    .map(({ name }) => name);
}

const range = (values: number[]) =>
  values.length === 0 ? '-' : `${Math.min(...values).toFixed(2)}× to ${Math.max(...values).toFixed(2)}×`;

/**
 * The targets of issue 16 point 7: at most 2 DynamoDB pages per first page, no Scan, and a first page
 * that does not grow with the table, judged on our code's share (the reader's time less the same requests
 * replayed with the SDK alone) with the raw replay's and the whole page's growth shown beside it.
 */
export function auditTargets(results: AuditBenchResults): AuditTarget[] {
  const pages = Math.max(...results.sizes.flatMap((size) => size.firstPages.map((page) => page.queries)));
  const scans = results.sizes.flatMap((size) => size.firstPages).reduce((sum, page) => sum + page.scans, 0);
  const growth = perQueryGrowth(results);
  const [small, large] = [results.sizes[0], results.sizes[results.sizes.length - 1]];
  const sizes = `${count(large?.events ?? 0)} ÷ ${count(small?.events ?? 0)} events`;
  const different = unlike(growth);
  const grown = growth.filter((query) => query.codeGrew);
  return [
    {
      name: 'DynamoDB pages per first page (target ≤ 2)',
      measured: `${pages} at most`,
      met: pages <= 2,
      judged: true,
    },
    { name: 'Scans on any first page (target 0)', measured: String(scans), met: scans === 0, judged: true },
    {
      name: `first pages alike at both sizes: the same events matched (bucket, action, run), events on the page, Query pages and GetItem, read units within ${READ_UNITS_SLACK * 100}% (target ${growth.length} of ${growth.length})`,
      measured:
        different.length === 0
          ? `${growth.length} of ${growth.length}`
          : `${growth.length - different.length}; not alike: ${different.join(', ')}`,
      met: different.length === 0 && growth.length > 0,
      judged: true,
    },
    {
      name: `first pages whose own time grew with the table, our code's share (the reader outside the SDK's send, p50), ${sizes} (target 0 of ${growth.length}; grown = more than ${GROWTH_NOISE}× and more than ${CODE_NOISE_MS} ms)`,
      measured:
        grown.length === 0
          ? `0 (${range(growth.map((query) => query.codeRatio))})`
          : `${grown.length}: ${grown.map((query) => `${query.name} ${query.codeRatio.toFixed(2)}×`).join(', ')}`,
      met: grown.length === 0,
      judged: true,
    },
    {
      name: `beside it: the raw SDK replay's p50 (DynamoDB Local's Query and the SDK), ${sizes}`,
      measured: range(growth.map((query) => query.rawRatio)),
      met: growth.every((query) => query.rawRatio <= GROWTH_NOISE),
      judged: false,
    },
    {
      name: `beside it: the whole first page's p50, ${sizes}`,
      measured: range(growth.map((query) => query.p50Ratio)),
      met: growth.every((query) => query.p50Ratio <= GROWTH_NOISE),
      judged: false,
    },
  ];
}

/** Whose time grew, in words: DynamoDB Local's (the raw replay), our code's, or neither. */
export function whoseGrowth(growth: readonly QueryGrowth[]): string {
  const grew = (pick: (query: QueryGrowth) => number) => growth.filter((query) => pick(query) > GROWTH_NOISE);
  const raw = grew((query) => query.rawRatio);
  const whole = grew((query) => query.p50Ratio);
  const code = growth.filter((query) => query.codeGrew);
  const list = (
    queries: readonly QueryGrowth[],
    small: (q: QueryGrowth) => number,
    large: (q: QueryGrowth) => number,
  ) => queries.map((q) => `${q.name} ${ms(small(q))} → ${ms(large(q))}`).join(', ');
  const parts = [
    raw.length === 0
      ? `DynamoDB Local's own time (the raw replay) did not grow more than ${GROWTH_NOISE}× for any first page.`
      : `DynamoDB Local's own time (the raw replay: the same requests, the same items read) grew more than ${GROWTH_NOISE}× for ${list(
          raw,
          (q) => q.small.rawP50Ms,
          (q) => q.large.rawP50Ms,
        )}: that growth is DynamoDB Local's (an emulator over SQLite), not the read path's, which sends the same requests and reads the same items and read units at both sizes; DynamoDB bills and serves a Query by the items it reads.`,
    code.length === 0
      ? `Our code's share did not grow for any first page (${list(
          growth,
          (q) => q.small.codeP50Ms,
          (q) => q.large.codeP50Ms,
        )}).`
      : `Our code's share grew for ${list(
          code,
          (q) => q.small.codeP50Ms,
          (q) => q.large.codeP50Ms,
        )}.`,
    whole.length === 0
      ? `The whole first page did not grow more than ${GROWTH_NOISE}× for any query.`
      : `The whole first page grew more than ${GROWTH_NOISE}× for ${whole.map((q) => `${q.name} (${q.p50Ratio.toFixed(2)}×)`).join(', ')}.`,
  ];
  return parts.join(' ');
}

/** What a target row says in its last column. */
export const verdict = (target: AuditTarget) =>
  target.judged
    ? target.met
      ? 'met'
      : 'MISSED'
    : target.met
      ? `shown (≤ ${GROWTH_NOISE}×)`
      : `shown (grew > ${GROWTH_NOISE}×)`;

/** How many events a chain holds at both sizes, in words. */
function perChain(small: AuditSizeResult | undefined, large: AuditSizeResult | undefined): string {
  const [a, b] = [small, large].map((size) => (size ? Math.floor(size.events / size.chains) : 0));
  return a === b
    ? `every chain holds ${count(a ?? 0)} events at both sizes`
    : `a chain holds ${count(a ?? 0)} events in the small table, ${count(b ?? 0)} in the large one (not alike)`;
}

/** The section of bench/results.md that `npm run bench -- audit` owns (between its two markers). */
export function renderAuditSection(results: AuditBenchResults): string {
  const [small, large] = [results.sizes[0], results.sizes[results.sizes.length - 1]];
  const lines = [
    SECTION_START,
    '## Audit history reads (issue 16: `npm run bench -- audit`)',
    '',
    `Run ${results.startedAt}, ${(results.durationMs / 1000).toFixed(0)} s, ${results.machine.cpus} cores, load ${results.machine.loadAverage.map((l) => l.toFixed(1)).join(' / ')} at the end${small?.loadAverage ? ` (${small.loadAverage.map((l) => l.toFixed(1)).join(' / ')} when the first pages were timed)` : ''}. Both sizes in ONE DynamoDB Local (in memory), as two tables from infra/resources/audit-table.yml, loaded one after the other with BatchWriteItem (items linked and hashed exactly as DynamoAuditSink stores them); the SDK straight to DynamoDB Local.`,
    '',
    `First page = \`page(query, { limit: ${FIRST_PAGE} })\` of DynamoAuditReader, the API's and the viewer's default page, at both sizes. The samples are interleaved: each of ${results.samples ?? '20'} rounds times every first page at both sizes back to back, the sizes' order alternating from round to round, so the machine's load falls on both alike; ${WARM_UP_ROUNDS} rounds of the same loop run first and are discarded (DynamoDB Local's JVM, the SDK's connections). Raw = the very DynamoDB requests the reader sent for that first page (recorded once), replayed with the same SDK document client and no reader code, timed back to back with the reader (which of the two goes first alternates every two rounds): DynamoDB Local's and the SDK's time alone. Our code = the reader's time outside the SDK's \`send\` (each page's wall time less its requests' time, measured in the same call), p50. Read units from ReturnConsumedCapacity.`,
    '',
    `Alike at both sizes: ${perChain(small, large)}; "one bucket" is the middle chain. "One action" is \`${RARE_ACTION}\`, which exactly ${count(ACTION_EVENTS)} events of either table have (spread evenly over the history). Every run records ${RUN_EVENTS} consecutive events at either size, and "one run" is the second-newest. "No filter" and "a 30-day span" match a share of the table by definition; they are alike in what the first page reads: the history ends at the end of a UTC day (the reader's clock set there) and the span ends at the end of the day 30 days before, so the newest day read is a whole day, more than a page at both sizes, and the first page is one Query of ${FIRST_PAGE} items of one day's partition at both. A history (or a span) thinner than a page a day is not measured here: there a page without a bucket, run or action reads at most 2 days' Queries (DynamoAuditReader's maxDaysPerPage, 2) and comes back short with a next token, which the CLI and the viewer follow (test/unit/adapters/aws/DynamoAuditReader.test.ts).`,
    '',
    '| target | measured | |',
    '|---|---|---|',
    ...auditTargets(results).map((t) => `| ${t.name} | ${t.measured} | ${verdict(t)} |`),
    '',
  ];
  const growth = perQueryGrowth(results);
  if (growth.length > 0) {
    lines.push(
      `### First page per query, ${count(small?.events ?? 0)} → ${count(large?.events ?? 0)} events (p50, interleaved)`,
      '',
      '| first page | events matched | Query pages | read units | whole page | raw SDK replay | our code |',
      '|---|---|---|---|---|---|---|',
      ...growth.map(
        ({ name, small: s, large: l, p50Ratio, rawRatio, codeRatio }) =>
          `| ${name} | ${count(s.matching)} / ${count(l.matching)} | ${s.queries} / ${l.queries} | ${s.readUnits} / ${l.readUnits} | ${ms(s.p50Ms)} → ${ms(l.p50Ms)} (${p50Ratio.toFixed(2)}×) | ${ms(s.rawP50Ms)} → ${ms(l.rawP50Ms)} (${rawRatio.toFixed(2)}×) | ${ms(s.codeP50Ms)} → ${ms(l.codeP50Ms)} (${codeRatio.toFixed(2)}×) |`,
      ),
      '',
      whoseGrowth(growth),
      '',
    );
  }
  for (const size of results.sizes) {
    lines.push(
      `### ${count(size.events)} events over ${count(size.chains)} chains (loaded in ${(size.loadMs / 1000).toFixed(0)} s)`,
      '',
      '| first page | matched | on the page | p50 | p95 | raw p50 | raw p95 | our code p50 | Query pages | GetItem | Scan | read units |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...size.firstPages.map(
        (page) =>
          `| ${page.name} | ${count(page.matching)} | ${page.events} | ${ms(page.p50Ms)} | ${ms(page.p95Ms)} | ${ms(page.rawP50Ms)} | ${ms(page.rawP95Ms)} | ${ms(page.codeP50Ms)} | ${page.queries} | ${page.gets} | ${page.scans} | ${page.readUnits} |`,
      ),
      '',
      '| verify | events | chains | time | of which reading the table | events/s | read units | intact | peak RSS |',
      '|---|---|---|---|---|---|---|---|---|',
      ...size.verify.map(
        (v) =>
          `| ${v.name} | ${count(v.events)} | ${count(v.chains)} | ${ms(v.ms)} | ${v.readMs === undefined ? '' : ms(v.readMs)} | ${count(Math.round(v.eventsPerSecond))} | ${count(Math.round(v.readUnits))} | ${v.intact ? 'yes' : 'NO'} | ${v.memory ? `${mib(v.memory.peakRss)} (${mib(v.memory.rssBefore)} before)` : ''} |`,
      ),
      '',
    );
    for (const note of size.notes ?? []) lines.push(note, '');
    if (size.anchor !== undefined)
      lines.push(
        `Anchored before the rows "against the anchors": digest ${'`'}${size.anchor.key}${'`'} (${count(size.anchor.heads)} heads of ${count(size.anchor.chains)} chains), listed from the head index, signed with kms:Sign and created in the Object Lock bucket in ${ms(size.anchor.ms)}.`,
        '',
      );
  }
  lines.push(
    results.anchors
      ? "Rows \"against the anchors\" run verifyAuditAnchors, what `s3ir audit verify` runs with `S3IR_DIGEST_BUCKET` set: every digest read from the Object Lock bucket and its signature checked against the signing key's public key (kms:GetPublicKey once per verify, then node:crypto's ECDSA check, as CloudTrail's validator does; no kms:Verify call: lib/adapters/aws/KmsDigestSigner.ts), then the chains alone and against their anchored heads. The table is read as in the table-only rows, straight from DynamoDB Local, so the two rows differ by the anchors alone. Each table is anchored in a digest bucket of its own (compliance-mode digests cannot be deleted, and one table's digests would name chains the other does not hold). \"every chain\" holds every item of the table in memory at once (the use case checks the chains against the digests after reading them all); peak RSS is the bench process's, sampled every 50 ms while that verify ran."
      : 'Verify with anchors: not measured. The signed digests (issue 16 points 1 and 2) are not on this branch; the rows above are the hash chains alone.',
    SECTION_END,
  );
  return `${lines.join('\n')}\n`;
}

/** `markdown` with its audit section replaced by `section` (appended when it has none). */
export function withAuditSection(markdown: string, section: string): string {
  const start = markdown.indexOf(SECTION_START);
  const end = markdown.indexOf(SECTION_END);
  if (start < 0 || end < start) return `${markdown.trimEnd()}\n\n${section}`;
  return `${markdown.slice(0, start)}${section.trimEnd()}${markdown.slice(end + SECTION_END.length)}`;
}

/** The audit section of `markdown`, if it has one (the sweep bench keeps it when it rewrites the file). */
export function auditSectionOf(markdown: string): string | undefined {
  const start = markdown.indexOf(SECTION_START);
  const end = markdown.indexOf(SECTION_END);
  return start < 0 || end < start ? undefined : `${markdown.slice(start, end + SECTION_END.length)}\n`;
}
