import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteBucketInventoryConfigurationCommand,
  GetBucketInventoryConfigurationCommand,
  ListBucketInventoryConfigurationsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../infra/local/demo/constants.js';
import { freePort } from '../../../infra/local/process/freePort.js';
import { makeConfiguration } from '../../helpers/factories.js';

const repoRoot = new URL('../../../', import.meta.url).pathname;
/** The first cycle (seed 37 buckets, plan, one sweep) on a loaded 2-core machine. */
const READY_MS = 360_000;
/** A change noticed, queued and reconciled, on a loaded machine. */
const CONVERGED_MS = 120_000;

interface Running {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: () => boolean;
}

/** `npm start -- ARGS` as a newcomer types it (none of this process's AWS or s3ir settings), in its own group. */
function npmStart(args: string[]): Running {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('S3IR_')),
  );
  // Its own process group, so that SIGINT reaches every process of it, as Ctrl-C in a terminal does.
  const child = spawn('npm', ['start', '--', ...args], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  return { child, output: () => output, exit, exited: () => exited };
}

/** Polls `check` until it answers true, or fails naming `what` after `timeoutMs`. */
async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
}

/** Every process descending from `root` now, with its command line (from /proc). */
async function descendants(root: number): Promise<Map<number, string>> {
  const parents = new Map<number, number>();
  const commands = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const statText = await readFile(`/proc/${pid}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after the last ")" are fixed.
      const ppid = Number(statText.slice(statText.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(pid, ppid);
      commands.set(pid, (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim());
    } catch {
      // Gone while we looked.
    }
  }
  const found = new Map<number, string>();
  let frontier = [root];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const [pid, ppid] of parents) {
      if (frontier.includes(ppid) && !found.has(pid)) {
        found.set(pid, commands.get(pid) ?? '');
        next.push(pid);
      }
    }
    frontier = next;
  }
  return found;
}

/** Whether a process still runs: present in /proc and not a zombie waiting to be reaped. */
async function alive(pid: number): Promise<boolean> {
  try {
    const statText = await readFile(`/proc/${pid}/stat`, 'utf8');
    return statText.slice(statText.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function stillAlive(pids: Iterable<number>): Promise<number[]> {
  const all = [...pids];
  const states = await Promise.all(all.map(alive));
  return all.filter((_, index) => states[index]);
}

/** Whether something accepts TCP connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The audit events the service recorded for one configuration of a bucket, by action (every page). */
async function auditActions(bucket: string, configId: string): Promise<string[]> {
  const actions: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: env.S3IR_AUDIT_TABLE,
        FilterExpression: '#bucket = :bucket AND configId = :id',
        ExpressionAttributeNames: { '#bucket': 'bucket' },
        ExpressionAttributeValues: { ':bucket': bucket, ':id': configId },
        ExclusiveStartKey: start,
      }),
    );
    actions.push(...(page.Items ?? []).map((item) => String(item.action)));
    start = page.LastEvaluatedKey;
  } while (start);
  return actions;
}

let directory: string;
let envFile: string;
let port: number;
let running: Running;
let env: Record<string, string>;
let s3: S3Client;
let documents: DynamoDBDocumentClient;
/** The services it started (moto_server, DynamoDB Local), seen while it ran. */
let services: Map<number, string>;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 's3ir-running-'));
  envFile = join(directory, 'local.env');
  port = await freePort();
  // No scheduled sweep during the test: only the event-driven path and the stream can converge what it changes.
  running = npmStart(['--port', String(port), '--env-file', envFile, '--schedule', '3600']);
  await waitFor('the env file', READY_MS, async () => {
    if (running.exited()) throw new Error(`npm start exited early:\n${running.output()}`);
    return stat(envFile).then(
      () => true,
      () => false,
    );
  }).catch((error: Error) => {
    throw new Error(`${error.message}\n${running.output()}`);
  });
  env = Object.fromEntries(
    (await readFile(envFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2)),
  );
  const config = {
    endpoint: env.AWS_ENDPOINT_URL!,
    region: env.AWS_REGION!,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  };
  s3 = new S3Client({ ...config, forcePathStyle: true });
  documents = DynamoDBDocumentClient.from(new DynamoDBClient(config));
  services = new Map(
    [...(await descendants(running.child.pid!))].filter(([, command]) =>
      /moto_server|DynamoDBLocal/.test(command),
    ),
  );
}, READY_MS + 30_000);

afterAll(async () => {
  s3?.destroy();
  documents?.destroy();
  if (running && !running.exited()) process.kill(-running.child.pid!, 'SIGKILL');
  await rm(directory, { recursive: true, force: true });
});

describe('npm start (long-running, not --once)', () => {
  it('writes the env file on the port it was given, with the service running', async () => {
    expect(env.AWS_ENDPOINT_URL).toBe(`http://127.0.0.1:${port}`);
    expect(running.output()).toContain('Press Ctrl-C to stop.');
    expect(running.output()).toContain('the desired-state table stream');
    expect([...services.values()].filter((command) => /moto_server/.test(command))).toHaveLength(1);
    expect([...services.values()].filter((command) => /DynamoDBLocal/.test(command))).toHaveLength(1);
  });

  it('reverts a hand-made change within seconds (S3 change event -> s3Change -> SQS -> reconcile)', {
    timeout: CONVERGED_MS + 30_000,
  }, async () => {
    const Bucket = DEMO.changed;
    const declared = await s3.send(new GetBucketInventoryConfigurationCommand({ Bucket, Id: 'daily-csv' }));
    expect(declared.InventoryConfiguration?.Destination?.S3BucketDestination?.Format).toBe('CSV');
    expect(await auditActions(Bucket, 'daily-csv')).not.toContain('inventory-created');

    await s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket, Id: 'daily-csv' }));

    await waitFor(`${Bucket}/daily-csv put back`, CONVERGED_MS, async () => {
      const back = await s3.send(new GetBucketInventoryConfigurationCommand({ Bucket, Id: 'daily-csv' }));
      return back.InventoryConfiguration?.Destination?.S3BucketDestination?.Format === 'CSV';
    });
    // The service put it back (the first cycle only updated it): its audit record says so.
    expect(await auditActions(Bucket, 'daily-csv')).toContain('inventory-created');
  });

  it('applies a desired-state change (table stream -> desiredChange -> SQS -> reconcile)', {
    timeout: CONVERGED_MS + 30_000,
  }, async () => {
    const Bucket = DEMO.changed;
    const configuration = makeConfiguration({
      Id: 'stream-check',
      Destination: {
        S3BucketDestination: { Bucket: `arn:aws:s3:::${DEMO.destination}`, Format: 'CSV', Prefix: 'stream' },
      },
    });
    const ids = async () =>
      (
        (await s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket })))
          .InventoryConfigurationList ?? []
      )
        .map((entry) => entry.Id)
        .sort();
    expect(await ids()).not.toContain('stream-check');

    await documents.send(
      new PutCommand({
        TableName: env.S3IR_DESIRED_TABLE,
        Item: { bucket: Bucket, id: 'stream-check', configuration, source: 'running.test' },
      }),
    );

    await waitFor(`${Bucket}/stream-check created`, CONVERGED_MS, async () =>
      (await ids()).includes('stream-check'),
    );
    const created = await s3.send(new GetBucketInventoryConfigurationCommand({ Bucket, Id: 'stream-check' }));
    expect(created.InventoryConfiguration?.Destination?.S3BucketDestination?.Prefix).toBe('stream');
    expect(await auditActions(Bucket, 'stream-check')).toContain('inventory-created');
  });

  it('stops on SIGINT: exit code 0, the port closed, no moto_server or DynamoDB Local left', {
    timeout: 120_000,
  }, async () => {
    const pids = [...(await descendants(running.child.pid!)).keys()];
    expect(pids.length).toBeGreaterThan(services.size);

    // Ctrl-C: SIGINT to the whole process group (npm, tsx, node and the services it started).
    process.kill(-running.child.pid!, 'SIGINT');
    const exit = await running.exit;

    expect(exit, running.output()).toEqual({ code: 0, signal: null });
    expect(running.output()).toContain('Stopping…');
    expect(running.output()).toContain('Stopped: the service and the local AWS are down.');
    expect(running.output()).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(await listening(port)).toBe(false);
    expect(await stillAlive(services.keys())).toEqual([]);
    // Everything else it started (tsx's esbuild helper, orphan reapers) ends with it too.
    await waitFor(
      'every process of npm start gone',
      30_000,
      async () => (await stillAlive(pids)).length === 0,
    );
    await expect(stat(envFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
