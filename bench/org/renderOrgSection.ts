import { SECTION_START as AUDIT_SECTION_START } from '../audit/renderAuditSection.js';
import { count, markdownTable, perBucket, seconds } from '../render/markdownTable.js';
import { type SectionMarkers, sectionOf, withSection } from '../render/markedSection.js';
import type { SweepResult, TargetVerdict } from '../types.js';
import { orgCallFacts, orgServiceCalls } from './orgTargets.js';
import type { OrgBenchResults } from './orgTypes.js';
import { ORG_ESTATE } from './planOrgEstate.js';

/** The markers of the organization bench's section of results.md. */
export const ORG_SECTION: SectionMarkers = {
  start: '<!-- org-bench:start (npm run bench -- --accounts A --buckets N) -->',
  end: '<!-- org-bench:end -->',
};

const verdict = (entry: TargetVerdict) =>
  entry.met === undefined ? 'not measured' : entry.met ? 'met' : '**missed**';
const mib = (value: number) => `${Math.round(value)} MiB`;

/** The sweeps side by side, one row per measurement. */
function sweepTable(results: OrgBenchResults): string {
  const { size } = results;
  const { first, steady, buckets } = size;
  const both = (render: (sweep: SweepResult) => string) => [render(first), render(steady)];
  const facts = (sweep: SweepResult) => orgCallFacts(sweep.calls, buckets);
  const services = orgServiceCalls(first).map(([service]) => service);
  const rows: string[][] = [
    ['wall time', ...both((sweep) => seconds(sweep.wallMs))],
    ['buckets per second', ...both((sweep) => sweep.bucketsPerSecond.toFixed(1))],
    ['schedule handler', ...both((sweep) => seconds(sweep.scheduleMs))],
    [
      'discovery settled (every member account)',
      ...both((sweep) =>
        sweep.discovery
          ? `${seconds(sweep.discovery.settledMs)} (${sweep.discovery.accounts} accounts, ${sweep.discovery.failed} failed)`
          : '–',
      ),
    ],
    [
      'bucket messages handled / failed / unsettled',
      ...both(
        (sweep) => `${count(sweep.messages)} / ${count(sweep.failed)} / ${count(sweep.unsettled ?? 0)}`,
      ),
    ],
    ['AWS calls per bucket, every service', ...both((sweep) => facts(sweep).callsPerBucket.toFixed(3))],
    ...services.map((service) => [
      `— ${service} calls per bucket`,
      ...both((sweep) => perBucket(sweep.serviceCallsPerBucket[service])),
    ]),
    ['PutBucketPolicy on the destination', ...both((sweep) => count(facts(sweep).putBucketPolicy))],
    ['PutKeyPolicy on the key', ...both((sweep) => count(facts(sweep).putKeyPolicy))],
    [
      'STS AssumeRole (per member account)',
      ...both(
        (sweep) =>
          `${count(facts(sweep).assumeRole)} (${(facts(sweep).assumeRole / size.accounts).toFixed(2)})`,
      ),
    ],
    ['DynamoDB writes', ...both((sweep) => count(facts(sweep).dynamoWrites))],
    ['latency floor (Σ calls × latency ÷ sandboxes)', ...both((sweep) => seconds(sweep.floorMs))],
    ['CPU floor of this machine (Σ CPU ÷ cores)', ...both((sweep) => seconds(sweep.cpu.cpuFloorMs))],
    ['machine busy', ...both((sweep) => `${Math.round(sweep.cpu.machineBusy * 100)}%`)],
    ['worker RSS, sampled peak', ...both((sweep) => mib(sweep.sampledPeakRssMiB))],
  ];
  return markdownTable(['', 'first sweep (adoption)', 'steady state'], rows);
}

/** Every operation's calls per bucket, first and steady, largest first. */
function operationTable(results: OrgBenchResults): string {
  const { first, steady } = results.size;
  const operations = [
    ...new Set([...Object.keys(first.callsPerBucket), ...Object.keys(steady.callsPerBucket)]),
  ];
  operations.sort(
    (a, b) =>
      (first.callsPerBucket[b] ?? 0) - (first.callsPerBucket[a] ?? 0) ||
      (steady.callsPerBucket[b] ?? 0) - (steady.callsPerBucket[a] ?? 0) ||
      (a < b ? -1 : 1),
  );
  return markdownTable(
    ['operation', 'first sweep', 'steady state'],
    operations.map((operation) => [
      operation,
      perBucket(first.callsPerBucket[operation]),
      perBucket(steady.callsPerBucket[operation]),
    ]),
  );
}

/** `bench-workloads` (holding `bench-prod`, `bench-dev`), `bench-sandbox`: the OU tree in words. */
function units(): string {
  const entries = Object.entries(ORG_ESTATE.units);
  return entries
    .filter(([, unit]) => unit.parent === 'root')
    .map(([key, unit]) => {
      const children = entries
        .filter(([, child]) => child.parent === key)
        .map(([, child]) => `\`${child.name}\``);
      return children.length > 0
        ? `\`${unit.name}\` (holding ${children.join(' and ')})`
        : `\`${unit.name}\``;
    })
    .join(' and ');
}

/**
 * The sweep between the first and the steady one, which sends the first sweep's summaries (#18 point 4: one
 * alert per run and account, its `#adoption` item deleted): not steady state, so said apart.
 */
function settleLine(settle: SweepResult): string {
  const writes = orgCallFacts(settle.calls, 1).dynamoWrites;
  const published = settle.calls['sns.Publish'] ?? 0;
  return `Between the first and the steady sweep a settling sweep ran (${seconds(settle.wallMs)}): it sends the first sweep's summaries, one alert per run and account (${count(published)} SNS Publish), and deletes their \`#adoption\` items (${count(writes)} DynamoDB writes); the steady sweep is the one after it.`;
}

const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/** The section of bench/results.md that the organization bench owns (between its two markers). */
export function renderOrgSection(results: OrgBenchResults): string {
  const { size, options, machine } = results;
  const latency = Object.entries(options.latency)
    .map(([service, ms]) => `${service} ${ms} ms`)
    .join(', ');
  const mix = Object.entries(size.mix)
    .map(([kind, n]) => `${count(n)} ${kind}`)
    .join(', ');
  const notes = results.targets
    .filter((entry) => entry.note)
    .map((entry) => `- ${entry.name}: ${entry.note}`);
  const lines = [
    ORG_SECTION.start,
    `## Organization scale (issue 18: \`npm run bench -- --accounts ${options.accounts} --buckets ${options.buckets}\`)`,
    '',
    `Run ${results.startedAt}, ${seconds(results.durationMs)} in all (seeding ${seconds(size.seedMs)}); ${machine.cores} cores, load average at start ${machine.loadAverage.join(' / ')} (1 / 5 / 15 min); ${options.concurrency} reconcile sandboxes and 1 discover sandbox; injected latency per call: ${latency}.`,
    '',
    `The estate, on a local AWS of its own: moto's organization (the home account manages it) with the OUs ${units()}, ${count(size.accounts)} member accounts round the leaf OUs, each with the member roles the service assumes. ${count(size.buckets)} buckets tagged \`${ORG_ESTATE.tag.Key}=${ORG_ESTATE.tag.Value}\` dealt round the accounts in ${ORG_ESTATE.region} (${mix}), plus one untagged bucket per account. All share ONE destination (\`${ORG_ESTATE.destination}\`, no policy yet) and ONE KMS key (its default policy), both in the home account. One template (\`${ORG_ESTATE.templateName}\`) selects by the OUs ${ORG_ESTATE.templateUnits.map((key) => `\`${ORG_ESTATE.units[key].name}\``).join(' and ')}, the tag and the region; \`S3IR_ALLOWED_ACCOUNTS\` is the organization's id. The worker runs the real schedule, discover and reconcile handlers, fed by the discovery and reconcile queues as Lambda's event sources would.`,
    '',
    '| target | goal | measured | verdict |',
    '|---|---:|---:|---:|',
    ...results.targets.map(
      (entry) => `| ${entry.name} | ${entry.target} | ${entry.measured} | ${verdict(entry)} |`,
    ),
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
    `### ${count(size.accounts)} accounts, ${count(size.buckets)} buckets`,
    '',
    sweepTable(results),
    '',
    `Peak RSS of the worker process over its life (getrusage ru_maxrss): **${mib(size.peakRssMiB)}**. The destination policy after the first sweep: ${count(size.policies.destinationBytes)} bytes, ${plural(size.policies.destinationStatements, 'statement')} naming ${plural(size.policies.grantedAccounts, 'source account')}; the key policy: ${count(size.policies.keyBytes)} bytes, ${plural(size.policies.keyStatements, 'statement')}. Read back as their owners after the first sweep: ${count(size.checks.sampled - size.checks.notConverged.length)} of ${count(size.checks.sampled)} sampled tagged buckets have the declared report; ${size.checks.untaggedTouched.length} of ${size.checks.untagged} untagged buckets have any configuration.`,
    ...(size.settle ? ['', settleLine(size.settle)] : []),
    '',
    '#### Calls per bucket by operation (gateway counts)',
    '',
    operationTable(results),
    '',
    "How it was measured: calls are what the local AWS's gateway counted (`GET /_local/calls`, reset before each sweep), every service included: the bench's own SQS receives and deletes stand for Lambda's event source mappings. The estate has one destination and one key and no other policy, so every PutBucketPolicy is the destination's and every PutKeyPolicy the key's. A sweep ends when every member account's discovery and every bucket message it enqueued settled. STS is bounded per account and sandbox; the gateway counts by operation, so the bound is checked on the total (accounts × sandboxes). The tagging row is discovery's: one GetResources walk per account and region, every page (100 resources a page), whose tags each bucket message carries, so a member bucket's reconcile asks for no tags (docs/aws-facts.md §16).",
    ORG_SECTION.end,
  ];
  return `${lines.join('\n')}\n`;
}

/** `markdown` with its organization section replaced (placed before the audit section when it has none). */
export function withOrgSection(markdown: string, section: string): string {
  return withSection(markdown, section, ORG_SECTION, [AUDIT_SECTION_START]);
}

/** The organization section of `markdown`, if it has one (the sweep bench keeps it when it rewrites the file). */
export function orgSectionOf(markdown: string): string | undefined {
  return sectionOf(markdown, ORG_SECTION);
}
