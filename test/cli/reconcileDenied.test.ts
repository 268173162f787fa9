import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, desiredYaml, unique } from './cliHarness.js';

let world: CliWorld;
beforeAll(async () => {
  world = await cliWorld();
});
afterAll(async () => {
  await world?.close();
});

describe('s3ir reconcile on a bucket S3 denies', () => {
  it('names the error AWS returned and the call it refused, not a missing region', async () => {
    const [bucket, dest] = [unique('cli-denied'), unique('cli-denied-dest')];
    await world.createBuckets(bucket, dest);
    const declared = makeConfiguration({
      Id: 'daily',
      Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV' } },
    });
    const file = await world.file('denied.yaml', desiredYaml({ [bucket]: [declared] }));
    expect((await world.run(['apply', '-f', file])).code).toBe(0);
    // Every S3 call on this bucket refused (the rule names this file's bucket alone: the local AWS may be shared).
    const response = await fetch(`${world.local.endpoint}/_local/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ service: 's3', bucket, status: 403, code: 'AccessDenied' }] }),
    });
    expect(response.ok).toBe(true);

    const run = await world.run(['reconcile', '--bucket', bucket, '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ bucket, status: 'failed' });
    expect(JSON.stringify(report)).toContain(`AccessDenied on HeadBucket ${bucket} (403)`);
    expect(run.stdout + run.stderr).not.toMatch(/NotFoundError|did not say where/);
  });
});
