import { ListBucketInventoryConfigurationsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, unique } from './cliHarness.js';

let world: CliWorld;
const dest = unique('prune-dest');
const [a, b, c, d] = ['prune-a', 'prune-b', 'prune-c', 'prune-d'].map(unique) as [
  string,
  string,
  string,
  string,
];
const config = (Id: string) =>
  makeConfiguration({
    Id,
    Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV', Prefix: 'inv' } },
  });

/** A file declaring `ids` for each bucket, every bucket with `prune: true` unless `prune` says otherwise. */
function pruneYaml(buckets: Record<string, string[]>, prune = true): string {
  const entries = Object.entries(buckets).map(
    ([bucket, ids]) =>
      `  ${bucket}:\n    prune: ${prune}\n    inventories: ${JSON.stringify(ids.map(config) as InventoryConfiguration[])}`,
  );
  return `version: 1\nbuckets:\n${entries.join('\n')}\n`;
}

async function ids(bucket: string): Promise<string[]> {
  const output = await world.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket }));
  return (output.InventoryConfigurationList ?? []).map((configuration) => configuration.Id!).sort();
}

async function declared(): Promise<string[]> {
  return (await world.items(world.tables.desired))
    .filter((item) => !String(item.id).startsWith('#'))
    .map((item) => `${item.bucket}/${item.id}`);
}

beforeAll(async () => {
  world = await cliWorld();
  await world.createBuckets(a, b, c, d, dest);
  // Other teams' configurations, in AWS only: nobody ever declared them here.
  await world.putInventory(a, config('team-x'));
  await world.putInventory(b, config('team-y'));
  await world.putInventory(b, config('team-z'));
}, 120_000);
afterAll(() => world?.close());

describe('s3ir apply --confirm-prune', () => {
  it('refuses (exit 1, nothing written) a prune that would delete never-declared configurations on two buckets', async () => {
    const file = await world.file('two.yaml', pruneYaml({ [a]: ['ours'], [b]: ['ours'] }));
    const run = await world.run(['apply', '-f', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${file}: prune would delete configurations never declared (present in AWS, absent from this file and from the table's desired state) on 2 buckets at once:\n` +
        `  ${a}: team-x\n  ${b}: team-y, team-z\n` +
        "Nothing was written. They may be other teams': adopt them (s3ir import --bucket B) or check them, then run again with --confirm-prune.\n",
    );
    expect(await declared()).toEqual([]);

    const confirmed = await world.run(['apply', '-f', file, '--confirm-prune']);
    expect(confirmed.code).toBe(0);
    expect((await declared()).sort()).toEqual([`${a}/ours`, `${b}/ours`].sort());
    // The table holds the decision; nothing was deleted by apply itself.
    expect(await ids(b)).toEqual(['team-y', 'team-z']);
  }, 120_000);

  it('lets a prune through on one bucket, or of configurations the table declared before', async () => {
    // Declared first without prune; then the file drops them and turns prune on for both buckets.
    const first = await world.file(
      'first.yaml',
      pruneYaml({ [c]: ['old', 'kept'], [d]: ['old', 'kept'] }, false),
    );
    expect((await world.run(['apply', '-f', first])).code).toBe(0);
    expect((await world.run(['reconcile', '--bucket', c, '--bucket', d])).code).toBe(0);
    expect(await ids(c)).toEqual(['kept', 'old']);
    const second = await world.file('second.yaml', pruneYaml({ [c]: ['kept'], [d]: ['kept'] }));
    const run = await world.run(['apply', '-f', second]);
    expect(run).toMatchObject({ code: 0, stderr: '' });

    // One bucket with a never-declared configuration: a plain apply.
    await world.putInventory(c, config('team-w'));
    const one = await world.file('one.yaml', pruneYaml({ [c]: ['kept', 'new'] }));
    expect((await world.run(['apply', '-f', one])).code).toBe(0);
  }, 120_000);

  it('documents the flag', async () => {
    const help = await world.run(['apply', '--help']);
    expect(help.stdout).toContain('Usage: s3ir apply -f FILE [--prune-desired] [--confirm-prune]');
    expect(help.stdout).toMatch(/--confirm-prune +let prune delete configurations never declared/);
  });
});
