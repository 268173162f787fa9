import type { BuildOptions } from 'esbuild';

/** The esbuild options that decide what a bundle holds and how it loads (as serverless.yml's esbuild). */
export const FUNCTION_BUNDLE_OPTIONS: BuildOptions;
/** Where a function's bundle goes: `<outdir>/<name>.mjs` (default `index`) and the chunks it loads on first use. */
export function bundleOutput(
  entry: string,
  outdir: string,
  name?: string,
): Pick<BuildOptions, 'entryPoints' | 'outdir' | 'outExtension'>;
/** What a function gets at init when measured: the settings it requires; nothing is called. */
export const INIT_ENV: Record<string, string>;
/** The output files (metafile paths) a function loads, at init or on first use; unreachable chunks left out. */
export function reachableOutputs(metafile: import('esbuild').Metafile, entry: string): string[];
