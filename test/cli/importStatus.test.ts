import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, desiredYaml, unique } from './cliHarness.js';

let world: CliWorld;
beforeAll(async () => {
  world = await cliWorld();
});
afterAll(() => world?.close());

const toDest = (dest: string, Id: string) =>
  makeConfiguration({
    Id,
    Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV', Prefix: Id } },
  });

describe('s3ir import', () => {
  it('writes the actual configurations as a file that validates and applies with no configuration change', async () => {
    const [bucket, dest] = [unique('cli-imp'), unique('cli-imp-dest')];
    await world.createBuckets(bucket, dest);
    const parquet = {
      ...toDest(dest, 'weekly-parquet'),
      Schedule: { Frequency: 'Weekly' as const },
      Filter: { Prefix: 'logs/' },
    };
    await world.putInventory(bucket, toDest(dest, 'daily-csv'));
    await world.putInventory(bucket, parquet);

    const printed = await world.run(['import', '--bucket', bucket]);
    expect(printed).toMatchObject({ code: 0, stderr: '' });
    expect(printed.stdout).toMatch(/^# yaml-language-server: \$schema=schema\/desired-state\.schema\.json\n/);
    expect(printed.stdout).toContain(
      `buckets:\n  ${bucket}:\n    region: us-east-1\n    inventories:\n      - Id: daily-csv\n`,
    );

    const path = `${world.dir}/imported.yaml`;
    const written = await world.run(['import', '--bucket', bucket, '-o', path]);
    expect(written).toMatchObject({
      code: 0,
      stdout: '',
      stderr: `Wrote 2 configuration(s) of ${bucket} to ${path}\n`,
    });
    expect((await world.run(['validate', '-f', path])).code).toBe(0);
    const applied = await world.run(['apply', '-f', path]);
    expect(applied.stdout).toBe(
      `+ ${bucket} (settings)\n+ ${bucket}/daily-csv\n+ ${bucket}/weekly-parquet\nApplied: 3 added, 0 changed, 0 removed, 0 unchanged.\n`,
    );
    const plan = JSON.parse((await world.run(['plan', '--bucket', bucket, '--json'])).stdout);
    // Only the destination grant is missing: the configurations themselves match.
    expect(plan.plans[0].drift).toEqual([]);
    expect(plan.plans[0].actions.map((action: { kind: string }) => action.kind)).toEqual([
      'grant-destination',
    ]);
  });

  it('needs --bucket', async () => {
    const run = await world.run(['import']);
    expect(run.code).toBe(64);
    expect(run.stderr).toBe(
      's3ir import: --bucket B is required.\nUsage: s3ir import --bucket B [-o FILE]\n',
    );
  });
});

describe('s3ir status', () => {
  it('shows every declared bucket as in-sync, drifted, action-required or failed, and exits 0', async () => {
    const status = await cliWorld(world.local); // tables of its own: exactly these buckets
    try {
      const [synced, drifted, orphan, gone, dest] = [
        'cli-st-sync',
        'cli-st-drift',
        'cli-st-orphan',
        'cli-st-gone',
        'cli-st-dest',
      ].map(unique);
      await status.createBuckets(synced!, drifted!, orphan!, dest!);
      const file = desiredYaml({
        [synced!]: [toDest(dest!, 'a')],
        [drifted!]: [toDest(dest!, 'b')],
        [orphan!]: [toDest(unique('cli-st-nowhere'), 'c')],
        [gone!]: [toDest(dest!, 'd')],
      });
      await status.run(['apply', '-f', await status.file('status.yaml', file)]);
      await status.run(['reconcile', '--bucket', synced!]);

      const text = await status.run(['status']);
      expect(text).toMatchObject({ code: 0, stderr: '' });
      const lines = text.stdout.trimEnd().split('\n');
      const row = (bucket: string) =>
        lines
          .find((line) => line.startsWith(bucket))
          ?.split(/\s{2,}/)
          .slice(1, 2)[0];
      expect([row(synced!), row(drifted!), row(orphan!), row(gone!)]).toEqual([
        'in-sync',
        'drifted',
        'action-required',
        'failed',
      ]);
      expect(lines.at(-1)).toBe('4 buckets: 1 in-sync, 1 drifted, 1 action-required, 1 failed.');

      const json = JSON.parse((await status.run(['status', '--json'])).stdout);
      expect(json.version).toBe(1);
      expect(json.counts).toEqual({ 'in-sync': 1, drifted: 1, 'action-required': 1, failed: 1 });
      expect(json.buckets.find((entry: { bucket: string }) => entry.bucket === drifted)).toEqual({
        bucket: drifted,
        status: 'drifted',
        drift: 1,
        // Its create only: the destination's grant is keyed by account, and the in-sync bucket's reconcile
        // granted that account already.
        actions: 1,
        findings: 0,
      });
    } finally {
      await status.close();
    }
  });
});
