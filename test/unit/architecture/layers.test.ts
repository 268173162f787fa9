import { describe, expect, it } from 'vitest';
import { checkLayers } from './checkLayers.js';
import { importGraph, sourceFiles } from './importGraph.js';
import { LAYER_CONFIG, SCANNED_ROOTS } from './layerMap.js';

const root = new URL('../../../', import.meta.url).pathname;

// The rule of the layers (README "Where things live"): imports point down core → usecases → adapters → entry,
// only the adapters (and the tooling that drives the local AWS) load @aws-sdk/* at run time, and no two folders
// import each other, directly or round a cycle. `npm run layers` prints what breaks it.
describe('the import layers of lib/, functions/, infra/local/, scripts/ and bench/', () => {
  const files = sourceFiles(root, SCANNED_ROOTS);
  const violations = checkLayers(LAYER_CONFIG, files, importGraph(root, files));

  it('reads the source files', () => {
    expect(files).toContain('lib/core/reconcile/plan.ts');
    expect(files).toContain('functions/reconcile.ts');
    expect(files.length).toBeGreaterThan(200);
  });

  it.each(['layer', 'sdk', 'cycle', 'unmapped'] as const)('breaks no %s rule', (rule) => {
    expect(
      violations.filter((violation) => violation.rule === rule).map((violation) => violation.message),
    ).toEqual([]);
  });
});
