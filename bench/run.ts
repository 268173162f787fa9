// `npm run bench`: issue #7's benchmark on the local AWS. Writes results.json, results.md and sweep.svg.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { auditSectionOf, withAuditSection } from './audit/renderAuditSection.js';
import { measureColdStart } from './coldStart.js';
import { machineInfo } from './machine.js';
import { scaleLatency } from './metrics.js';
import { BenchUsageError, parseBenchArgs, USAGE } from './options.js';
import { orgSectionOf, withOrgSection } from './org/renderOrgSection.js';
import { measureOrganization, ORG_RESULTS_FILE, writeOrgResults } from './org/runOrgBench.js';
import { renderMarkdown } from './render/renderMarkdown.js';
import { chartPoints, renderSweepSvg } from './render/renderSweepSvg.js';
import { runSize } from './runSize.js';
import { evaluateTargets } from './targets.js';
import type {
  BenchOptions,
  BenchResults,
  LatencyCheckOptions,
  LatencyCheckResult,
  SizeResult,
  TargetVerdict,
} from './types.js';

const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const run = promisify(execFile);

/** Three decimals are more than any of the measurements can tell. */
function roundNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
}

/**
 * `value` as JSON the way the repository's formatter (Biome) writes it, so `npm run lint` accepts the
 * committed results.json. Should Biome fail, plain `JSON.stringify` output, and the run goes on.
 */
async function formatJson(value: unknown): Promise<string> {
  const text = `${JSON.stringify(value, roundNumbers, 2)}\n`;
  const biome = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));
  try {
    const formatting = run(biome, ['format', '--stdin-file-path=results.json'], { maxBuffer: 64 << 20 });
    formatting.child.stdin?.end(text);
    return (await formatting).stdout;
  } catch (error) {
    progress(`results.json left unformatted: ${(error as Error).message.split('\n')[0]}`);
    return text;
  }
}

/** One more size with every latency multiplied: the sweep's overhead where the cores are not the bound. */
async function runLatencyCheck(
  options: BenchOptions,
  check: LatencyCheckOptions,
): Promise<LatencyCheckResult> {
  const latency = scaleLatency(options.latency, check.factor);
  progress(`latency check: N=${check.buckets} with every latency ×${check.factor}`);
  // No hand-made changes: the event-driven path is measured at the latency.
  const size = await runSize(check.buckets, { ...options, latency, changes: 0 }, progress);
  return { factor: check.factor, latency, size };
}

/** Each target on stdout: met, missed, or not measured. */
function printVerdicts(targets: readonly TargetVerdict[]): void {
  for (const target of targets) {
    const verdict =
      target.met === undefined
        ? 'not measured'
        : target.met
          ? 'met'
          : target.hardLimit
            ? 'MISSED (hard limit of this machine)'
            : 'MISSED';
    process.stdout.write(`${target.name}: ${target.measured} (${target.target}): ${verdict}\n`);
  }
}

/** `--accounts A --buckets N` alone (#18 point 8): the organization section of results.md and org-results.json. */
async function organizationAlone(options: BenchOptions): Promise<number> {
  const results = await measureOrganization(options.organization!, options, progress);
  await mkdir(options.outDir, { recursive: true });
  const path = await writeOrgResults(results, options.outDir);
  printVerdicts(results.targets);
  process.stdout.write(
    `wrote the organization section of ${path} and ${ORG_RESULTS_FILE} in ${(results.durationMs / 1000).toFixed(0)} s\n`,
  );
  return 0;
}

async function main(argv: string[]): Promise<number> {
  // `npm run bench -- audit`: the audit history's reads at size (issue 16), bench/audit/.
  if (argv[0] === 'audit') return (await import('./audit/runAuditBench.js')).runAuditBench(argv.slice(1));
  let options: ReturnType<typeof parseBenchArgs>;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options.sizes.length === 0) return organizationAlone(options);
  const machine = machineInfo();
  const startedAt = new Date().toISOString();
  const started = performance.now();
  progress(
    `sizes ${options.sizes.join(', ')}, concurrency ${options.concurrency}, load ${machine.loadAverage[0]}`,
  );

  // Cold start first: the bundles are timed before moto and DynamoDB Local take their share of the cores.
  const bundles = await measureColdStart();
  for (const bundle of bundles) {
    progress(`${bundle.name}: ${Math.round(bundle.kib)} KiB, init ${Math.round(bundle.initMs)} ms`);
  }
  const sizes: SizeResult[] = [];
  for (const buckets of options.sizes) sizes.push(await runSize(buckets, options, progress));
  const latencyCheck = options.latencyCheck && (await runLatencyCheck(options, options.latencyCheck));
  // #18 point 8: the organization estate, last (its own local AWS; its own section and org-results.json).
  const organization =
    options.organization && (await measureOrganization(options.organization, options, progress));

  const results: BenchResults = {
    version: 1,
    startedAt,
    durationMs: performance.now() - started,
    options,
    machine,
    sizes,
    bundles,
    ...(latencyCheck && { latencyCheck }),
    targets: evaluateTargets(sizes, bundles, latencyCheck),
  };
  await mkdir(options.outDir, { recursive: true });
  await writeFile(join(options.outDir, 'results.json'), await formatJson(results));
  // The audit bench's section (npm run bench -- audit) stays: this run does not measure it. So does the
  // organization's, unless this run measured it.
  const previous = await readFile(join(options.outDir, 'results.md'), 'utf8').catch(() => '');
  const audit = auditSectionOf(previous);
  const org = orgSectionOf(previous);
  let markdown = renderMarkdown(results);
  if (audit !== undefined) markdown = withAuditSection(markdown, audit);
  if (org !== undefined) markdown = withOrgSection(markdown, org);
  await writeFile(join(options.outDir, 'results.md'), markdown);
  if (organization) await writeOrgResults(organization, options.outDir);
  await writeFile(join(options.outDir, 'sweep.svg'), renderSweepSvg(chartPoints(sizes)));
  printVerdicts(results.targets);
  if (organization) printVerdicts(organization.targets);
  process.stdout.write(
    `wrote ${join(options.outDir, 'results.md')}, results.json and sweep.svg in ${(results.durationMs / 1000).toFixed(0)} s\n`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
