import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Template } from './template.js';

const run = promisify(execFile);

export const repoRoot = new URL('../../../', import.meta.url).pathname;
export const oslsBin = join(repoRoot, 'node_modules/osls/bin/serverless.js');

/** Top-level entries of the repository that a package never needs (big, generated, or tests). */
const NOT_COPIED = new Set([
  'node_modules',
  '.git',
  '.cache',
  '.serverless',
  '.esbuild',
  'coverage',
  'dist',
  'test-results',
  'test',
  'bench',
]);

export interface PackagedService {
  template: Template;
  /** The folder holding the artifacts (`<name>.zip`) and the templates. */
  outputDir: string;
  cleanup(): Promise<void>;
}

/**
 * Runs `osls package` once on a copy of the repository in a temp folder, so the run neither writes into
 * the working tree nor races a concurrent `npm run package`. No credentials and no network are needed:
 * the environment holds only dummy keys, and no S3IR_* variable leaks into the names. `params` are
 * passed as `--param=name=value`, as a deploy would.
 */
export async function packageService(
  stage = 'ci',
  params: Readonly<Record<string, string>> = {},
): Promise<PackagedService> {
  const dir = await mkdtemp(join(tmpdir(), 's3ir-package-'));
  await cp(repoRoot, dir, {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(source.slice(repoRoot.length).split('/')[0] ?? ''),
  });
  await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
  };
  try {
    const paramArgs = Object.entries(params).map(([name, value]) => `--param=${name}=${value}`);
    await run(process.execPath, [oslsBin, 'package', '--stage', stage, ...paramArgs], {
      cwd: dir,
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    await rm(dir, { recursive: true, force: true });
    throw new Error(`osls package failed:\n${stdout}\n${stderr}`, { cause: error });
  }
  const outputDir = join(dir, '.serverless');
  const template = JSON.parse(
    await readFile(join(outputDir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
  return { template, outputDir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** True when osls is installed (the test is skipped otherwise, saying so). */
export const oslsInstalled = existsSync(oslsBin);
