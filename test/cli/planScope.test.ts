import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, desiredYaml, unique } from './cliHarness.js';

let world: CliWorld;
const dest = unique('cli-scope-dest');
const managed = unique('cli-scope-managed');
const stranger = unique('cli-scope-stranger');
const toDest = (Id: string) =>
  makeConfiguration({
    Id,
    Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV', Prefix: Id } },
  });

beforeAll(async () => {
  world = await cliWorld();
  await world.createBuckets(dest, managed, stranger);
  await world.putInventory(stranger, toDest('weekly-csv'));
  const applied = await world.run([
    'apply',
    '-f',
    await world.file('scope.yaml', desiredYaml({ [managed]: [toDest('daily-csv')] })),
  ]);
  expect(applied.code).toBe(0);
  expect((await world.run(['reconcile', '--bucket', managed])).code).toBe(0);
});
afterAll(() => world?.close());

describe('s3ir plan of a bucket nothing declares', () => {
  it('reports it as not managed with its actual configurations, and never says every bucket matches (exit 2)', async () => {
    const run = await world.run(['plan', '--bucket', managed, '--bucket', stranger]);
    expect(run).toMatchObject({ code: 2, stderr: '' });
    expect(run.stdout).toContain(`bucket "${stranger}": not managed\n`);
    expect(run.stdout).toContain(`    weekly-csv: Daily CSV to arn:aws:s3:::${dest}/weekly-csv, enabled\n`);
    expect(run.stdout).toContain(`s3ir import --bucket ${stranger} -o ${stranger}.yaml`);
    expect(run.stdout).toMatch(
      /1 bucket not managed \(not compared\); 1 bucket planned\. No changes in the 1 planned\.\n$/,
    );
    expect(run.stdout).not.toContain('Every bucket matches');

    const json = await world.run(['plan', '--json', '--bucket', stranger]);
    expect(json.code).toBe(2);
    const body = JSON.parse(json.stdout);
    expect(body).toMatchObject({ version: 1, plans: [], errors: [] });
    expect(body.notManaged).toEqual([
      { bucket: stranger, configurations: [expect.objectContaining({ Id: 'weekly-csv' })] },
    ]);
  });

  it('exits 0 only when every bucket asked for is managed and in sync', async () => {
    const run = await world.run(['plan', '--bucket', managed]);
    expect(run).toEqual({
      code: 0,
      stdout: 'No changes. Every bucket matches its desired state.\n',
      stderr: '',
    });
  });
});

describe('s3ir reconcile of many buckets', () => {
  it('works on them concurrently and prints them in the order they were named', async () => {
    const buckets = Array.from({ length: 12 }, (_, index) =>
      unique(`cli-order-${String(index).padStart(2, '0')}`),
    );
    await world.createBuckets(...buckets);
    const file = await world.file(
      'order.yaml',
      desiredYaml(Object.fromEntries(buckets.map((bucket) => [bucket, [toDest('daily-csv')]]))),
    );
    expect((await world.run(['apply', '-f', file])).code).toBe(0);
    const named = [...buckets].reverse();
    const run = await world.run(['reconcile', '--json', ...named.flatMap((bucket) => ['--bucket', bucket])]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const reports = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(reports.map((report) => report.bucket)).toEqual(named);
    for (const report of reports) expect(report).toMatchObject({ version: 1, status: 'converged' });
  });
});
