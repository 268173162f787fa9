import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliBundleStale } from '../../../scripts/buildCli.mjs';

const outdir = new URL('../../../dist/cli/', import.meta.url).pathname;

/** The specifiers a bundle file imports statically (`import … from "x"`, `import "x"`), not through `import()`. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/^import\s*(?:[^'"]*?\sfrom\s*)?["']([^"']+)["'];?/gm)].map((match) => match[1]!);
}

/** Every file and package that loading `file` evaluates before any `import()` runs. */
async function loadedAtStart(file: string, seen = new Set<string>()): Promise<Set<string>> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const specifier of staticImports(await readFile(join(outdir, file), 'utf8'))) {
    if (specifier.startsWith('./')) await loadedAtStart(specifier.slice(2), seen);
    else seen.add(specifier);
  }
  return seen;
}

beforeAll(async () => {
  await buildCli();
}, 120_000);

describe('the CLI bundle (dist/cli)', () => {
  it('is fresh once built', () => {
    expect(cliBundleStale()).toBe(false);
  });

  it('loads no command, no AWS SDK and no TypeScript compiler before the arguments are parsed', async () => {
    const loaded = [...(await loadedAtStart('main.mjs'))];
    expect(loaded).toContain('main.mjs');
    expect(loaded.filter((name) => /^(@aws-sdk|@smithy|tsx|esbuild|yaml|zod)/.test(name))).toEqual([]);
    const commands = [
      'apply',
      'audit',
      'auditVerify',
      'delivery',
      'import',
      'localStart',
      'plan',
      'reconcile',
      'serve',
      'status',
      'validate',
    ];
    expect(loaded.filter((name) => commands.some((command) => name.startsWith(`${command}-`)))).toEqual([]);
    const atStart = await Promise.all(
      loaded.filter((name) => name.endsWith('.mjs')).map((name) => readFile(join(outdir, name), 'utf8')),
    );
    // Each command is its own chunk, reached only through import() once its flags are checked.
    for (const command of commands)
      expect(atStart.join('\n')).toMatch(new RegExp(`import\\("\\./${command}-[A-Z0-9]+\\.mjs"\\)`));
  });
});
