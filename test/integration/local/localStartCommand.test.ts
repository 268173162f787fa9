import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = new URL('../../../', import.meta.url).pathname;
const run = promisify(execFile);

async function waitForFile(path: string, timeoutMs: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited()) {
    if (
      await stat(path).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${path} did not appear`);
}

/** A webhook receiver on a free port: the event names it was sent. */
async function eventWebhook(): Promise<{ url: string; eventNames: string[]; close: () => void }> {
  const eventNames: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      eventNames.push(JSON.parse(Buffer.concat(chunks).toString('utf8')).detail.eventName);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, eventNames, close: () => server.close().closeAllConnections() };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A running `s3ir local start --port 0 --env-file …` child, once its env file is written. */
interface StartedCli {
  cli: ChildProcess;
  env: Record<string, string>;
  envFile: string;
  stdout: () => string;
  exitCode: Promise<number | null>;
  exited: () => boolean;
  /** Sends `Bucket`'s create and delete through the local AWS (DeleteBucket is a change event). */
  createAndDeleteBucket: (bucket: string) => Promise<void>;
}

/** Polls until a webhook got an event, at most 10 s. */
async function waitForEvents(webhook: { eventNames: string[] }): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (webhook.eventNames.length === 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('s3ir local start', () => {
  const dirs: string[] = [];
  const started: Array<Pick<StartedCli, 'cli' | 'exited'>> = [];
  afterAll(async () => {
    for (const { cli, exited } of started) if (!exited()) cli.kill('SIGKILL');
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function startCli(args: string[], env: NodeJS.ProcessEnv): Promise<StartedCli> {
    const dir = await mkdtemp(join(tmpdir(), 's3ir-local-start-'));
    dirs.push(dir);
    const envFile = join(dir, 'local.env');
    // `node --`: Node 20 itself reads an `--env-file` anywhere in argv, even after the script, unless `--` precedes it.
    const cli = spawn(
      process.execPath,
      ['--', 'bin/s3ir.mjs', 'local', 'start', '--port', '0', '--env-file', envFile, ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exitCode = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    let exited = false;
    void exitCode.then(() => (exited = true));
    const handle = { cli, envFile, exitCode, exited: () => exited, stdout: () => stdout };
    started.push(handle);
    await waitForFile(envFile, 120_000, () => exited);
    const localEnv = Object.fromEntries(
      (await readFile(envFile, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    ) as Record<string, string>;
    const createAndDeleteBucket = async (Bucket: string) => {
      const s3 = new S3Client({
        endpoint: localEnv.AWS_ENDPOINT_URL,
        region: localEnv.AWS_REGION,
        credentials: {
          accessKeyId: localEnv.AWS_ACCESS_KEY_ID!,
          secretAccessKey: localEnv.AWS_SECRET_ACCESS_KEY!,
        },
        forcePathStyle: true,
      });
      await s3.send(new CreateBucketCommand({ Bucket }));
      await s3.send(new DeleteBucketCommand({ Bucket }));
      s3.destroy();
    };
    return { ...handle, env: localEnv, createAndDeleteBucket };
  }

  it('writes the env file once ready, posts change events to S3IR_LOCAL_EVENT_WEBHOOK, stops every child on SIGTERM', {
    timeout: 180_000,
  }, async () => {
    const webhook = await eventWebhook();
    try {
      const { cli, env, envFile, stdout, exitCode, createAndDeleteBucket } = await startCli([], {
        S3IR_LOCAL_EVENT_WEBHOOK: webhook.url,
      });
      expect(Object.keys(env).sort()).toEqual([
        'AWS_ACCESS_KEY_ID',
        'AWS_ENDPOINT_URL',
        'AWS_REGION',
        'AWS_SECRET_ACCESS_KEY',
        'S3IR_ALERT_TOPIC_ARN',
        'S3IR_ALLOWED_ACCOUNTS',
        'S3IR_AUDIT_TABLE',
        'S3IR_DESIRED_TABLE',
        'S3IR_DIGEST_BUCKET',
        'S3IR_DIGEST_KEY_ID',
        'S3IR_DLQ_URL',
        'S3IR_QUEUE_URL',
        'S3IR_STATE_TABLE',
      ]);
      expect(env.S3IR_ALERT_TOPIC_ARN).toBe('arn:aws:sns:us-east-1:123456789012:s3ir-alerts');
      expect(env.S3IR_ALLOWED_ACCOUNTS).toBe('123456789012,222233334444');
      expect(env.S3IR_QUEUE_URL).toBe(`${env.AWS_ENDPOINT_URL}/123456789012/s3ir-reconcile`);
      expect(env.S3IR_DLQ_URL).toBe(`${env.AWS_ENDPOINT_URL}/123456789012/s3ir-reconcile-dlq`);
      const health = await fetch(`${env.AWS_ENDPOINT_URL}/_local/health`);
      expect(await health.json()).toEqual({ status: 'ready' });
      expect(stdout()).toContain(`aws --endpoint-url ${env.AWS_ENDPOINT_URL}`);

      await createAndDeleteBucket('webhook-check');
      await waitForEvents(webhook);
      expect(webhook.eventNames).toEqual(['DeleteBucket']);

      // The services it started (tsx's esbuild helper is a child too, and ends on its own).
      const { stdout: ps } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(cli.pid)]);
      const children = ps
        .split('\n')
        .filter((line) => /moto_server|DynamoDBLocal/.test(line))
        .map((line) => Number.parseInt(line.trim(), 10));
      expect(children).toHaveLength(2);

      cli.kill('SIGTERM');
      expect(await exitCode).toBe(0);
      expect(children.filter(alive)).toEqual([]);
      await expect(stat(envFile)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      webhook.close();
    }
  });

  it('posts change events to --event-webhook URL, which wins over S3IR_LOCAL_EVENT_WEBHOOK', {
    timeout: 180_000,
  }, async () => {
    const [flagged, fromEnv] = await Promise.all([eventWebhook(), eventWebhook()]);
    try {
      const { cli, stdout, exitCode, createAndDeleteBucket } = await startCli(
        ['--event-webhook', flagged.url],
        {
          S3IR_LOCAL_EVENT_WEBHOOK: fromEnv.url,
        },
      );
      expect(stdout()).toContain(`Change events are POSTed to ${flagged.url}`);
      await createAndDeleteBucket('webhook-flag-check');
      await waitForEvents(flagged);
      expect(flagged.eventNames).toEqual(['DeleteBucket']);
      expect(fromEnv.eventNames).toEqual([]);
      cli.kill('SIGTERM');
      expect(await exitCode).toBe(0);
    } finally {
      flagged.close();
      fromEnv.close();
    }
  });

  it('refuses an --event-webhook that is not an http(s) URL with exit 1 and the usage', {
    timeout: 60_000,
  }, async () => {
    const failure = await run(
      process.execPath,
      ['bin/s3ir.mjs', 'local', 'start', '--port', '0', '--event-webhook', 'not-a-url'],
      { cwd: repoRoot },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 64 }); // a usage error: EX_USAGE (issue 14)
    expect((failure as { stderr: string }).stderr).toContain('--event-webhook must be an http(s) URL');
    expect((failure as { stderr: string }).stderr).toContain('[--event-webhook URL]');
  });

  it('refuses a port in use with exit 1 before starting any backend', { timeout: 60_000 }, async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const started = Date.now();
      const failure = await run(
        process.execPath,
        ['bin/s3ir.mjs', 'local', 'start', '--port', String(port)],
        {
          cwd: repoRoot,
          env: { ...process.env, S3IR_LOCAL_LOG: 'debug' },
        },
      ).catch((error: { code: number; stderr: string }) => error);
      expect(failure).toMatchObject({ code: 1 });
      const { stderr } = failure as { stderr: string };
      expect(stderr).toContain(`port ${port} is in use`);
      // The port is bound before any child starts: no moto, no DynamoDB Local, and no waiting for them.
      expect(stderr).not.toMatch(/moto ready|DynamoDB Local ready/);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      taken.close();
    }
  });

  it('refuses a bad --port with exit 64 (usage error) and the usage', { timeout: 60_000 }, async () => {
    const failure = await run(process.execPath, ['bin/s3ir.mjs', 'local', 'start', '--port', 'abc'], {
      cwd: repoRoot,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 64 });
    expect((failure as { stderr: string }).stderr).toContain('Usage: s3ir local start');
  });
});
