import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsFactsReader } from '../../../lib/adapters/aws/AwsFactsReader.js';
import type { ClientFactory } from '../../../lib/adapters/aws/ClientFactory.js';
import { ThrottledError } from '../../../lib/adapters/aws/errors.js';
import { S3InventoryAdapter } from '../../../lib/adapters/aws/S3InventoryAdapter.js';
import { localEndpoint, localFactory, uniqueBucket } from './localFactory.js';

let factory: ClientFactory;
beforeAll(() => {
  factory = localFactory({ maxAttempts: 3 });
});
afterAll(() => factory.destroy());

/**
 * Adds a fault rule (DESIGN, Contract: `POST /_local/faults`). Every rule here is scoped to a bucket of this
 * file and capped by `count`, so it neither touches other files nor needs `DELETE /_local/faults`.
 * Resolves false while the gateway has no fault endpoint yet.
 */
async function injectFault(rule: Record<string, unknown>): Promise<boolean> {
  const response = await fetch(`${localEndpoint()}/_local/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules: [{ service: 's3', ...rule }] }),
  });
  return response.ok;
}

async function newBucket(prefix: string): Promise<string> {
  const bucket = uniqueBucket(prefix);
  await (await factory.s3()).send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

describe('adapters under injected faults on the local AWS', () => {
  it('reports a destination policy refused with AccessDenied as unreadable', async (context) => {
    const bucket = await newBucket('fault-denied');
    const rule = { operation: 'GetBucketPolicy', bucket, status: 403, code: 'AccessDenied', count: 1 };
    if (!(await injectFault(rule))) context.skip('the gateway has no /_local/faults yet');
    const facts = await new AwsFactsReader({ factory }).read({
      bucket: 'src',
      region: 'us-east-1',
      destinations: [{ bucket, region: 'us-east-1' }],
      keys: [],
    });
    expect(facts.destinations[bucket]).toMatchObject({
      exists: true,
      policy: { state: 'unreadable', reason: expect.stringContaining('AccessDenied') },
    });
  });

  it('rides out two SlowDowns with the SDK retries and surfaces a third as ThrottledError', async (context) => {
    const bucket = await newBucket('fault-slow');
    const adapter = new S3InventoryAdapter({ client: await factory.s3() });
    const slowDown = {
      operation: 'ListBucketInventoryConfigurations',
      bucket,
      status: 503,
      code: 'SlowDown',
    };
    if (!(await injectFault({ ...slowDown, count: 2 })))
      context.skip('the gateway has no /_local/faults yet');
    await expect(adapter.list(bucket)).resolves.toEqual([]);

    await injectFault({ ...slowDown, count: 3 });
    const error = await adapter.list(bucket).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({ code: 'SlowDown', status: 503, retryable: true });
  });
});
