import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditSink } from '../../lib/adapters/aws/DynamoAuditSink.js';
import type { AuditEvent } from '../../lib/core/audit/types.js';
import { mapLimit } from '../../lib/core/concurrency/mapLimit.js';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, desiredYaml, unique } from './cliHarness.js';

// A large estate: enough that plan --json and audit --json are several times a pipe's 64 KiB.
const BUCKETS = 300;
const EVENT_BUCKETS = 100;
const EVENTS_PER_BUCKET = 20;

let world: CliWorld;
const dest = unique('cli-big-dest');
const buckets = Array.from({ length: BUCKETS }, (_, index) => `${unique('cli-big')}-${index}`);

beforeAll(async () => {
  world = await cliWorld();
  await world.createBuckets(dest);
  await mapLimit(buckets, 8, (bucket) => world.createBuckets(bucket));
  const configuration = makeConfiguration({
    Id: 'daily-csv',
    Destination: {
      S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV', Prefix: 'inventory' },
    },
  });
  const file = await world.file(
    'big.yaml',
    desiredYaml(Object.fromEntries(buckets.map((b) => [b, [configuration]]))),
  );
  expect((await world.run(['apply', '-f', file])).code).toBe(0);

  const sink = new DynamoAuditSink({ client: world.documents, tableName: world.tables.audit });
  // Each bucket's events form one hash chain (written in order); the chains are written side by side.
  await mapLimit(buckets.slice(0, EVENT_BUCKETS), 8, async (bucket, b) => {
    for (let n = 0; n < EVENTS_PER_BUCKET; n++) {
      const event: AuditEvent = {
        eventId: `big-${b}-${n}`,
        time: new Date(Date.UTC(2026, 0, 1, 0, b, n)).toISOString(),
        runId: 'run-big',
        bucket,
        configId: 'daily-csv',
        action: 'drift-detected',
        actor: 'cli-tester',
        message: `drift ${n} of ${bucket}: ${'x'.repeat(200)}`,
      };
      await sink.record(event);
    }
  });
}, 600_000);
afterAll(() => world?.close());

/** Runs s3ir with its stdout read by a slow consumer: a chunk, then a pause, so the pipe stays full. */
function runThroughSlowReader(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--', 'bin/s3ir.mjs', ...args], {
      cwd: new URL('../../', import.meta.url).pathname,
      env: world.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
    child.once('error', reject);
    (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of child.stdout) {
        chunks.push(chunk as Buffer);
        await new Promise((pause) => setTimeout(pause, 25));
      }
      resolve({ code: await exited, stdout: Buffer.concat(chunks).toString('utf8'), stderr });
    })().catch(reject);
  });
}

describe('output into a slow pipe is complete', () => {
  it(`plan --json of ${BUCKETS} buckets parses whole, every bucket in it`, { timeout: 300_000 }, async () => {
    const run = await runThroughSlowReader(['plan', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    expect(run.stdout.length).toBeGreaterThan(4 * 65_536);
    const body = JSON.parse(run.stdout);
    expect(body.version).toBe(1);
    expect(body.plans.map((plan: { bucket: string }) => plan.bucket).sort()).toEqual([...buckets].sort());
  });

  it(`audit --json of ${EVENT_BUCKETS * EVENTS_PER_BUCKET} events gives every line whole`, {
    timeout: 300_000,
  }, async () => {
    const run = await runThroughSlowReader(['audit', '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.length).toBeGreaterThan(4 * 65_536);
    expect(run.stdout.endsWith('\n')).toBe(true);
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(EVENT_BUCKETS * EVENTS_PER_BUCKET);
    expect(new Set(lines.map((line) => line.eventId)).size).toBe(EVENT_BUCKETS * EVENTS_PER_BUCKET);
    for (const line of lines) expect(line.version).toBe(1);
  });
});
