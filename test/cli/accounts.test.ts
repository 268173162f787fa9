import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../lib/adapters/aws/ClientFactory.js';
import type { InventoryConfiguration } from '../../lib/core/inventory/types.js';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, unique } from './cliHarness.js';

// The local AWS's accounts (infra/local/constants.ts): moto's default is home, the other is reached by AssumeRole.
const HOME = '123456789012';
const OTHER = '222233334444';

let world: CliWorld;
const [synced, drifted, homeDest] = ['acct-synced', 'acct-drifted', 'acct-home-dest'].map(unique);
const [remote, remoteDest] = ['acct-remote', 'acct-remote-dest'].map(unique);

const toDest = (dest: string, Id = 'daily-csv'): InventoryConfiguration =>
  makeConfiguration({
    Id,
    Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV', Prefix: Id } },
  });

beforeAll(async () => {
  world = await cliWorld();
  await world.createBuckets(synced!, drifted!, homeDest!);
  // The other account's buckets, created through the role the service assumes there.
  const factory = new ClientFactory({
    endpoint: world.local.endpoint,
    region: 'us-east-1',
    credentials: async () => ({ accessKeyId: 'test', secretAccessKey: 'test' }),
    env: {},
    allowedAccounts: [OTHER],
  });
  const s3 = await factory.s3({ account: OTHER });
  for (const Bucket of [remote!, remoteDest!]) await s3.send(new CreateBucketCommand({ Bucket }));
  const file = [
    'version: 1',
    'buckets:',
    `  ${synced}:`,
    `    inventories: ${JSON.stringify([toDest(homeDest!)])}`,
    `  ${drifted}:`,
    `    inventories: ${JSON.stringify([toDest(homeDest!)])}`,
    `  ${remote}:`,
    `    account: "${OTHER}"`,
    '    region: us-east-1',
    `    inventories: ${JSON.stringify([toDest(remoteDest!)])}`,
    '',
  ].join('\n');
  const applied = await world.run(['apply', '-f', await world.file('accounts.yaml', file)]);
  expect(applied).toMatchObject({ code: 0, stderr: '' });
  expect((await world.run(['reconcile', '--bucket', synced!])).code).toBe(0);
});
afterAll(() => world?.close());

/** The bucket of each `--json` line. */
const bucketsOf = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { bucket: string }).bucket);

describe('--account', () => {
  it.each([
    ['status', '12345'],
    ['plan', 'o-abc1234567'],
    ['reconcile', 'ou-ab12-cdef3456'],
    ['audit', '1234567890123'],
    ['delivery', 'abcdefghijkl'],
  ])('%s refuses --account %s before any AWS call (exit 64)', async (command, value) => {
    const run = await world.run([command, '--account', HOME, '--account', value]);
    expect(run).toEqual({
      code: 64,
      stdout: '',
      stderr: `s3ir ${command}: --account: expected a 12-digit AWS account id, got ${JSON.stringify(value)}\n`,
    });
  });

  it('status ends with the buckets per account, and --account keeps one account', async () => {
    const all = await world.run(['status']);
    expect(all).toMatchObject({ code: 0, stderr: '' });
    const tail = all.stdout.trimEnd().split('\n').slice(-3);
    expect(tail[0]).toBe('By account:');
    expect(tail[1]).toBe(`  ${HOME}  2 buckets: 1 in-sync, 1 drifted, 0 action-required, 0 failed`);
    expect(tail[2]).toMatch(new RegExp(`^  ${OTHER}  1 bucket: `));

    const json = JSON.parse((await world.run(['status', '--json'])).stdout);
    expect(json.accounts.map((entry: { account: string }) => entry.account)).toEqual([HOME, OTHER]);
    expect(json.accounts[0]).toEqual({
      account: HOME,
      buckets: 2,
      counts: { 'in-sync': 1, drifted: 1, 'action-required': 0, failed: 0 },
    });

    const home = await world.run(['status', '--account', HOME]);
    expect(home).toMatchObject({ code: 0, stderr: '' });
    const rows = home.stdout.split('\n').map((line) => line.split(/\s+/)[0]);
    expect(rows).toContain(synced);
    expect(rows).toContain(drifted);
    expect(home.stdout).not.toContain(remote);
    expect(home.stdout).toMatch(
      new RegExp(
        `2 buckets: 1 in-sync, 1 drifted, 0 action-required, 0 failed\\.\\nBy account:\\n  ${HOME}  2 buckets: .*\\n$`,
      ),
    );

    const other = JSON.parse((await world.run(['status', '--json', '--account', OTHER])).stdout);
    expect(other.buckets.map((row: { bucket: string }) => row.bucket)).toEqual([remote]);
    expect(other.accounts.map((entry: { account: string }) => entry.account)).toEqual([OTHER]);
  });

  it('plan plans only the account asked for and ends with its summary; an account with no bucket says so', async () => {
    const plan = await world.run(['plan', '--json', '--account', OTHER]);
    expect(plan.code).toBe(2);
    const body = JSON.parse(plan.stdout);
    expect(body.plans.map((entry: { bucket: string }) => entry.bucket)).toEqual([remote]);
    expect(body.accounts).toEqual([
      { account: OTHER, buckets: 1, counts: { 'in-sync': 0, drifted: 1, 'action-required': 0, failed: 0 } },
    ]);

    const text = await world.run(['plan', '--account', HOME]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(drifted);
    expect(text.stdout).not.toContain(remote);
    expect(text.stdout).toMatch(
      new RegExp(`By account:\\n  ${HOME}  2 buckets: 1 in-sync, 1 drifted, 0 action-required, 0 failed\\n$`),
    );

    const none = await world.run(['plan', '--account', '999900001111']);
    expect(none).toEqual({
      code: 0,
      stdout: 'No bucket of account 999900001111 is declared or selected by a template.\n',
      stderr: '',
    });
  });

  it('reconcile converges only the account asked for; audit and delivery read only its buckets', async () => {
    const run = await world.run(['reconcile', '--json', '--account', OTHER]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(bucketsOf(run.stdout)).toEqual([remote]);
    expect(JSON.parse(run.stdout)).toMatchObject({ bucket: remote, status: 'converged' });
    // The home account's drifted bucket was left alone.
    const after = JSON.parse((await world.run(['status', '--json'])).stdout);
    expect(after.accounts).toEqual([
      { account: HOME, buckets: 2, counts: { 'in-sync': 1, drifted: 1, 'action-required': 0, failed: 0 } },
      { account: OTHER, buckets: 1, counts: { 'in-sync': 1, drifted: 0, 'action-required': 0, failed: 0 } },
    ]);

    const remoteEvents = await world.run(['audit', '--json', '--account', OTHER]);
    expect(remoteEvents).toMatchObject({ code: 0, stderr: '' });
    expect(new Set(bucketsOf(remoteEvents.stdout))).toEqual(new Set([remote]));
    const homeEvents = await world.run(['audit', '--json', '--account', HOME, '--limit', '1']);
    expect(bucketsOf(homeEvents.stdout)).toEqual([synced]);
    const crossed = await world.run(['audit', '--json', '--account', HOME, '--bucket', remote!]);
    expect(crossed).toEqual({ code: 0, stdout: '', stderr: '' });

    // The delivery check reads a destination with the home account's credentials (lib/wiring/deliveryCheckWiring),
    // so the home account's buckets are the ones checked here.
    const delivery = await world.run(['delivery', '--json', '--account', HOME]);
    expect(delivery.stderr).toBe('');
    expect(bucketsOf(delivery.stdout).sort()).toEqual([synced, drifted].sort());
  });

  it('status lists the member accounts not reconciled now (discovery failed, left the organization), --account filtering them', async () => {
    const [failing, gone, healed] = ['777788889999', '555566667777', '444455556666'];
    const condition = (summary: string, extra: Record<string, string> = {}) => ({
      fingerprint: 'f',
      since: '2026-12-06T10:00:00.000Z',
      lastAlertAt: '2026-12-06T10:00:00.000Z',
      summary,
      ...extra,
    });
    const items = [
      {
        id: failing,
        state: 'discovery-failed',
        conditions: {
          'discovery-failed': condition('Discovery of account failed', {
            step: 'AssumeRole',
            code: 'AccessDenied',
          }),
        },
      },
      {
        id: gone,
        state: 'left-organization',
        conditions: { 'left-organization': condition('Account left') },
      },
      { id: healed, state: 'ok', conditions: {} },
    ];
    for (const item of items) {
      await world.documents.send(
        new PutCommand({
          TableName: world.tables.state,
          Item: {
            bucket: '#account-status',
            since: '2026-12-06T10:00:00.000Z',
            runId: 'sweep-1',
            version: 1,
            ...item,
          },
        }),
      );
    }
    const text = await world.run(['status']);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toContain(
      [
        'Accounts not reconciled:',
        `  ${gone}  left-organization  left the allowed organization or OUs: its buckets are no longer reconciled  since 2026-12-06T10:00:00.000Z`,
        `  ${failing}  discovery-failed   discovery failed at AssumeRole (AccessDenied): its buckets wait until it succeeds  since 2026-12-06T10:00:00.000Z`,
      ].join('\n'),
    );
    expect(text.stdout).not.toContain(healed);

    const json = JSON.parse((await world.run(['status', '--json'])).stdout);
    expect(json.accountStatuses).toEqual([
      {
        account: gone,
        state: 'left-organization',
        since: '2026-12-06T10:00:00.000Z',
        summary: 'Account left',
      },
      {
        account: failing,
        state: 'discovery-failed',
        since: '2026-12-06T10:00:00.000Z',
        summary: 'Discovery of account failed',
        step: 'AssumeRole',
        code: 'AccessDenied',
      },
    ]);
    // The buckets' part is as it was.
    expect(json.accounts.map((entry: { account: string }) => entry.account)).toEqual([HOME, OTHER]);

    const one = await world.run(['status', '--account', failing]);
    expect(one).toEqual({
      code: 0,
      stdout:
        `No bucket of account ${failing} is declared or selected by a template.\n` +
        'Accounts not reconciled:\n' +
        `  ${failing}  discovery-failed   discovery failed at AssumeRole (AccessDenied): its buckets wait until it succeeds  since 2026-12-06T10:00:00.000Z\n`,
      stderr: '',
    });
    const home = JSON.parse((await world.run(['status', '--json', '--account', HOME])).stdout);
    expect(home.accountStatuses).toBeUndefined();
  });
});
