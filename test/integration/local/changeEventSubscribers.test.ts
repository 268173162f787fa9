import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import type { CloudTrailApiCallEvent } from '../../../infra/local/events/types.js';
import type { Gateway } from '../../../infra/local/gateway.js';
import { eventsSince } from './controlEndpoints.js';
import { destinationGrant } from './deliveryScenario.js';
import { credentials, region, uniqueBucket } from './localAwsClients.js';
import { privateGateway } from './privateGateway.js';

const started: Array<Gateway | Server> = [];
afterEach(async () => {
  for (const item of started.splice(0)) {
    if ('endpoint' in item) await item.close();
    else {
      item.closeAllConnections(); // fetch keeps its connection to the webhook alive
      await new Promise((resolve) => item.close(resolve));
    }
  }
});

async function gatewayOrSkip(skip: (note: string) => void, options = {}): Promise<Gateway> {
  const gateway = await privateGateway(options);
  if (!gateway) skip('the global setup reuses a running local AWS: its backends are unknown');
  started.push(gateway!);
  return gateway!;
}

/** A bucket on the gateway, and a function that puts (or deletes) its policy: one change event each. */
async function bucketOn(gateway: Gateway) {
  const s3 = new S3Client({
    endpoint: gateway.endpoint,
    region,
    credentials,
    forcePathStyle: true,
    maxAttempts: 1,
  });
  const bucket = uniqueBucket('events-sub');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const Policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [destinationGrant(bucket, 'some-source')],
  });
  return {
    bucket,
    putPolicy: () => s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy })),
    deletePolicy: () => s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket })),
  };
}

/** A webhook receiver answering `status`; collects the JSON bodies it is sent. */
async function webhook(status = 204): Promise<{ url: string; received: CloudTrailApiCallEvent[] }> {
  const received: CloudTrailApiCallEvent[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  started.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, received };
}

describe('change event subscribers (in-process listeners, webhook, bounded buffer)', () => {
  it('hands each event to listeners before the caller gets its reply, until unsubscribed', async (context) => {
    const gateway = await gatewayOrSkip(context.skip);
    const seen: CloudTrailApiCallEvent[] = [];
    const unsubscribe = gateway.events.subscribe((event) => seen.push(event));
    const { bucket, putPolicy, deletePolicy } = await bucketOn(gateway);
    await putPolicy();
    expect(seen.map((event) => [event.detail.eventName, event.detail.requestParameters.bucketName])).toEqual([
      ['PutBucketPolicy', bucket],
    ]);
    unsubscribe();
    await deletePolicy();
    expect(seen).toHaveLength(1);
    expect((await eventsSince(undefined, gateway.endpoint)).events).toHaveLength(2);
  });

  it('keeps calling later listeners when one throws', async (context) => {
    const gateway = await gatewayOrSkip(context.skip);
    const seen: string[] = [];
    gateway.events.subscribe(() => {
      throw new Error('a broken listener');
    });
    gateway.events.subscribe((event) => seen.push(event.detail.eventName));
    const { putPolicy } = await bucketOn(gateway);
    await expect(putPolicy()).resolves.toBeDefined();
    expect(seen).toEqual(['PutBucketPolicy']);
  });

  it('POSTs each event as JSON to the webhook', async (context) => {
    const hook = await webhook();
    const gateway = await gatewayOrSkip(context.skip, { eventWebhookUrl: hook.url });
    const { putPolicy, deletePolicy } = await bucketOn(gateway);
    await putPolicy();
    await deletePolicy();
    await gateway.events.flush();
    const buffered = (await eventsSince(undefined, gateway.endpoint)).events;
    expect(hook.received.map((event) => event.id).sort()).toEqual(buffered.map((event) => event.id).sort());
    expect(hook.received.map((event) => event.detail.eventName).sort()).toEqual([
      'DeleteBucketPolicy',
      'PutBucketPolicy',
    ]);
  });

  it.for([
    ['answers 500', async (): Promise<string> => (await webhook(500)).url],
    ['cannot be reached', async (): Promise<string> => 'http://127.0.0.1:9/unreachable'],
  ] as const)('does not fail the call when the webhook %s', async ([, url], context) => {
    const gateway = await gatewayOrSkip(context.skip, { eventWebhookUrl: await url() });
    const { putPolicy } = await bucketOn(gateway);
    await expect(putPolicy()).resolves.toBeDefined();
    await gateway.events.flush();
    expect((await eventsSince(undefined, gateway.endpoint)).events).toHaveLength(1);
  });

  it('keeps only the newest events, and reports a gap for an id it dropped', async (context) => {
    const gateway = await gatewayOrSkip(context.skip, { eventBufferSize: 2 });
    const { putPolicy, deletePolicy } = await bucketOn(gateway);
    await putPolicy();
    const [first] = (await eventsSince(undefined, gateway.endpoint)).events;
    await deletePolicy();
    await putPolicy();
    const page = await eventsSince(first!.id, gateway.endpoint);
    expect(page.gap).toBe(true);
    expect(page.events.map((event) => event.detail.eventName)).toEqual([
      'DeleteBucketPolicy',
      'PutBucketPolicy',
    ]);
  });
});
