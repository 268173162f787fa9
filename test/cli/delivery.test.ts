import { DeleteBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, unique } from './cliHarness.js';

let world: CliWorld;
const healthy = unique('dlv-ok');
const refused = unique('dlv-refused');
const healthyDest = unique('dlv-dest-a');
const refusedDest = unique('dlv-dest-b');
const HOUR = 3_600_000;
let t0: number;

function configuration(destination: string): InventoryConfiguration {
  return makeConfiguration({
    Id: 'daily-csv',
    Destination: {
      S3BucketDestination: { Bucket: `arn:aws:s3:::${destination}`, Format: 'CSV', Prefix: 'inv' },
    },
  });
}

function desiredFile(refusedMode: 'enforce' | 'detect'): string {
  return [
    'version: 1',
    'buckets:',
    `  ${healthy}:`,
    `    inventories: ${JSON.stringify([configuration(healthyDest)])}`,
    `  ${refused}:`,
    `    mode: ${refusedMode}`,
    `    inventories: ${JSON.stringify([configuration(refusedDest)])}`,
    '',
  ].join('\n');
}

async function deliver(now: Date) {
  const response = await fetch(`${world.local.endpoint}/_local/deliver`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ now: now.toISOString(), buckets: [healthy, refused] }),
  });
  return (await response.json()) as {
    delivered: { bucket: string; key: string }[];
    refused: { bucket: string }[];
  };
}

async function check(hoursAfter: number, extra: string[] = []) {
  const now = new Date(t0 + hoursAfter * HOUR).toISOString();
  const run = await world.run([
    'delivery',
    '--json',
    '--now',
    now,
    '--bucket',
    healthy,
    '--bucket',
    refused,
    ...extra,
  ]);
  const lines = run.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  return { ...run, lines };
}

beforeAll(async () => {
  world = await cliWorld();
  await world.createBuckets(healthy, refused, healthyDest, refusedDest);
  // Both converge (configuration and destination grant); then `refused` turns to detect mode and its
  // destination's policy is deleted by hand: nothing repairs it, so S3 refuses its reports.
  expect((await world.run(['apply', '-f', await world.file('a.yaml', desiredFile('enforce'))])).code).toBe(0);
  expect((await world.run(['reconcile', '--bucket', healthy, '--bucket', refused])).code).toBe(0);
  expect((await world.run(['apply', '-f', await world.file('b.yaml', desiredFile('detect'))])).code).toBe(0);
  await world.s3.send(new DeleteBucketPolicyCommand({ Bucket: refusedDest }));
  t0 = Date.now();
  const delivered = await deliver(new Date(t0));
  expect(delivered.delivered.map((entry) => entry.bucket)).toEqual([healthy]);
  expect(delivered.refused.map((entry) => entry.bucket)).toEqual([refused]);
}, 120_000);
afterAll(() => world?.close());

describe('s3ir delivery', () => {
  it('is ok for a delivered report and pending for a new configuration without one (exit 0)', async () => {
    const run = await check(1);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const folder = new Date(Math.floor(t0 / 60_000) * 60_000).toISOString();
    expect(run.lines).toEqual([
      { version: 1, bucket: healthy, id: 'daily-csv', status: 'ok', lastDelivery: folder },
      {
        version: 1,
        bucket: refused,
        id: 'daily-csv',
        status: 'pending',
        reason: expect.stringContaining('the first one can take 48 h'),
      },
    ]);
  }, 60_000);

  it('after the grace period: late for an old report, missing with the destination policy named as the cause (exit 2)', async () => {
    const run = await check(49);
    expect(run.code).toBe(2);
    expect(run.lines[0]).toMatchObject({ bucket: healthy, status: 'late' });
    expect(run.lines[0].reason).toContain('is 2 days old; Daily reports arrive every 24 h');
    expect(run.lines[1]).toMatchObject({ bucket: refused, status: 'missing' });
    expect(run.lines[1].reason).toContain(
      `likely cause: the destination bucket ${refusedDest} policy does not allow delivery from ${refused}`,
    );
  }, 60_000);

  it('is invalid when manifest.checksum was overwritten, and prints a table with a summary', async () => {
    const { delivered } = await deliver(new Date(t0 + 2 * HOUR));
    const manifestKey = delivered.find((entry) => entry.bucket === healthy)!.key;
    await world.s3.send(
      new PutObjectCommand({
        Bucket: healthyDest,
        Key: manifestKey.replace(/manifest\.json$/, 'manifest.checksum'),
        Body: '00000000000000000000000000000000',
      }),
    );
    const run = await check(3);
    expect(run.code).toBe(2);
    expect(run.lines[0]).toMatchObject({ bucket: healthy, status: 'invalid' });
    expect(run.lines[0].reason).toMatch(
      /manifest\.checksum is "0{32}", but manifest\.json's MD5 is [0-9a-f]{32}/,
    );
    const text = await world.run([
      'delivery',
      '--now',
      new Date(t0 + 3 * HOUR).toISOString(),
      '--bucket',
      healthy,
      '--bucket',
      refused,
    ]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`invalid  ${healthy}/daily-csv`);
    expect(text.stdout).toMatch(/\n2 configurations: 1 pending, 1 invalid\.\n$/);
  }, 60_000);

  it('rejects a bad --now naming the flag (exit 64, a usage error)', async () => {
    const run = await world.run(['delivery', '--now', 'yesterday-ish']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('--now: expected an ISO 8601 time');
  });
});
