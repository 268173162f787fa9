#!/usr/bin/env node
// Bundles each Lambda entry point in functions/ into dist/<name>/index.mjs (ESM, Node 22 runtime).
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

// A fully bundled ESM file still meets CommonJS dependencies that call require(): give them one.
const banner = {
  js: "import { createRequire as __s3irCreateRequire } from 'node:module'; const require = __s3irCreateRequire(import.meta.url);",
};

const entries = readdirSync('functions')
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => join('functions', file));

for (const entry of entries) {
  const name = basename(entry, '.ts');
  const result = await build({
    entryPoints: [entry],
    outfile: join('dist', name, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    sourcemap: true,
    metafile: true,
    banner,
    logLevel: 'warning',
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  console.log(`${name}: ${(bytes / 1024).toFixed(1)} KiB`);
}
console.log(`built ${entries.length} function(s) into dist/`);
