#!/usr/bin/env -S node --
// The `s3ir` command: runs the prebuilt bundle dist/cli/main.mjs (scripts/buildCli.mjs; built by `npm install`
// and `npm ci` through `prepare`, and shipped in the npm tarball), so it starts without compiling anything.
// In a checkout whose sources changed since, it rebuilds the bundle first; without esbuild (an install
// without dev dependencies) it runs the TypeScript sources through tsx instead.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

/** true: dist/cli is older than one of its sources (in a git checkout); undefined: there is none. */
function stale() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL('dist/cli/inputs.json', root), 'utf8'));
  } catch {
    return undefined;
  }
  const built = statSync(new URL('dist/cli/main.mjs', root), { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return undefined;
  // Only a git checkout has sources someone edits; an installed package's files all carry install time.
  if (!statSync(new URL('.git', root), { throwIfNoEntry: false })) return false;
  return manifest.inputs.some(
    (input) => (statSync(new URL(input, root), { throwIfNoEntry: false })?.mtimeMs ?? 0) > built,
  );
}

let state = stale();
if (state !== false) {
  try {
    const { buildCli } = await import('../scripts/buildCli.mjs');
    await buildCli();
    state = false;
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }
}
if (state === false) {
  await import('../dist/cli/main.mjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../lib/cli/main.ts');
}
