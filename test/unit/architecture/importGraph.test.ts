import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importGraph, importsOf, packageName, sourceFiles } from './importGraph.js';

describe('importsOf()', () => {
  it('tells run-time imports from type-only ones, in every form', () => {
    const text = [
      "import type { A } from './a.js';",
      "import { type B, c } from './b.js';",
      "import { type D } from './d.js';",
      "import * as e from './e.js';",
      "import './f.js';",
      "export type { G } from './g.js';",
      "export { h } from './h.js';",
      "export * from './i.js';",
      'export async function load() {',
      "  const j = await import('./j.js');",
      "  type K = typeof import('./k.js');",
      '  return j;',
      '}',
      "vi.mock('./l.js');",
    ].join('\n');

    expect(importsOf(text, 'x.ts')).toEqual([
      { specifier: './a.js', line: 1, runtime: false },
      { specifier: './b.js', line: 2, runtime: true },
      // verbatimModuleSyntax keeps `import {} from './d.js'`: the module still loads.
      { specifier: './d.js', line: 3, runtime: true },
      { specifier: './e.js', line: 4, runtime: true },
      { specifier: './f.js', line: 5, runtime: true },
      { specifier: './g.js', line: 6, runtime: false },
      { specifier: './h.js', line: 7, runtime: true },
      { specifier: './i.js', line: 8, runtime: true },
      { specifier: './j.js', line: 10, runtime: true },
      { specifier: './k.js', line: 11, runtime: false },
    ]);
  });
});

describe('packageName()', () => {
  it('names the package of a deep or scoped specifier', () => {
    expect(packageName('@aws-sdk/client-s3')).toBe('@aws-sdk/client-s3');
    expect(packageName('@aws-sdk/lib-dynamodb/dist-es/x.js')).toBe('@aws-sdk/lib-dynamodb');
    expect(packageName('zod/mini')).toBe('zod');
    expect(packageName('node:crypto')).toBe('node:crypto');
  });
});

describe('importGraph()', () => {
  const root = mkdtempSync(join(tmpdir(), 'import-graph-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('resolves `.js` specifiers to the `.ts`, `.mjs` or index file that exists', () => {
    mkdirSync(join(root, 'lib/a'), { recursive: true });
    mkdirSync(join(root, 'lib/b'), { recursive: true });
    writeFileSync(
      join(root, 'lib/a/x.ts'),
      "import { y } from '../b/y.js';\nimport { z } from '../b/index.js';\n",
    );
    writeFileSync(join(root, 'lib/b/y.ts'), "export * from './w.mjs';\nimport '@aws-sdk/client-s3';\n");
    writeFileSync(join(root, 'lib/b/w.mjs'), 'export const w = 1;\n');
    writeFileSync(join(root, 'lib/b/index.ts'), 'export const z = 1;\n');
    writeFileSync(join(root, 'lib/b/types.d.ts'), 'export type T = 1;\n');

    const files = sourceFiles(root, ['lib']);

    expect(files).toEqual(['lib/a/x.ts', 'lib/b/index.ts', 'lib/b/w.mjs', 'lib/b/y.ts']);
    expect(importGraph(root, files).map(({ from, to, local }) => ({ from, to, local }))).toEqual([
      { from: 'lib/a/x.ts', to: 'lib/b/y.ts', local: true },
      { from: 'lib/a/x.ts', to: 'lib/b/index.ts', local: true },
      { from: 'lib/b/y.ts', to: 'lib/b/w.mjs', local: true },
      { from: 'lib/b/y.ts', to: '@aws-sdk/client-s3', local: false },
    ]);
  });
});
