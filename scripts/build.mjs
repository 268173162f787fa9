#!/usr/bin/env node
// Bundles each Lambda entry point in functions/ into dist/<name>/index.mjs (ESM, Node 22 runtime), then
// prints each bundle's size and its import (init) time: the median of a few imports of the built file,
// each in a fresh `node` process, with a dummy service environment (nothing is called at init).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { FUNCTION_BUNDLE_OPTIONS, INIT_ENV } from './functionBundles.mjs';

const INIT_RUNS = 3;
const initEnv = { ...process.env, ...INIT_ENV };
const measure =
  'const start = performance.now(); await import(process.env.S3IR_BUNDLE_URL); ' +
  'process.stdout.write(String(performance.now() - start));';

/** Milliseconds to import the bundle in a fresh node process (median of INIT_RUNS). */
function initTimeMs(file) {
  const url = pathToFileURL(resolve(file)).href;
  const runs = Array.from({ length: INIT_RUNS }, () =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', measure], {
        env: { ...initEnv, S3IR_BUNDLE_URL: url },
        encoding: 'utf8',
      }),
    ),
  );
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)];
}

const entries = readdirSync('functions')
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => join('functions', file));

const rows = [];
for (const entry of entries) {
  const name = basename(entry, '.ts');
  const outfile = join('dist', name, 'index.mjs');
  const result = await build({
    entryPoints: [entry],
    outfile,
    ...FUNCTION_BUNDLE_OPTIONS,
    sourcemap: true,
    metafile: true,
  });
  const bytes = result.metafile.outputs[outfile]?.bytes ?? 0;
  rows.push({ name, kib: (bytes / 1024).toFixed(1), initMs: initTimeMs(outfile).toFixed(0) });
}
for (const row of rows) console.log(`${row.name}: ${row.kib} KiB, init ${row.initMs} ms`);
console.log(
  `built ${entries.length} function(s) into dist/ (init: median of ${INIT_RUNS} imports in fresh node)`,
);
