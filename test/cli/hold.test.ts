import { ListBucketInventoryConfigurationsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, desiredYaml, unique } from './cliHarness.js';

let world: CliWorld;
const src = unique('hold-src');
const other = unique('hold-other');
const dest = unique('hold-dest');
const declared = makeConfiguration({
  Id: 'daily',
  Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV', Prefix: 'inv' } },
});
/**
 * The brake as the deployed service has it, but tiny: each bucket makes two changes (its grant on the
 * destination, its create), so the first bucket fits and the second crosses it.
 */
const LIMITED = { S3IR_MAX_CHANGES: '3', S3IR_MAX_DELETES: '1', S3IR_BRAKE_WINDOW_MINUTES: '30' };

beforeAll(async () => {
  world = await cliWorld();
  await world.createBuckets(src, other, dest);
  const file = await world.file('hold.yaml', desiredYaml({ [src]: [declared], [other]: [declared] }));
  expect((await world.run(['apply', '-f', file])).code).toBe(0);
}, 120_000);
afterAll(() => world?.close());

async function configurations(bucket: string) {
  const output = await world.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket }));
  return output.InventoryConfigurationList ?? [];
}

async function holdEvents(): Promise<Record<string, unknown>[]> {
  return (await world.items(world.tables.audit)).filter(
    (item) => item.bucket === '#hold' && !String(item.eventId).startsWith('#'),
  );
}

describe('s3ir hold and s3ir hold release', () => {
  it('shows no hold and the window (exit 0), as text and as versioned JSON', async () => {
    const run = await world.run(['hold'], LIMITED);
    expect(run).toMatchObject({
      code: 0,
      stdout:
        'No hold: the service applies changes.\nWindow: 0 of 3 changes, 0 of 1 deletes in the last 30 min.\n',
    });
    const json = await world.run(['hold', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      version: 1,
      hold: null,
      window: { changes: 0, deletes: 0, windowMinutes: 60 },
    });
  });

  it('a reconcile that would cross the limits writes nothing and holds; every later one is held, without limits too; release lifts it', async () => {
    const crossing = await world.run(['reconcile', '--json'], LIMITED);
    expect(crossing.code).toBe(0);
    const reports = crossing.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const statuses = Object.fromEntries(reports.map((report) => [report.bucket, report.status]));
    // Eight buckets at a time: which of the two crossed the window is the race's, not the test's.
    const held = statuses[src] === 'drift-reported' ? src : other;
    const first = held === src ? other : src;
    expect(statuses).toEqual({ [first]: 'converged', [held]: 'drift-reported' });
    expect(await configurations(held)).toEqual([]);
    expect((await configurations(first)).map((c) => c.Id)).toEqual(['daily']);

    const shown = await world.run(['hold'], LIMITED);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      /^ON HOLD since \d{4}-\d\d-\d\dT[\d:.]+Z \(\d+ min ago\): every bucket is handled in detect mode/,
    );
    expect(shown.stdout).toContain(
      `Why: ${held} asked for 2 change(s) (0 delete(s)), which would make 4 changes in the last 30 min (limit 3, S3IR_MAX_CHANGES).`,
    );
    expect(shown.stdout).toContain('then lift it: s3ir hold release');
    const json = JSON.parse((await world.run(['hold', '--json'], LIMITED)).stdout);
    expect(json.hold).toMatchObject({
      bucket: held,
      counts: { changes: 2, deletes: 0 },
      requested: { changes: 2, deletes: 0 },
      limits: { maxChanges: 3, maxDeletes: 1, windowMinutes: 30 },
    });
    expect((await holdEvents()).map((event) => event.action)).toEqual(['hold-started']);

    // apply writes desired state (a hold does not stop it), and says the hold keeps it from AWS.
    const more = await world.file(
      'more.yaml',
      desiredYaml({ [held]: [declared], [first]: [declared, { ...declared, Id: 'weekly' }] }),
    );
    const applied = await world.run(['apply', '-f', more]);
    expect(applied.code).toBe(0);
    expect(applied.stderr).toMatch(
      /s3ir apply: the service is on hold since .*: this desired state is written, but no bucket is changed until s3ir hold release/,
    );

    // An operator's shell without the limits still honours the hold.
    const unlimited = await world.run(['reconcile', '--json', '--bucket', held]);
    expect(JSON.parse(unlimited.stdout)).toMatchObject({ bucket: held, status: 'drift-reported' });
    expect(await configurations(held)).toEqual([]);

    const release = await world.run(['hold', 'release']);
    expect(release.code).toBe(0);
    expect(release.stdout).toMatch(
      /^Hold released \(in force since .*: 4 changes in the last 30 min \(limit 3, S3IR_MAX_CHANGES\)\)\.\n/,
    );
    expect(release.stdout).toMatch(/recorded as hold-released by arn:aws:/);
    const events = await holdEvents();
    expect(events.map((event) => event.action).sort()).toEqual(['hold-released', 'hold-started']);
    expect(events.find((event) => event.action === 'hold-released')!.actor).toMatch(/^arn:aws:/);
    expect((await world.run(['hold', 'release', '--json'])).stdout).toMatch(/"released":null/);

    // Released: the window starts again from zero, and the held bucket converges.
    const converged = await world.run(['reconcile', '--json', '--bucket', held], LIMITED);
    expect(JSON.parse(converged.stdout)).toMatchObject({ bucket: held, status: 'converged' });
    expect((await configurations(held)).map((c) => c.Id)).toEqual(['daily']);
    // Its create only: the destination's grant is keyed by account, and the first bucket granted that account.
    expect((await world.run(['hold', '--json'], LIMITED)).stdout).toContain(
      '"window":{"changes":1,"deletes":0,"windowMinutes":30,"maxChanges":3,"maxDeletes":1}',
    );
  }, 120_000);

  it('names both commands in s3ir --help, with their own --help', async () => {
    const help = await world.run(['--help']);
    expect(help.stdout).toMatch(/\n {2}hold {9,}show the account-wide hold/);
    expect(help.stdout).toMatch(/\n {2}hold release +lift the account-wide hold/);
    expect((await world.run(['hold', 'release', '--help'])).stdout).toMatch(
      /^Usage: s3ir hold release \[--json\]/,
    );
  });
});
