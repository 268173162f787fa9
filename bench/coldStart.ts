import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { FUNCTION_BUNDLE_OPTIONS, INIT_ENV } from '../scripts/functionBundles.mjs';
import { median } from './metrics.js';
import type { BundleResult } from './types.js';

const run = promisify(execFile);
const repoRoot = resolve(new URL('..', import.meta.url).pathname);

/** A line of scripts/build.mjs: `reconcile: 1262.3 KiB, init 209 ms`. */
const BUILD_LINE = /^(\w+): ([\d.]+) KiB, init ([\d.]+) ms$/;

/** The bundles scripts/build.mjs reports, from its output. */
export function parseBuildOutput(output: string): { name: string; kib: number; initMs: number }[] {
  return output
    .split('\n')
    .map((line) => BUILD_LINE.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ name: match[1]!, kib: Number(match[2]), initMs: Number(match[3]) }));
}

/** The package a metafile path belongs to (`@aws-sdk/client-s3`, `zod`), or `(project)`. */
export function packageOf(path: string): string {
  // The innermost node_modules: a nested copy belongs to its own package.
  const matches = [...path.matchAll(/(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)(?=\/)/g)];
  return matches.at(-1)?.[1] ?? '(project)';
}

/** Bytes of each package in one output of a metafile, largest first. */
export function packageBytes(metafile: Metafile, output: string): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [path, input] of Object.entries(metafile.outputs[output]?.inputs ?? {})) {
    const name = packageOf(path);
    totals[name] = (totals[name] ?? 0) + input.bytesInOutput;
  }
  return Object.fromEntries(Object.entries(totals).sort(([, a], [, b]) => b - a));
}

/** The project's modules in one output that import zod (`zod`, `zod/mini`, `zod/v4/core`): they build schemas when loaded. */
export function zodImporters(metafile: Metafile, output: string): string[] {
  const inOutput = metafile.outputs[output]?.inputs ?? {};
  return Object.entries(metafile.inputs)
    .filter(([path]) => path in inOutput && packageOf(path) !== 'zod')
    .filter(([, input]) => input.imports.some((entry) => packageOf(entry.path) === 'zod'))
    .map(([path]) => path)
    .sort();
}

const BUNDLE_OPTIONS: BuildOptions = {
  ...FUNCTION_BUNDLE_OPTIONS,
  // Metafile paths are relative to this folder.
  absWorkingDir: repoRoot,
};

const IMPORT_RUNS = 3;
const measureImport =
  'const start = performance.now(); await import(process.env.S3IR_BUNDLE_URL); ' +
  'process.stdout.write(JSON.stringify({ ms: performance.now() - start, rss: process.memoryUsage.rss() }));';
/** Milliseconds to import `file` in a fresh node, and the process's RSS (MiB) once it has. */
async function importFresh(file: string): Promise<{ ms: number; rssMiB: number }> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', measureImport], {
    env: { ...process.env, ...INIT_ENV, S3IR_BUNDLE_URL: pathToFileURL(file).href },
  });
  const { ms, rss } = JSON.parse(stdout) as { ms: number; rss: number };
  return { ms, rssMiB: rss / (1024 * 1024) };
}

/**
 * Zod's share of one function's bundle and init. The function is bundled as scripts/build.mjs bundles it
 * (in memory) for its metafile; the modules that import zod are bundled alone. Then the built function
 * and the zod bundle are imported in turn in fresh nodes, so both medians see the same machine load. The
 * zod bundle times zod's load and the schemas those modules build at import (an upper bound: every export
 * of those modules is kept). A function without zod is only imported, for its RSS.
 */
async function zodShare(
  name: string,
  workDir: string,
): Promise<Omit<BundleResult, 'name' | 'kib' | 'initMs'>> {
  const outfile = join(workDir, `${name}.mjs`);
  const bundled = await build({
    ...BUNDLE_OPTIONS,
    // One output file for the metafile's per-package bytes: every module the function may load.
    splitting: false,
    entryPoints: [join(repoRoot, 'functions', `${name}.ts`)],
    outfile,
    write: false,
    metafile: true,
  });
  const output = relative(repoRoot, outfile);
  const packages = packageBytes(bundled.metafile!, output);
  const importers = zodImporters(bundled.metafile!, output);
  const zodEntry = join(workDir, `${name}.zod.mjs`);
  if (importers.length > 0) {
    await build({
      ...BUNDLE_OPTIONS,
      stdin: {
        contents: importers.map((path, index) => `export * as m${index} from './${path}';`).join('\n'),
        resolveDir: repoRoot,
        loader: 'ts',
      },
      splitting: false,
      outfile: zodEntry,
    });
  }
  const whole: { ms: number; rssMiB: number }[] = [];
  const zodOnly: number[] = [];
  for (let index = 0; index < IMPORT_RUNS; index++) {
    whole.push(await importFresh(join(repoRoot, 'dist', name, 'index.mjs')));
    if (importers.length > 0) zodOnly.push((await importFresh(zodEntry)).ms);
  }
  return {
    zodKib: (packages.zod ?? 0) / 1024,
    zodInitMs: median(zodOnly) ?? 0,
    pairedInitMs: median(whole.map((run) => run.ms))!,
    initRssMiB: median(whole.map((run) => run.rssMiB))!,
    largestPackagesKib: Object.fromEntries(
      Object.entries(packages)
        .slice(0, 8)
        .map(([name, bytes]) => [name, bytes / 1024]),
    ),
  };
}

/**
 * Cold start per function: `node scripts/build.mjs` (bundle size, init = median import time in a fresh
 * node), plus zod's share of each bundle and of its init.
 */
export async function measureColdStart(): Promise<BundleResult[]> {
  const { stdout } = await run(process.execPath, ['scripts/build.mjs'], {
    cwd: repoRoot,
    maxBuffer: 1 << 20,
  });
  const bundles = parseBuildOutput(stdout);
  if (bundles.length === 0) throw new Error(`scripts/build.mjs printed no bundle line:\n${stdout}`);
  const workDir = await mkdtemp(join(tmpdir(), 's3ir-bench-'));
  try {
    const results: BundleResult[] = [];
    for (const bundle of bundles) {
      results.push({ ...bundle, ...(await zodShare(bundle.name, workDir)) });
    }
    return results;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
