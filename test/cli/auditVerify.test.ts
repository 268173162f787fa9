import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, desiredYaml, unique } from './cliHarness.js';

let world: CliWorld;
const src = unique('verify-src');
const dest = unique('verify-dest');
const declared = makeConfiguration({
  Id: 'daily',
  Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV', Prefix: 'inv' } },
});
/** The source bucket's events, oldest first (seq order), as the table holds them. */
let chain: Record<string, unknown>[];

beforeAll(async () => {
  world = await cliWorld();
  await world.createBuckets(src, dest);
  const file = await world.file('verify.yaml', desiredYaml({ [src]: [declared] }));
  expect((await world.run(['apply', '-f', file])).code).toBe(0);
  // Three recorded changes through the real reconcile: the grant and the configuration, then a fix of drift.
  expect((await world.run(['reconcile'])).code).toBe(0);
  await world.putInventory(src, { ...declared, Schedule: { Frequency: 'Weekly' } });
  expect((await world.run(['reconcile'])).code).toBe(0);
  chain = (await world.items(world.tables.audit))
    .filter((item) => item.bucket === src && !String(item.eventId).startsWith('#'))
    .sort((a, b) => Number(a.seq) - Number(b.seq));
  expect(chain.map((item) => item.seq)).toEqual([1, 2, 3]);
}, 120_000);
afterAll(() => world?.close());

const setMessage = (eventId: unknown, message: unknown) =>
  world.documents.send(
    new UpdateCommand({
      TableName: world.tables.audit,
      Key: { bucket: src, eventId },
      UpdateExpression: 'SET message = :m',
      ExpressionAttributeValues: { ':m': message },
    }),
  );

describe('s3ir audit verify', () => {
  it('says the chains are intact (exit 0), also as versioned JSON and per bucket', async () => {
    const run = await world.run(['audit', 'verify']);
    expect(run).toMatchObject({ code: 0, stdout: '1 chain, 3 events: intact\n' });
    // Without a digest bucket it says what the table alone cannot show (issue 16).
    expect(run.stderr).toContain('no digest bucket (S3IR_DIGEST_BUCKET): checking the table alone');
    const json = await world.run(['audit', 'verify', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ version: 1, intact: true, chains: 1, events: 3, breaks: [] });
    const other = await world.run(['audit', 'verify', '--bucket', 'nobody', '--bucket', src]);
    expect(other).toMatchObject({ code: 0, stdout: '1 chain, 3 events: intact\n' });
  });

  it('exits 1 naming an event whose message was changed in the table, and 0 again once it is put back', async () => {
    const [, middle] = chain;
    await setMessage(middle!.eventId, 'nothing to see here');
    const run = await world.run(['audit', 'verify']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `audit chain of ${src} broken at event ${middle!.eventId} (seq 2, ${middle!.time}): hash does not match its content\n` +
        '1 chain, 3 events: 1 broken\n',
    );
    const json = JSON.parse((await world.run(['audit', 'verify', '--json'])).stdout);
    expect(json).toMatchObject({
      intact: false,
      breaks: [{ bucket: src, eventId: middle!.eventId, seq: 2 }],
    });
    await setMessage(middle!.eventId, middle!.message);
    expect((await world.run(['audit', 'verify'])).code).toBe(0);
  });

  it('exits 1 naming the gap a deleted middle event leaves', async () => {
    const [, middle, last] = chain;
    await world.documents.send(
      new DeleteCommand({ TableName: world.tables.audit, Key: { bucket: src, eventId: middle!.eventId } }),
    );
    const run = await world.run(['audit', 'verify', '--bucket', src]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `audit chain of ${src} broken at event ${last!.eventId} (seq 3, ${last!.time}): seq 2 is missing`,
    );
    expect(run.stdout).toMatch(/1 chain, 2 events: 1 broken\n$/);
  });

  it('prints its help', async () => {
    const run = await world.run(['audit', 'verify', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: s3ir audit verify \[--bucket B\]\.\.\. \[--json\]\n/);
    expect(run.stdout).toContain('Exit: 0 intact, 1 tampered or error');
  });
});
