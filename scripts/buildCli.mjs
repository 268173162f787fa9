#!/usr/bin/env node
// Builds the `s3ir` CLI into dist/cli/: one ESM bundle of lib/cli/main.ts and one chunk per command (each is
// loaded by `import()` only when that command runs), so `s3ir --version` and `s3ir plan --help` load neither a
// command, nor the AWS SDK, nor a TypeScript compiler. Packages stay external: they load from node_modules as
// the package's dependencies. dist/cli/inputs.json lists the sources, for bin/s3ir.mjs to tell a stale bundle.
// Runs at `npm install` / `npm ci` (package.json `prepare`, which `npm pack` runs too) and `npm run build:cli`.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
const lock = join(root, 'dist', 'cli.lock');

/** The esbuild options of the CLI bundle. */
export const CLI_BUNDLE_OPTIONS = {
  entryPoints: { main: join(root, 'lib', 'cli', 'main.ts') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  // Every file directly in dist/cli/: two folders below the package root, as lib/cli/*.ts and infra/local/*.ts
  // are, so their `new URL('../../', import.meta.url)` finds the root (package.json, serverless.yml, .cache).
  chunkNames: '[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Holds dist/cli.lock while `body` runs: concurrent `s3ir` runs of a stale checkout build once, not at once. */
async function withLock(body) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A builder that died leaves its lock: two minutes is far beyond any build.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 120_000)
        rmSync(lock, { force: true, recursive: true });
      await sleep(100);
      if (waited > 180_000) throw new Error(`${lock} is held: remove it if no build runs`);
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { force: true, recursive: true });
  }
}

/**
 * Whether dist/cli is older than a source it was built from (a missing source does not count: the file that
 * imported it changed too); never outside a git checkout. Undefined when there is no bundle at all.
 */
export function cliBundleStale() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(outdir, 'inputs.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const built = statSync(join(outdir, 'main.mjs'), { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return undefined;
  // Only a git checkout has sources someone edits; npm gives an installed package's files the install time.
  if (!statSync(join(root, '.git'), { throwIfNoEntry: false })) return false;
  return manifest.inputs.some(
    (input) => (statSync(join(root, input), { throwIfNoEntry: false })?.mtimeMs ?? 0) > built,
  );
}

/** Builds dist/cli (under the lock, into a fresh folder moved into place) unless another build just did. */
export async function buildCli({ force = false } = {}) {
  const { build } = await import('esbuild');
  return withLock(async () => {
    if (!force && cliBundleStale() === false) return false;
    const temporary = `${outdir}.${process.pid}.tmp`;
    rmSync(temporary, { recursive: true, force: true });
    const result = await build({ ...CLI_BUNDLE_OPTIONS, outdir: temporary, metafile: true });
    const inputs = Object.keys(result.metafile.inputs)
      .map((input) => relative(root, join(process.cwd(), input)))
      .sort();
    writeFileSync(join(temporary, 'inputs.json'), `${JSON.stringify({ inputs }, null, 1)}\n`);
    rmSync(outdir, { recursive: true, force: true });
    renameSync(temporary, outdir);
    return true;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await import('esbuild');
  } catch {
    // `npm install --omit=dev`: no esbuild. bin/s3ir.mjs then runs the sources through tsx (slower start).
    console.warn('buildCli: esbuild is not installed; s3ir will run from the TypeScript sources');
    process.exit(0);
  }
  const started = Date.now();
  await buildCli({ force: true });
  console.log(`buildCli: dist/cli built in ${Date.now() - started} ms`);
}
