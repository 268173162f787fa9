import { ListBucketInventoryConfigurationsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, desiredYaml, unique } from './cliHarness.js';

let world: CliWorld;
const src = unique('cli-src');
const dest = unique('cli-dest');
const declared = makeConfiguration({
  Id: 'daily-csv',
  Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV', Prefix: 'inv' } },
});

beforeAll(async () => {
  world = await cliWorld();
  await world.createBuckets(src, dest);
  const applied = await world.run([
    'apply',
    '-f',
    await world.file('plan.yaml', desiredYaml({ [src]: [declared] })),
  ]);
  expect(applied.code).toBe(0);
});
afterAll(() => world?.close());

/** The bucket's configurations, OptionalFields sorted (a set: S3 keeps its own order). */
async function actual(): Promise<InventoryConfiguration[]> {
  const listed = await world.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: src }));
  return (listed.InventoryConfigurationList ?? []).map((configuration) => ({
    ...configuration,
    OptionalFields: [...(configuration.OptionalFields ?? [])].sort(),
  }));
}
/** As the service puts it: with the verified owner (the local home account) as AccountId (issue 13). */
const converged = {
  ...declared,
  Destination: {
    S3BucketDestination: { ...declared.Destination!.S3BucketDestination!, AccountId: '123456789012' },
  },
  OptionalFields: [...declared.OptionalFields!].sort(),
};

describe('s3ir plan and s3ir reconcile', () => {
  it('plans the missing configuration and grant (exit 2), with --json versioned', async () => {
    const run = await world.run(['plan', '--json']);
    expect(run).toMatchObject({ code: 2, stderr: '' });
    const body = JSON.parse(run.stdout);
    expect(body).toMatchObject({ version: 1, errors: [], plans: [{ bucket: src, region: 'us-east-1' }] });
    expect(body.plans[0].actions.map((action: { key: string }) => action.key)).toEqual([
      `grant-destination:${dest}`,
      'create-configuration:daily-csv',
    ]);
    const text = await world.run(['plan', '--bucket', src]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`  + inventory "daily-csv"\n`);
    expect(text.stdout).toMatch(/Plan: 1 to create, 1 to update, 0 to delete, 0 needs action\.\n$/);
    expect(await actual()).toEqual([]); // plan changes nothing
  });

  it('reconciles: converges (exit 0), then is in sync and plan exits 0', async () => {
    const run = await world.run(['reconcile']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      `bucket "${src}": converged\n  ~ grant-destination:${dest}  applied\n  + create-configuration:daily-csv  applied\n`,
    );
    expect(await actual()).toEqual([converged]);
    const plan = await world.run(['plan']);
    expect(plan).toMatchObject({ code: 0, stdout: 'No changes. Every bucket matches its desired state.\n' });
    const again = await world.run(['reconcile', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      version: 1,
      bucket: src,
      status: 'in-sync',
      attempts: 1,
      outcomes: [],
    });
  });

  it('renders seeded drift exactly, detect-only records it without fixing, reconcile fixes it', async () => {
    // A hand-made change to the configuration as the service put it (AccountId included).
    await world.putInventory(src, { ...converged, Schedule: { Frequency: 'Weekly' } });
    const plan = await world.run(['plan', '--bucket', src]);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toBe(
      [
        `bucket "${src}" (account 123456789012, us-east-1)`,
        '  ~ inventory "daily-csv"',
        '      ~ Schedule.Frequency = "Weekly" -> "Daily"',
        '      # (8 unchanged fields hidden)',
        '',
        'Plan: 0 to create, 1 to update, 0 to delete, 0 needs action.',
        '',
      ].join('\n'),
    );

    const detect = await world.run(['reconcile', '--bucket', src, '--detect-only', '--json']);
    expect(detect.code).toBe(0);
    expect(JSON.parse(detect.stdout)).toMatchObject({
      status: 'drift-reported',
      outcomes: [{ key: 'update-configuration:daily-csv', status: 'report-only' }],
    });
    expect((await actual())[0]?.Schedule).toEqual({ Frequency: 'Weekly' });

    const fixed = await world.run(['reconcile', '--bucket', src]);
    expect(fixed).toMatchObject({ code: 0 });
    expect(fixed.stdout).toContain('~ update-configuration:daily-csv  applied');
    expect(await actual()).toEqual([converged]);
  });

  it('exits 1 naming a bucket it cannot read, declared or not', async () => {
    const gone = unique('cli-gone');
    const undeclared = unique('cli-undeclared');
    await world.run(['apply', '-f', await world.file('gone.yaml', desiredYaml({ [gone]: [declared] }))]);
    const plan = await world.run(['plan', '--bucket', gone, '--bucket', undeclared]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(new RegExp(`bucket "${gone}": .*does not exist`));
    // Nothing declares it and it does not exist either: an error, not a quiet "skipped".
    expect(plan.stderr).toMatch(new RegExp(`bucket "${undeclared}": .*does not exist`));
    expect(plan.stdout).not.toContain('Every bucket matches');
    expect(plan.stderr).not.toContain('    at ');
    const reconcile = await world.run(['reconcile', '--bucket', gone]);
    expect(reconcile.code).toBe(1);
    expect(reconcile.stdout).toContain(`bucket "${gone}": failed`);
  });
});
