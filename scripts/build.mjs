#!/usr/bin/env node
// Bundles each Lambda entry point in functions/ into dist/<name>/index.mjs and the chunks it loads on first
// use (ESM, Node 22 runtime), then
// prints each bundle's size and its import (init) time: the median of a few imports of the built file,
// each in a fresh `node` process, with a dummy service environment (nothing is called at init).
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, stop } from 'esbuild';
import { bundleOutput, FUNCTION_BUNDLE_OPTIONS, INIT_ENV, reachableOutputs } from './functionBundles.mjs';

const INIT_RUNS = 5;
const initEnv = { ...process.env, ...INIT_ENV };
const measure =
  'const start = performance.now(); await import(process.env.S3IR_BUNDLE_URL); ' +
  'process.stdout.write(String(performance.now() - start));';

/** Milliseconds to import the bundle in a fresh node process. */
function importTimeMs(file) {
  const url = pathToFileURL(resolve(file)).href;
  return Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', measure], {
      env: { ...initEnv, S3IR_BUNDLE_URL: url },
      encoding: 'utf8',
    }),
  );
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const entries = readdirSync('functions')
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => join('functions', file));

const bundles = [];
for (const entry of entries) {
  const name = basename(entry, '.ts');
  const outdir = join('dist', name);
  rmSync(outdir, { recursive: true, force: true }); // chunks of an earlier build would linger
  const result = await build({
    ...FUNCTION_BUNDLE_OPTIONS,
    ...bundleOutput(entry, outdir),
    sourcemap: true,
    metafile: true,
  });
  // The bundle's size: the handler file and the chunks it reaches (what the function's zip holds), maps left out.
  const bytes = reachableOutputs(result.metafile, entry).reduce(
    (sum, file) => sum + result.metafile.outputs[file].bytes,
    0,
  );
  bundles.push({ name, outfile: join(outdir, 'index.mjs'), bytes, runs: [] });
}
// Timed only once every bundle is built and esbuild has exited: an import right after a build shares the CPU
// with esbuild's and this process's clean-up (about 20% slower on this 2-core machine). Round-robin, so that a
// change in the machine's load weighs on every function alike instead of on the one timed then.
await stop();
for (let run = 0; run < INIT_RUNS; run++) {
  for (const bundle of bundles) bundle.runs.push(importTimeMs(bundle.outfile));
}
for (const { name, bytes, runs } of bundles) {
  console.log(`${name}: ${(bytes / 1024).toFixed(1)} KiB, init ${median(runs).toFixed(0)} ms`);
}
console.log(
  `built ${entries.length} function(s) into dist/ (init: median of ${INIT_RUNS} imports in fresh node)`,
);
