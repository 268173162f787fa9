import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfiguration } from '../helpers/factories.js';
import { type CliWorld, cliWorld, desiredYaml, unique } from './cliHarness.js';

let world: CliWorld;
let sqs: SQSClient;
let sns: SNSClient;
beforeAll(async () => {
  world = await cliWorld();
  const config = {
    endpoint: world.local.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  sqs = new SQSClient(config);
  sns = new SNSClient(config);
});
afterAll(async () => {
  sqs?.destroy();
  sns?.destroy();
  await world?.close();
});

/** A queue subscribed to the local AWS's alert topic (the one `s3ir` gets as S3IR_ALERT_TOPIC_ARN). */
async function subscribedQueue(): Promise<string> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: unique('cli-alerts') }))).QueueUrl!;
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const topicArn = world.local.env.S3IR_ALERT_TOPIC_ARN!;
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn! }),
  );
  return url;
}

async function alertsOf(
  url: string,
  bucket: string,
  rounds = 3,
): Promise<{ type: string; summary: string }[]> {
  const found: { type: string; summary: string }[] = [];
  for (let round = 0; round < rounds; round++) {
    const page = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    for (const message of page.Messages ?? []) {
      const body = JSON.parse(JSON.parse(message.Body!).Message);
      if (body.bucket === bucket) found.push({ type: body.type, summary: body.summary });
    }
  }
  return found;
}

describe('s3ir reconcile and the bucket status', () => {
  it('records drift once, alerts on the topic when one is set, and s3ir status says since when', async () => {
    const [bucket, dest] = [unique('cli-al'), unique('cli-al-dest')];
    await world.createBuckets(bucket, dest);
    const declared = makeConfiguration({
      Id: 'daily',
      Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV' } },
    });
    await world.run(['apply', '-f', await world.file('al.yaml', desiredYaml({ [bucket]: [declared] }))]);
    const queue = await subscribedQueue();

    const first = await world.run(['reconcile', '--bucket', bucket, '--detect-only', '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'drift-reported', alerts: ['drift-detected'] });
    expect(await alertsOf(queue, bucket)).toEqual([
      { type: 'drift-detected', summary: `Drift on ${bucket}: 2 changes not applied (detect mode)` },
    ]);

    const second = await world.run(['reconcile', '--bucket', bucket, '--detect-only', '--json']);
    expect(JSON.parse(second.stdout)).not.toHaveProperty('alerts');
    expect(await alertsOf(queue, bucket, 2)).toEqual([]);
    const events = (await world.items(world.tables.audit)).filter(
      (item) => item.bucket === bucket && item.action,
    );
    expect(events.map((event) => event.action)).toEqual(['drift-detected', 'drift-detected']);

    const status = (await world.items(world.tables.state)).find(
      (item) => item.bucket === bucket && item.id === '#status',
    );
    expect(status).toMatchObject({ state: 'drifted', version: 1 });
    const listed = JSON.parse((await world.run(['status', '--json'])).stdout);
    expect(listed.buckets.find((row: { bucket: string }) => row.bucket === bucket)).toMatchObject({
      status: 'drifted',
      since: status!.since,
    });
  });

  it('records transitions without a topic, and sends nothing', async () => {
    const [bucket, dest] = [unique('cli-quiet'), unique('cli-quiet-dest')];
    await world.createBuckets(bucket, dest);
    const declared = makeConfiguration({
      Id: 'daily',
      Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: 'CSV' } },
    });
    await world.run(['apply', '-f', await world.file('quiet.yaml', desiredYaml({ [bucket]: [declared] }))]);
    const queue = await subscribedQueue();
    const run = await world.run(['reconcile', '--bucket', bucket, '--json'], { S3IR_ALERT_TOPIC_ARN: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'converged', alerts: ['drift-resolved'] });
    expect(await alertsOf(queue, bucket, 2)).toEqual([]);
    const status = (await world.items(world.tables.state)).find(
      (item) => item.bucket === bucket && item.id === '#status',
    );
    expect(status).toMatchObject({ state: 'in-sync', version: 1 });
  });
});
