import type { BuildOptions } from 'esbuild';

/** The esbuild options that decide what a bundle holds and how it loads (as serverless.yml's esbuild). */
export const FUNCTION_BUNDLE_OPTIONS: BuildOptions;
/** Where a function's bundle goes: `<outdir>/index.mjs` and the chunks it loads on first use beside it. */
export function bundleOutput(
  entry: string,
  outdir: string,
): Pick<BuildOptions, 'entryPoints' | 'outdir' | 'outExtension'>;
/** What a function gets at init when measured: the settings it requires; nothing is called. */
export const INIT_ENV: Record<string, string>;
