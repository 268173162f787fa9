import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { packageBytes } from '../../../../bench/coldStart.js';
import { FUNCTION_BUNDLE_OPTIONS } from '../../../../scripts/functionBundles.mjs';

const root = new URL('../../../../', import.meta.url).pathname;
const functions = readdirSync(join(root, 'functions')).filter((file) => file.endsWith('.ts'));
/** zod/mini's core plus the checks the schemas use is about 22 KiB; all of zod is 445. */
const MAX_ZOD_KIB = 40;

/** The zod modules in a function's bundle, and their bytes, bundled as `npm run build` bundles it. */
async function zodInBundle(file: string): Promise<{ modules: string[]; kib: number }> {
  const outfile = join('dist-test', file.replace(/\.ts$/, '.mjs'));
  const result = await build({
    ...FUNCTION_BUNDLE_OPTIONS,
    // One output file holds every module, also those code splitting would put in a chunk.
    splitting: false,
    absWorkingDir: root,
    entryPoints: [join('functions', file)],
    outfile,
    write: false,
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.outputs[outfile]?.inputs ?? {});
  return {
    modules: inputs.filter((path) => path.includes('node_modules/zod/')),
    kib: (packageBytes(result.metafile, outfile).zod ?? 0) / 1024,
  };
}

// The schemas are built at every cold start: a classic-zod import (or `import { z } from 'zod/mini'`, or a
// `z.core.X` at run time) puts all of zod back into every bundle and about 40 ms onto every init (issue #7).
describe('the Lambda bundles', () => {
  it.each(functions)(
    '%s holds only the zod/mini parts the schemas use',
    { timeout: 60_000 },
    async (file) => {
      const zod = await zodInBundle(file);

      expect(zod.modules.filter((path) => /zod\/v4\/(classic|locales)\//.test(path))).toEqual([]);
      expect(zod.kib).toBeLessThan(MAX_ZOD_KIB);
    },
  );
});
