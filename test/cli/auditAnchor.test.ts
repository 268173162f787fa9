import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, desiredYaml, unique } from './cliHarness.js';

/**
 * `s3ir audit anchor` and `s3ir audit verify` against the anchors, as a user runs them: this world's
 * audit table gets a digest bucket (Object Lock) and a signing key of its own.
 */
let world: CliWorld;
let anchors: Record<string, string>;
const src = unique('anchor-src');
const dest = unique('anchor-dest');

beforeAll(async () => {
  world = await cliWorld();
  const bucket = unique('cli-digests');
  await world.s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  const kms = new KMSClient({
    endpoint: world.local.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { KeyMetadata } = await kms.send(
    new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
  );
  kms.destroy();
  anchors = { S3IR_DIGEST_BUCKET: bucket, S3IR_DIGEST_KEY_ID: KeyMetadata!.Arn! };
  await world.createBuckets(src, dest);
  const declared = makeConfiguration({
    Id: 'daily',
    Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV', Prefix: 'inv' } },
  });
  const file = await world.file('anchor.yaml', desiredYaml({ [src]: [declared] }));
  expect((await world.run(['apply', '-f', file])).code).toBe(0);
  expect((await world.run(['reconcile'])).code).toBe(0);
}, 120_000);
afterAll(() => world?.close());

describe('s3ir audit anchor / audit verify with anchors', () => {
  it('writes a digest (exit 0, prints its key), then verify checks the table against it', async () => {
    const anchored = await world.run(['audit', 'anchor'], anchors);
    expect(anchored).toMatchObject({ code: 0, stdout: 'digests/999999999998-1.json\n' });
    expect(anchored.stderr).toContain('digest 1 in s3://');
    const json = await world.run(['audit', 'anchor', '--json'], anchors);
    expect(JSON.parse(json.stdout)).toMatchObject({
      version: 1,
      key: 'digests/999999999997-2.json',
      sequence: 2,
      heads: 0,
    });
    const verify = await world.run(['audit', 'verify'], anchors);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(
      /^1 chain, \d+ events, 2 digests \(newest digests\/999999999997-2\.json at .+\): intact\n$/,
    );
  });

  it('exits 1 naming a chain deleted whole by kind, in text and in --json', async () => {
    const items = (await world.items(world.tables.audit)).filter((item) => item.bucket === src);
    for (const item of items)
      await world.documents.send(
        new DeleteCommand({ TableName: world.tables.audit, Key: { bucket: src, eventId: item.eventId } }),
      );
    const verify = await world.run(['audit', 'verify'], anchors);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(
      `chain-missing: audit chain of ${src} (digest digests/999999999998-1.json): no item of this chain is left in the table`,
    );
    const json = JSON.parse((await world.run(['audit', 'verify', '--json'], anchors)).stdout);
    expect(json).toMatchObject({
      version: 1,
      intact: false,
      breaks: [{ kind: 'chain-missing', bucket: src }],
    });
  });

  it('says plainly that anchoring needs a digest bucket', async () => {
    const run = await world.run(['audit', 'anchor']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no digest bucket: set S3IR_DIGEST_BUCKET and S3IR_DIGEST_KEY_ID');
  });
});
