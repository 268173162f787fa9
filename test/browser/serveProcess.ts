import { type ChildProcess, spawn } from 'node:child_process';

const repoRoot = new URL('../../', import.meta.url).pathname;

/** A running `s3ir serve`: the viewer's URL, what it printed, and how to stop it. */
export interface ServeProcess {
  url: string;
  output(): { stdout: string; stderr: string };
  /** SIGTERM, as Ctrl-C or a process manager would send; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `s3ir serve --port 0 --env-file PATH` as a subprocess with nothing but PATH and HOME from this
 * process (everything else comes from the env file), and resolves once it prints the viewer's URL.
 */
export async function startServe(envFile: string, timeoutMs = 90_000): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    ['--', 'bin/s3ir.mjs', 'serve', '--port', '0', '--env-file', envFile],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const fail = (why: string) =>
      settle(() => {
        child.kill('SIGKILL');
        reject(new Error(`s3ir serve: ${why}\nstdout: ${stdout}\nstderr: ${stderr}`));
      });
    const timer = setTimeout(() => fail(`no URL within ${timeoutMs} ms`), timeoutMs);
    child.stdout.on('data', () => {
      const found = /^Audit viewer: (http:\/\/\S+)$/m.exec(stdout);
      if (found) settle(() => resolve(found[1]!));
    });
    void exited.then((code) => fail(`exited with ${code} before printing its URL`));
  });
  return {
    url,
    output: () => ({ stdout, stderr }),
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  return exited;
}
