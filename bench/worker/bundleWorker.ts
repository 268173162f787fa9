import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOutput, FUNCTION_BUNDLE_OPTIONS } from '../../scripts/functionBundles.mjs';

/** The worker built as one file, and how to remove it. */
export interface WorkerBundle {
  file: string;
  remove(): Promise<void>;
}

/**
 * bench/worker/worker.ts and the functions it loads, bundled with the options the Lambdas are bundled
 * with (scripts/functionBundles.mjs), so the worker runs the code a sandbox runs under plain `node`: no
 * TypeScript loader, whose hooks thread and source maps would count in the worker's RSS and CPU though
 * no Lambda has them.
 */
export async function bundleWorker(): Promise<WorkerBundle> {
  const dir = await mkdtemp(join(tmpdir(), 's3ir-bench-worker-'));
  const file = join(dir, 'index.mjs');
  try {
    await build({
      ...FUNCTION_BUNDLE_OPTIONS,
      ...bundleOutput(fileURLToPath(new URL('./worker.ts', import.meta.url)), dir),
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}
