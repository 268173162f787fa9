import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mappedPath, moveModules, plannedMoves, rewriteSpecifiers } from '../../../scripts/moveModules.mjs';

const script = new URL('../../../scripts/moveModules.mjs', import.meta.url).pathname;
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A committed git repository holding these files. */
function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'move-modules-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-qm', 'tree');
  return root;
}

const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');
const tracked = (root: string) =>
  execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).trim().split('\n').sort();

const TREE = {
  'lib/reconcile/types.ts':
    "import type { Policy } from '../policy/types.js';\nexport type DesiredItem = Policy;\n",
  'lib/reconcile/plan.ts': [
    "import type { DesiredItem } from './types.js';",
    "import { grant } from '../policy/grant.js';",
    "export { grant } from '../policy/grant.js';",
    "export const load = () => import('./types.js');",
    '',
  ].join('\n'),
  'lib/policy/types.ts': 'export type Policy = string;\n',
  'lib/policy/grant.ts':
    "import type { Policy } from './types.js';\nexport const grant = (p: Policy) => p;\n",
  'lib/aws/Adapter.ts': "import { plan } from '../reconcile/plan.js';\nimport '../policy/index.js';\n",
  'lib/policy/index.ts': "export * from './grant.js';\n",
  'test/unit/reconcile/plan.test.ts': [
    "import { load } from '../../../lib/reconcile/plan.js';",
    "vi.mock('../../../lib/reconcile/types.js', () => ({}));",
    "const fixture = new URL('../../fixtures/plan.json', import.meta.url);",
    "const root = new URL('../../../', import.meta.url);",
    '',
  ].join('\n'),
  'test/fixtures/plan.json': '{}\n',
  'scripts/tool.mjs': "import { grant } from '../lib/policy/grant.js';\n",
  'serverless.yml': 'handler: lib/reconcile/plan.handler\nother: lib/reconcile/planner\n',
};

describe('scripts/moveModules.mjs', () => {
  it('moves a file and a folder with git mv and rewrites every specifier to, from and inside them', () => {
    const root = repository(TREE);
    writeFileSync(
      join(root, 'mapping.json'),
      JSON.stringify({
        'lib/reconcile/types.ts': 'lib/desired/types.ts',
        'lib/reconcile/': 'lib/core/reconcile/',
      }),
    );

    const output = execFileSync('node', [script, 'mapping.json'], { cwd: root, encoding: 'utf8' });

    expect(tracked(root)).toEqual([
      'lib/aws/Adapter.ts',
      'lib/core/reconcile/plan.ts',
      'lib/desired/types.ts',
      'lib/policy/grant.ts',
      'lib/policy/index.ts',
      'lib/policy/types.ts',
      'scripts/tool.mjs',
      'serverless.yml',
      'test/fixtures/plan.json',
      'test/unit/reconcile/plan.test.ts',
    ]);
    expect(execFileSync('git', ['status', '--short'], { cwd: root, encoding: 'utf8' })).toContain(
      'R  lib/reconcile/types.ts -> lib/desired/types.ts',
    );
    expect(read(root, 'lib/desired/types.ts')).toBe(
      "import type { Policy } from '../policy/types.js';\nexport type DesiredItem = Policy;\n",
    );
    expect(read(root, 'lib/core/reconcile/plan.ts')).toBe(
      [
        "import type { DesiredItem } from '../../desired/types.js';",
        "import { grant } from '../../policy/grant.js';",
        "export { grant } from '../../policy/grant.js';",
        "export const load = () => import('../../desired/types.js');",
        '',
      ].join('\n'),
    );
    expect(read(root, 'lib/aws/Adapter.ts')).toBe(
      "import { plan } from '../core/reconcile/plan.js';\nimport '../policy/index.js';\n",
    );
    expect(read(root, 'test/unit/reconcile/plan.test.ts')).toBe(
      [
        "import { load } from '../../../lib/core/reconcile/plan.js';",
        "vi.mock('../../../lib/desired/types.js', () => ({}));",
        "const fixture = new URL('../../fixtures/plan.json', import.meta.url);",
        "const root = new URL('../../../', import.meta.url);",
        '',
      ].join('\n'),
    );
    expect(read(root, 'scripts/tool.mjs')).toBe(TREE['scripts/tool.mjs']);
    expect(output).toContain('2 files moved, 7 specifiers rewritten in 3 files');
    expect(output).toContain('serverless.yml:1: lib/reconcile/plan');
    expect(output).not.toContain('serverless.yml:2');
  });

  it('recomputes the specifiers of a moved file that points at files that stay, and changes nothing on --dry-run', () => {
    const root = repository(TREE);
    const mapping = { 'test/unit/reconcile/': 'test/unit/core/reconcile/deep/' };

    moveModules(root, mapping, { dryRun: true, log: () => {} });
    expect(tracked(root)).toContain('test/unit/reconcile/plan.test.ts');

    const { moves } = moveModules(root, mapping, { log: () => {} });

    expect([...moves]).toEqual([
      ['test/unit/reconcile/plan.test.ts', 'test/unit/core/reconcile/deep/plan.test.ts'],
    ]);
    expect(read(root, 'test/unit/core/reconcile/deep/plan.test.ts')).toBe(
      [
        "import { load } from '../../../../../lib/reconcile/plan.js';",
        "vi.mock('../../../../../lib/reconcile/types.js', () => ({}));",
        "const fixture = new URL('../../../../fixtures/plan.json', import.meta.url);",
        "const root = new URL('../../../../../', import.meta.url);",
        '',
      ].join('\n'),
    );
  });

  it('refuses a mapping that sends two files to one place, moves onto a file that stays, or matches nothing', () => {
    const files = ['lib/a/x.ts', 'lib/b/x.ts', 'lib/c/y.ts'];

    expect(() => plannedMoves({ 'lib/a/': 'lib/c/', 'lib/b/': 'lib/c/' }, files)).toThrow(
      'lib/b/x.ts and lib/a/x.ts would both move to lib/c/x.ts',
    );
    expect(() => plannedMoves({ 'lib/a/x.ts': 'lib/c/y.ts' }, files)).toThrow(
      'lib/a/x.ts would move onto lib/c/y.ts, which stays',
    );
    expect(() => plannedMoves({ 'lib/d/': 'lib/e/' }, files)).toThrow(
      'the mapping key lib/d/ matches no tracked file',
    );
  });
});

describe('mappedPath()', () => {
  it('takes the longest key, and maps a folder path as well as the files in it', () => {
    const mapping = {
      'lib/aws/': 'lib/adapters/',
      'lib/aws/sdk/': 'lib/clients/',
      'lib/aws/x.ts': 'lib/core/x.ts',
    };

    expect(mappedPath(mapping, 'lib/aws/Dynamo.ts')).toBe('lib/adapters/Dynamo.ts');
    expect(mappedPath(mapping, 'lib/aws/sdk/s3.ts')).toBe('lib/clients/s3.ts');
    expect(mappedPath(mapping, 'lib/aws/x.ts')).toBe('lib/core/x.ts');
    expect(mappedPath(mapping, 'lib/aws')).toBe('lib/adapters');
    expect(mappedPath(mapping, 'lib/awsome.ts')).toBeUndefined();
  });
});

describe('rewriteSpecifiers()', () => {
  it('keeps the spelling: extensionless, index folder, .mjs, and leaves packages alone', () => {
    const files = new Set(['a/x.ts', 'a/dir/index.ts', 'a/tool.mjs']);
    const moveOf = (path: string) => path.replace(/^a\//, 'b/c/');
    const text =
      "import x from './x';\nimport d from './dir';\nimport t from './tool.mjs';\nimport z from 'zod';\n";

    expect(rewriteSpecifiers(text, 'main.ts', 'main.ts', moveOf, (path) => files.has(path))).toEqual({
      text: text,
      count: 0,
    });
    expect(rewriteSpecifiers(text, 'a/main.ts', 'main.ts', moveOf, (path) => files.has(path))).toEqual({
      text: "import x from './b/c/x';\nimport d from './b/c/dir';\nimport t from './b/c/tool.mjs';\nimport z from 'zod';\n",
      count: 3,
    });
  });
});
