import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { folderOf } from './checkLayers.js';
import { sourceFiles } from './importGraph.js';
import { LAYER_CONFIG, SCANNED_ROOTS } from './layerMap.js';

const root = new URL('../../../', import.meta.url).pathname;

// The layer checker sees direct imports; this follows them all the way, as esbuild bundles a Lambda, so an
// allowlisted core → adapter import that drags an SDK client in still fails here.
describe('the core', () => {
  const coreFiles = sourceFiles(root, SCANNED_ROOTS).filter((file) => {
    const folder = folderOf(LAYER_CONFIG, file);
    return folder !== undefined && LAYER_CONFIG.folders[folder] === 'core';
  });

  it('loads no @aws-sdk module at run time, from any of its files', { timeout: 60_000 }, async () => {
    const result = await build({
      absWorkingDir: root,
      entryPoints: coreFiles,
      bundle: true,
      platform: 'node',
      format: 'esm',
      outdir: 'dist-test/core',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);

    expect(coreFiles).toContain('lib/core/reconcile/plan.ts');
    expect(inputs).toContain('lib/core/inventory/s3Inventory.ts');
    const sdkPackages = new Set(
      inputs.flatMap((path) => /node_modules\/(@aws-sdk\/[^/]+)/.exec(path)?.[1] ?? []),
    );
    expect([...sdkPackages]).toEqual([]);
  });
});
