import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { packageBytes, packageOf, parseBuildOutput, zodImporters } from '../../../bench/coldStart.js';

describe('parseBuildOutput()', () => {
  it('reads each bundle line of scripts/build.mjs and skips the others', () => {
    const output = [
      'schedule: 1221.4 KiB, init 154 ms',
      'reconcile: 1262.0 KiB, init 209 ms',
      'built 2 function(s) into dist/ (init: median of 5 imports in fresh node)',
    ].join('\n');
    expect(parseBuildOutput(output)).toEqual([
      { name: 'schedule', kib: 1221.4, initMs: 154 },
      { name: 'reconcile', kib: 1262, initMs: 209 },
    ]);
  });
});

describe('packageOf()', () => {
  it('names the package of a node_modules path, scoped or not, and the project otherwise', () => {
    expect(packageOf('node_modules/zod/v4/core/schemas.js')).toBe('zod');
    expect(packageOf('node_modules/@aws-sdk/client-s3/dist-es/index.js')).toBe('@aws-sdk/client-s3');
    expect(packageOf('node_modules/a/node_modules/b/index.js')).toBe('b');
    expect(packageOf('lib/core/inventory/schema.ts')).toBe('(project)');
  });
});

const input = (bytes: number, imports: string[] = []) => ({
  bytes,
  imports: imports.map((path) => ({ path, kind: 'import-statement' as const })),
});

const metafile: Metafile = {
  inputs: {
    'lib/core/inventory/schema.ts': input(100, ['node_modules/zod/index.js']),
    'lib/core/inventory/schemaParts.ts': input(40, [
      'node_modules/zod/mini/index.js',
      'node_modules/zod/v4/core/index.js',
    ]),
    'lib/desired/unused.ts': input(50, ['node_modules/zod/index.js']),
    'lib/core/reconcile/plan.ts': input(80, ['lib/core/inventory/schema.ts']),
    'node_modules/zod/index.js': input(900, ['node_modules/zod/core.js']),
    'node_modules/zod/core.js': input(900),
    'node_modules/@aws-sdk/client-s3/index.js': input(700),
  },
  outputs: {
    'dist/reconcile.mjs': {
      bytes: 2_000,
      imports: [],
      exports: [],
      inputs: {
        'lib/core/inventory/schema.ts': { bytesInOutput: 60 },
        'lib/core/inventory/schemaParts.ts': { bytesInOutput: 20 },
        'lib/core/reconcile/plan.ts': { bytesInOutput: 40 },
        'node_modules/zod/index.js': { bytesInOutput: 500 },
        'node_modules/zod/core.js': { bytesInOutput: 300 },
        'node_modules/@aws-sdk/client-s3/index.js': { bytesInOutput: 650 },
      },
    },
  },
};

describe('packageBytes()', () => {
  it('adds up the bytes each package has in the output, largest first', () => {
    expect(Object.entries(packageBytes(metafile, 'dist/reconcile.mjs'))).toEqual([
      ['zod', 800],
      ['@aws-sdk/client-s3', 650],
      ['(project)', 120],
    ]);
  });
});

describe('zodImporters()', () => {
  it('lists the project modules in the output that import zod or zod/mini, not zod itself nor modules left out', () => {
    expect(zodImporters(metafile, 'dist/reconcile.mjs')).toEqual([
      'lib/core/inventory/schema.ts',
      'lib/core/inventory/schemaParts.ts',
    ]);
  });
});
