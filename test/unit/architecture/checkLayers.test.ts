import { describe, expect, it } from 'vitest';
import { checkLayers, cyclicComponents, type LayerConfig } from './checkLayers.js';
import type { ImportEdge } from './importGraph.js';

const CONFIG: LayerConfig = {
  layers: ['core', 'adapters', 'entry'],
  folders: { 'lib/a/': 'core', 'lib/b/': 'core', 'lib/aws/': 'adapters', 'functions/': 'entry' },
  sdkAllowed: ['lib/aws/'],
};

function edge(from: string, to: string, options: Partial<ImportEdge> = {}): ImportEdge {
  const local = !to.startsWith('@');
  return { from, line: 3, specifier: local ? `./${to}` : to, to, local, runtime: true, ...options };
}

describe('checkLayers()', () => {
  it('accepts imports that point down or stay in their layer, and type-only SDK imports anywhere', () => {
    const files = ['functions/f.ts', 'lib/aws/A.ts', 'lib/a/x.ts', 'lib/b/y.ts'];
    const edges = [
      edge('functions/f.ts', 'lib/aws/A.ts'),
      edge('lib/aws/A.ts', 'lib/a/x.ts'),
      edge('lib/aws/A.ts', '@aws-sdk/client-s3'),
      edge('lib/a/x.ts', 'lib/b/y.ts'),
      edge('lib/b/y.ts', '@aws-sdk/client-s3', { runtime: false }),
      edge('lib/b/y.ts', 'zod'),
    ];

    expect(checkLayers(CONFIG, files, edges)).toEqual([]);
  });

  it('reports an import that points up a layer, type-only or not, with file, line and layers', () => {
    const edges = [edge('lib/a/x.ts', 'lib/aws/A.ts', { runtime: false, line: 7, specifier: '../aws/A.js' })];

    expect(checkLayers(CONFIG, ['lib/a/x.ts'], edges)).toEqual([
      {
        rule: 'layer',
        key: 'lib/a/x.ts → lib/aws/A.ts',
        message: 'lib/a/x.ts:7 → ../aws/A.js (core imports adapters)',
      },
    ]);
  });

  it('reports a run-time @aws-sdk import outside the adapters, not a type-only one', () => {
    const edges = [
      edge('functions/f.ts', '@aws-sdk/client-sqs'),
      edge('functions/f.ts', '@aws-sdk/client-s3', { runtime: false }),
    ];

    expect(checkLayers(CONFIG, ['functions/f.ts'], edges)).toEqual([
      {
        rule: 'sdk',
        key: 'functions/f.ts → @aws-sdk/client-sqs',
        message: 'functions/f.ts:3 → @aws-sdk/client-sqs (run-time SDK import outside the adapters)',
      },
    ]);
  });

  it('reports every folder edge inside a cycle, type-only imports included, and not the edges leaving it', () => {
    const edges = [
      edge('lib/a/x.ts', 'lib/b/y.ts'),
      edge('lib/b/y.ts', 'lib/a/z.ts', { runtime: false }),
      edge('lib/aws/A.ts', 'lib/a/x.ts'),
    ];

    const cycles = checkLayers(CONFIG, ['lib/a/x.ts', 'lib/b/y.ts', 'lib/aws/A.ts'], edges);

    expect(cycles.map(({ rule, key }) => `${rule} ${key}`)).toEqual([
      'cycle lib/a/ → lib/b/',
      'cycle lib/b/ → lib/a/',
    ]);
    expect(cycles[0]?.message).toBe(
      'lib/a/ → lib/b/ (in the folder cycle lib/a/ ⇄ lib/b/, e.g. lib/a/x.ts:3 → ./lib/b/y.ts)',
    );
  });

  it('reports a file in no declared folder', () => {
    expect(checkLayers(CONFIG, ['lib/new/thing.ts'], [])).toEqual([
      {
        rule: 'unmapped',
        key: 'lib/new/thing.ts',
        message: 'lib/new/thing.ts is in no folder of the layer map (declare its folder and layer)',
      },
    ]);
  });
});

describe('cyclicComponents()', () => {
  it('finds each cycle of more than one node, and no single node without a self-loop', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a', 'd'])],
      ['d', new Set(['e'])],
      ['e', new Set(['d'])],
      ['f', new Set(['a'])],
    ]);

    expect(cyclicComponents(graph)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
  });
});
