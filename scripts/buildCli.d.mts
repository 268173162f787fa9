import type { BuildOptions } from 'esbuild';

/** The esbuild options of the CLI bundle (dist/cli). */
export const CLI_BUNDLE_OPTIONS: BuildOptions;
/** Whether dist/cli is older than a source it was built from; undefined when there is no bundle. */
export function cliBundleStale(): boolean | undefined;
/** Builds dist/cli unless it is fresh (or always with `force`); resolves true when it built. */
export function buildCli(options?: { force?: boolean }): Promise<boolean>;
