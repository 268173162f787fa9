import {
  CreateBucketCommand,
  GetBucketLocationCommand,
  GetBucketRequestPaymentCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { FaultRuleView } from '../../../infra/local/faults/types.js';
import { addFaults, control, faultRule } from './controlEndpoints.js';
import { callCounts, credentials, region, s3Client, uniqueBucket } from './localAwsClients.js';
import { privateGateway } from './privateGateway.js';

async function newBucket(prefix: string, s3 = s3Client()): Promise<string> {
  const bucket = uniqueBucket(prefix);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** true when the call failed with an injected error, false when it went through. */
const failed = (call: Promise<unknown>) =>
  call.then(
    () => false,
    () => true,
  );

describe('fault rules (POST, GET and DELETE /_local/faults)', () => {
  it('fills defaults: the usual status of a known code, the internal error (500) without a code', async () => {
    const bucket = uniqueBucket('fault-defaults'); // never called: the rules only show their defaults
    const rules = await addFaults([
      { service: 's3', bucket, code: 'SlowDown' },
      { service: 's3', bucket, code: 'AccessDenied', errorRate: 0.25 },
      { service: 'kms', operation: 'NeverCalled', code: 'ThrottlingException' },
      { service: 'dynamodb', operation: 'NeverCalled', count: 1 },
      { service: 's3', bucket, latencyMs: 5 },
    ]);
    const summary = rules.map(({ status, code, errorRate, remaining }) => ({
      status,
      code,
      errorRate,
      remaining,
    }));
    expect(summary).toEqual([
      { status: 503, code: 'SlowDown', errorRate: 1, remaining: null },
      { status: 403, code: 'AccessDenied', errorRate: 0.25, remaining: null },
      { status: 400, code: 'ThrottlingException', errorRate: 1, remaining: null },
      { status: 500, code: 'InternalServerError', errorRate: 1, remaining: 1 },
      { status: undefined, code: undefined, errorRate: undefined, remaining: null },
    ]);
    expect(rules.map((rule) => rule.id)).toEqual([0, 1, 2, 3, 4].map((i) => rules[0]!.id + i));
  });

  it('caps errors at count, then lets calls through; GET lists remaining and injected', async () => {
    const bucket = await newBucket('fault-count');
    const [rule] = await addFaults([
      { service: 's3', operation: 'GetBucketLocation', bucket, code: 'SlowDown', count: 2 },
    ]);
    const s3 = s3Client();
    const outcomes = [];
    for (let i = 0; i < 4; i++)
      outcomes.push(await failed(s3.send(new GetBucketLocationCommand({ Bucket: bucket }))));
    expect(outcomes).toEqual([true, true, false, false]);
    expect(await faultRule(rule!.id)).toMatchObject({
      id: rule!.id,
      bucket,
      count: 2,
      remaining: 0,
      injected: 2,
    });
  });

  it('draws errorRate from the seed, so two rules with the same seed fail the same calls', async () => {
    const [first, second] = [await newBucket('fault-seed-a'), await newBucket('fault-seed-b')];
    await addFaults([
      { service: 's3', bucket: first, errorRate: 0.5, code: 'SlowDown', seed: 42 },
      { service: 's3', bucket: second, errorRate: 0.5, code: 'SlowDown', seed: 42 },
    ]);
    const pattern = async (bucket: string) => {
      const s3 = s3Client();
      const outcomes: boolean[] = [];
      for (let i = 0; i < 24; i++)
        outcomes.push(await failed(s3.send(new GetBucketLocationCommand({ Bucket: bucket }))));
      return outcomes;
    };
    const [a, b] = [await pattern(first), await pattern(second)];
    expect(a).toEqual(b);
    const failures = a.filter(Boolean).length;
    expect(failures).toBeGreaterThan(0);
    expect(failures).toBeLessThan(24);
  });

  it('adds the latencies of every matching rule before answering', async () => {
    const bucket = await newBucket('fault-latency');
    await addFaults([
      { service: 's3', bucket, latencyMs: 150 },
      { service: 's3', operation: 'GetBucketLocation', bucket, latencyMs: 100 },
    ]);
    const started = performance.now();
    await s3Client().send(new GetBucketLocationCommand({ Bucket: bucket }));
    // Only a lower bound: a loaded machine may take longer, never shorter.
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('counts injected errors in /_local/calls like any other call', async () => {
    const bucket = await newBucket('fault-counted');
    await addFaults([
      { service: 's3', operation: 'GetBucketRequestPayment', bucket, code: 'InternalError', count: 1 },
    ]);
    const before = (await callCounts())['s3.GetBucketRequestPayment'] ?? 0;
    expect(await failed(s3Client().send(new GetBucketRequestPaymentCommand({ Bucket: bucket })))).toBe(true);
    expect(await failed(s3Client().send(new GetBucketRequestPaymentCommand({ Bucket: bucket })))).toBe(false);
    expect((await callCounts())['s3.GetBucketRequestPayment']).toBe(before + 2);
  });

  it.each([
    ['not JSON', '{"rules": [', 'not JSON'],
    ['no rules', {}, '"rules" must be a non-empty array'],
    ['an empty list', { rules: [] }, '"rules" must be a non-empty array'],
    ['a field beside rules', { rules: [{ count: 1 }], clear: true }, 'unknown field(s) clear'],
    [
      'a misspelt field',
      { rules: [{ service: 's3', opration: 'X', count: 1 }] },
      'rules[0] has unknown field(s) opration',
    ],
    ['errorRate above 1', { rules: [{ errorRate: 1.5 }] }, 'rules[0].errorRate must be a number from 0 to 1'],
    [
      'a status that is no error',
      { rules: [{ status: 200, code: 'X' }] },
      'rules[0].status must be an integer from 400 to 599',
    ],
    [
      'count 0',
      { rules: [{ code: 'SlowDown', service: 's3', count: 0 }] },
      'rules[0].count must be an integer from 1',
    ],
    ['negative latency', { rules: [{ latencyMs: -1 }] }, 'rules[0].latencyMs must be an integer from 0'],
    [
      'a bucket outside s3',
      { rules: [{ service: 'kms', bucket: 'b', count: 1 }] },
      'rules[0].bucket applies to s3 only',
    ],
    [
      'an unknown code without status',
      { rules: [{ service: 's3', code: 'Teapot' }] },
      'rules[0].code Teapot has no known status in s3',
    ],
    [
      'a 4xx status without code',
      { rules: [{ service: 's3', status: 404 }] },
      'rules[0].status 404 needs a code',
    ],
    ['a rule that does nothing', { rules: [{ service: 's3', bucket: 'b' }] }, 'rules[0] does nothing'],
    ['a bad second rule', { rules: [{ latencyMs: 1 }, { service: 'S3!' }] }, 'rules[1].service must match'],
  ])('refuses %s with 400 and the reason', async (_, body, reason) => {
    const before = await control<{ rules: FaultRuleView[] }>('GET', '/_local/faults');
    const reply = await control<{ error: string }>('POST', '/_local/faults', body);
    expect(reply).toEqual({ status: 400, body: { error: expect.stringContaining(reason) } });
    // All or nothing: a refused body adds no rule.
    const after = await control<{ rules: FaultRuleView[] }>('GET', '/_local/faults');
    expect(Math.max(0, ...after.body.rules.map((r) => r.id))).toBe(
      Math.max(0, ...before.body.rules.map((r) => r.id)),
    );
  });

  it('clears every rule with DELETE (on a private gateway, not to disturb other files)', async (context) => {
    const gateway = await privateGateway();
    if (!gateway)
      return context.skip('the global setup reuses a running local AWS: its backends are unknown');
    try {
      const s3 = new S3Client({
        endpoint: gateway.endpoint,
        region,
        credentials,
        forcePathStyle: true,
        maxAttempts: 1,
      });
      const bucket = await newBucket('fault-clear', s3);
      await control(
        'POST',
        '/_local/faults',
        { rules: [{ service: 's3', code: 'SlowDown' }, { latencyMs: 1 }] },
        gateway.endpoint,
      );
      expect(await failed(s3.send(new GetBucketLocationCommand({ Bucket: bucket })))).toBe(true);
      expect(await control('DELETE', '/_local/faults', undefined, gateway.endpoint)).toEqual({
        status: 200,
        body: { cleared: 2 },
      });
      expect(await control('GET', '/_local/faults', undefined, gateway.endpoint)).toEqual({
        status: 200,
        body: { rules: [] },
      });
      expect(await failed(s3.send(new GetBucketLocationCommand({ Bucket: bucket })))).toBe(false);
    } finally {
      await gateway.close();
    }
  });
});
