import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../scripts/buildCli.mjs';

const repoRoot = new URL('../../', import.meta.url).pathname;

/** The shell lines of the README's "The local AWS" block, comments cut. */
async function readmeLocalAwsLines(): Promise<string[]> {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The local AWS\n'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md: no sh block under "## The local AWS"');
  return block
    .trimEnd()
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, ''));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A folder where `npx s3ir` finds this package as an installed dependency (node_modules/.bin/s3ir). */
async function freshFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 's3ir-readme-'));
  await mkdir(join(dir, 'node_modules', '.bin'), { recursive: true });
  await symlink(repoRoot, join(dir, 'node_modules', 's3-inventory-reconciler'));
  await symlink('../s3-inventory-reconciler/bin/s3ir.mjs', join(dir, 'node_modules', '.bin', 's3ir'));
  return dir;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

let started: ChildProcess | undefined;
afterAll(() => {
  try {
    if (started?.pid !== undefined) process.kill(-started.pid, 'SIGKILL');
  } catch {
    // Already gone: the test stopped it.
  }
});

describe("the README's local AWS lines, verbatim through npx in a fresh folder", () => {
  it('start the local AWS, write the env file (never loading a stale one), answer the AWS CLI, and stop on SIGINT', {
    timeout: 180_000,
  }, async () => {
    await buildCli();
    const [startLine, awsLine] = await readmeLocalAwsLines();
    expect(startLine).toBe('npx s3ir local start --port 4566 --write-env .env.local');
    expect(awsLine).toMatch(/aws --endpoint-url http:\/\/127\.0\.0\.1:4566 s3api list-buckets$/);
    // Another local AWS may hold 4566 on this machine: the same lines on a free port.
    const port = String(await freePort());
    const dir = await freshFolder();
    // A file left from an earlier run: Node's own --env-file would load it; --write-env must replace it.
    await writeFile(join(dir, '.env.local'), 'AWS_ENDPOINT_URL=http://stale.invalid:1\nS3IR_STALE=1\n');
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };

    let output = '';
    started = spawn('sh', ['-c', startLine!.replaceAll('4566', port)], { cwd: dir, env, detached: true });
    started.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => started!.once('exit', (code) => resolve(code)));
    const envFile = join(dir, '.env.local');
    for (let waited = 0; !output.includes('Press Ctrl+C to stop.'); waited += 200) {
      if (started.exitCode !== null || waited > 150_000)
        throw new Error(`local start did not get ready:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const written = await readFile(envFile, 'utf8');
    expect(written).toContain(`AWS_ENDPOINT_URL=http://127.0.0.1:${port}\n`);
    expect(written).not.toContain('stale');

    const listed = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('sh', ['-c', awsLine!.replaceAll('4566', port)], { cwd: dir, env }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toHaveProperty('Buckets');

    // Ctrl-C: the terminal signals the whole foreground group (sh, npx, s3ir); sh and npx die of it.
    process.kill(-started.pid!, 'SIGINT');
    await exited;
    for (
      let waited = 0;
      (await exists(envFile)) || !output.includes('Stopping the local AWS');
      waited += 200
    ) {
      if (waited > 60_000) throw new Error(`local start did not stop:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(output).not.toMatch(/failed|Error/);
  });
});
