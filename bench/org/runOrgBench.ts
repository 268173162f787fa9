import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { machineInfo } from '../machine.js';
import type { Progress } from '../runSize.js';
import type { BenchOptions, OrganizationBenchOptions } from '../types.js';
import { evaluateOrgTargets } from './orgTargets.js';
import type { OrgBenchResults } from './orgTypes.js';
import { renderOrgSection, withOrgSection } from './renderOrgSection.js';
import { runOrgSize } from './runOrgSize.js';

/** `org-results.json`: every number of the organization bench, beside results.json. */
export const ORG_RESULTS_FILE = 'org-results.json';

/** #18 point 8: one organization estate measured, its targets judged. */
export async function measureOrganization(
  organization: OrganizationBenchOptions,
  options: Pick<BenchOptions, 'concurrency' | 'latency'>,
  progress: Progress,
): Promise<OrgBenchResults> {
  const machine = machineInfo();
  const startedAt = new Date().toISOString();
  const started = performance.now();
  progress(
    `organization: ${organization.accounts} accounts, ${organization.buckets} buckets, load ${machine.loadAverage[0]}`,
  );
  const size = await runOrgSize(organization, options, progress);
  return {
    version: 1,
    startedAt,
    durationMs: performance.now() - started,
    options: { ...organization, concurrency: options.concurrency, latency: options.latency },
    machine,
    size,
    targets: evaluateOrgTargets(size),
  };
}

/**
 * Writes org-results.json and the organization section of results.md (the rest of the file kept). Returns
 * the markdown file's path.
 */
export async function writeOrgResults(results: OrgBenchResults, outDir: string): Promise<string> {
  await writeFile(join(outDir, ORG_RESULTS_FILE), `${JSON.stringify(results, roundNumbers, 2)}\n`);
  const path = join(outDir, 'results.md');
  const existing = await readFile(path, 'utf8').catch(() => '');
  await writeFile(path, withOrgSection(existing, renderOrgSection(results)));
  return path;
}

/** Three decimals are more than any of the measurements can tell. */
function roundNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
}
