import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder whose sitecustomize.py Python loads at start: moto's SQS without its O(queue length) costs. */
const PATCH_DIR = fileURLToPath(new URL('./moto/', import.meta.url));

/**
 * Runs `start` (which spawns moto_server) with bench/moto on PYTHONPATH, so that moto loads
 * bench/moto/sitecustomize.py; the environment is restored once `start` settles, so nothing else
 * the bench starts sees it. Resolves with what the patch reported (`applied to moto 5.2.1`, or why it
 * was skipped).
 */
export async function withMotoPatch<T>(start: () => Promise<T>): Promise<{ value: T; motoPatch: string }> {
  const dir = await mkdtemp(join(tmpdir(), 's3ir-bench-moto-'));
  const report = join(dir, 'outcome.txt');
  const saved = {
    PYTHONPATH: process.env.PYTHONPATH,
    S3IR_BENCH_MOTO_PATCH: process.env.S3IR_BENCH_MOTO_PATCH,
    PYTHONDONTWRITEBYTECODE: process.env.PYTHONDONTWRITEBYTECODE,
  };
  process.env.PYTHONPATH = [PATCH_DIR, saved.PYTHONPATH].filter(Boolean).join(delimiter);
  process.env.S3IR_BENCH_MOTO_PATCH = report;
  // No __pycache__ left in bench/moto.
  process.env.PYTHONDONTWRITEBYTECODE = '1';
  try {
    const value = await start();
    const motoPatch = await readFile(report, 'utf8').catch(
      () => 'not loaded (moto did not run sitecustomize.py)',
    );
    return { value, motoPatch };
  } finally {
    for (const [name, previous] of Object.entries(saved)) {
      if (previous === undefined) delete process.env[name];
      else process.env[name] = previous;
    }
    await rm(dir, { recursive: true, force: true });
  }
}
