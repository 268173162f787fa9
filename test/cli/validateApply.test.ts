import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, desiredYaml, unique } from './cliHarness.js';

let world: CliWorld;
beforeAll(async () => {
  world = await cliWorld();
});
afterAll(() => world?.close());

const WRITES = ['dynamodb.PutItem', 'dynamodb.BatchWriteItem', 'dynamodb.DeleteItem', 'dynamodb.UpdateItem'];
const writes = (calls: Record<string, number>) => WRITES.reduce((sum, name) => sum + (calls[name] ?? 0), 0);
const daily = makeConfiguration({ Id: 'daily-csv' });
const weekly = makeConfiguration({ Id: 'weekly', Schedule: { Frequency: 'Weekly' } });

describe('s3ir validate', () => {
  it('exits 0 with a one-line summary for a valid file', async () => {
    const path = await world.file('ok.yaml', desiredYaml({ 'cli-valid': [daily, weekly] }));
    const run = await world.run(['validate', '-f', path]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`${path}: valid (1 bucket, 2 inventory configurations, 0 templates)\n`);
  });

  it('exits 1 and prints every error as file:line:col path: reason', async () => {
    const text = [
      'version: 1',
      'buckets:',
      '  cli-invalid:',
      '    inventories:',
      '      - Id: daily',
      '        IsEnabled: true',
      '        IncludedObjectVersions: Current',
      '        Schedule: { Frequency: Hourly }',
      '        Destination: { S3BucketDestination: { Bucket: "arn:aws:s3:::d", Format: CSV } }',
      '',
    ].join('\n');
    const path = await world.file('bad.yaml', text);
    const run = await world.run(['validate', '-f', path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([
      `${path}:8:21 buckets.cli-invalid.inventories[0].Schedule.Frequency: expected Daily | Weekly, got "Hourly"`,
      `${path}:9:47 buckets.cli-invalid.inventories[0].Destination.S3BucketDestination.Bucket: expected a bucket name of 3 to 63 characters, got "d" (1)`,
      `${path}: 2 errors`,
      '',
    ]);
  });

  it('names a missing file and a missing -f without a stack, and has --help', async () => {
    const missing = await world.run(['validate', '-f', '/nonexistent/x.yaml']);
    expect(missing).toMatchObject({
      code: 1,
      stderr: 's3ir validate: cannot read /nonexistent/x.yaml: no such file\n',
    });
    const noFile = await world.run(['validate']);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain('-f FILE is required');
    expect(noFile.stderr).not.toContain('    at ');
    const help = await world.run(['validate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: s3ir validate -f FILE\n/);
  });
});

describe('s3ir apply', () => {
  it('writes the file, then re-applying it writes nothing', async () => {
    const bucket = unique('cli-apply');
    const path = await world.file('apply.yaml', desiredYaml({ [bucket]: [daily, weekly] }));
    const first = await world.run(['apply', '-f', path]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(
      `+ ${bucket} (settings)\n+ ${bucket}/daily-csv\n+ ${bucket}/weekly\nApplied: 3 added, 0 changed, 0 removed, 0 unchanged.\n`,
    );
    const items = (await world.items(world.tables.desired)).filter((item) => item.bucket === bucket);
    expect(items.map((item) => item.id)).toEqual(['#bucket', 'daily-csv', 'weekly']);
    expect(items[1]).toMatchObject({
      configuration: daily,
      source: `file:${path}`,
      appliedBy: 'arn:aws:sts::123456789012:user/moto',
      appliedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });

    // Other files may write at the same time: one of three re-applies must show no write at all.
    let delta = -1;
    for (let attempt = 0; attempt < 3 && delta !== 0; attempt++) {
      const before = writes(await world.calls());
      const again = await world.run(['apply', '-f', path]);
      expect(again).toMatchObject({
        code: 0,
        stdout: 'No changes: the table already holds this desired state (3 items).\n',
      });
      delta = writes(await world.calls()) - before;
    }
    expect(delta).toBe(0);
    expect((await world.items(world.tables.desired)).filter((item) => item.bucket === bucket)).toEqual(items);
  });

  it('writes only what changed and removes what the bucket entry no longer declares', async () => {
    const bucket = unique('cli-change');
    const path = await world.file('change.yaml', desiredYaml({ [bucket]: [daily, weekly] }));
    await world.run(['apply', '-f', path]);
    const changed = makeConfiguration({ Id: 'daily-csv', OptionalFields: ['Size'] });
    await world.file('change.yaml', desiredYaml({ [bucket]: [changed] }));
    const run = await world.run(['apply', '-f', path]);
    expect(run.stdout).toBe(
      `~ ${bucket}/daily-csv\n- ${bucket}/weekly\nApplied: 0 added, 1 changed, 1 removed, 1 unchanged.\n`,
    );
    const items = (await world.items(world.tables.desired)).filter((item) => item.bucket === bucket);
    expect(items.map((item) => [item.id, item.configuration])).toEqual([
      ['#bucket', undefined],
      ['daily-csv', changed],
    ]);
  });

  it('writes nothing when any part of the file is invalid, and prints every error', async () => {
    const bucket = unique('cli-bad');
    const bad = makeConfiguration({ Id: 'bad', Schedule: { Frequency: 'Hourly' as 'Daily' } });
    const path = await world.file('invalid.yaml', desiredYaml({ [bucket]: [daily, bad] }));
    const run = await world.run(['apply', '-f', path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      `buckets.${bucket}.inventories[1].Schedule.Frequency: expected Daily | Weekly, got "Hourly"`,
    );
    expect(run.stderr).toContain('nothing was written');
    expect((await world.items(world.tables.desired)).filter((item) => item.bucket === bucket)).toEqual([]);
  });

  it('keeps other buckets, unless --prune-desired', async () => {
    const [a, b] = [unique('cli-keep'), unique('cli-other')];
    await world.run(['apply', '-f', await world.file('a.yaml', desiredYaml({ [a]: [daily] }))]);
    const pathB = await world.file('b.yaml', desiredYaml({ [b]: [weekly] }));
    await world.run(['apply', '-f', pathB]);
    const buckets = async () => new Set((await world.items(world.tables.desired)).map((item) => item.bucket));
    expect([...(await buckets())]).toEqual(expect.arrayContaining([a, b]));

    const pruned = await world.run(['apply', '-f', pathB, '--prune-desired']);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(`- ${a} (settings)\n- ${a}/daily-csv\n`);
    expect(pruned.stdout).not.toContain(`- ${b}`);
    expect([...(await buckets())]).toEqual([b]);
  });
});
