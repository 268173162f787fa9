import { fileURLToPath } from 'node:url';

/**
 * The package's root folder. This file is two folders below it, and so is every file of the bundle in
 * dist/cli (scripts/buildCli.mjs), where this module is inlined.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
