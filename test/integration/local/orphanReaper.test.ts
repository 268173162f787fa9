import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const fixture = new URL('./fixtures/spawnSleeper.ts', import.meta.url).pathname;

/** Running means: the pid exists and is not a zombie waiting for a parent that no longer reaps it. */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

describe('ChildService', () => {
  it('leaves no orphan when its parent is killed with SIGKILL (no handler runs)', {
    timeout: 60_000,
  }, async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', fixture], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const childPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (chunk: Buffer) => resolve(Number.parseInt(chunk.toString(), 10)));
      parent.once('exit', () => reject(new Error('the fixture exited early')));
    });
    expect(await running(childPid)).toBe(true);

    parent.kill('SIGKILL');

    const deadline = Date.now() + 20_000;
    while ((await running(childPid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await running(childPid)).toBe(false);
  });
});
