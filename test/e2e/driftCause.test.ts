import { PutBucketInventoryConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import type { Message } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Handler } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAuditReader } from '../../lib/adapters/aws/DynamoAuditReader.js';
import { renderAudit } from '../../lib/cli/render/renderAudit.js';
import { LOCAL_HOME_ACCOUNT } from '../integration/aws/localFactory.js';
import { createWorld, type E2eWorld, names, ROLE, weekly } from './e2eWorld.js';
import { lambdaContext, receiveUntil, sqsEvent } from './lambdaHarness.js';

interface ChangeEvent {
  id: string;
  detail: {
    eventName: string;
    eventID: string;
    eventTime: string;
    sourceIPAddress: string;
    requestParameters: { bucketName?: string };
    userIdentity: { arn: string };
  };
}

// The functions read their settings from process.env: put it back for whatever runs next in this worker.
const savedEnv = { ...process.env };
let world: E2eWorld;
let handlers: Record<'reconcile' | 's3Change', Handler>;
const ANA = `arn:aws:sts::${LOCAL_HOME_ACCOUNT}:assumed-role/ops-admin/ana`;

/** An S3 client that acts as a person: a session of a role assumed through the local STS. */
async function personClient(): Promise<S3Client> {
  const config = {
    endpoint: world.local.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const sts = new STSClient(config);
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${LOCAL_HOME_ACCOUNT}:role/ops-admin`,
      RoleSessionName: 'ana',
    }),
  );
  sts.destroy();
  return new S3Client({
    ...config,
    forcePathStyle: true,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    },
  });
}

beforeAll(async () => {
  world = await createWorld();
  handlers = {
    reconcile: (await import('../../functions/reconcile.js')).handler,
    s3Change: (await import('../../functions/s3Change.js')).handler,
  };
}, 180_000);

afterAll(async () => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  for (const client of Object.values(world?.clients ?? {})) client.destroy();
  await world?.local.stop();
});

describe('who caused the drift, end to end on the local AWS', () => {
  it('a hand-made change → CloudTrail event → s3Change → reconcile records its caller as the cause of what it reverted', async () => {
    const { local, clients, queue } = world;
    const before = (await (await fetch(`${local.endpoint}/_local/events`)).json()) as {
      lastId: string | null;
    };
    // Ana sets `weekly` back to Daily by hand (the world seeds a's other drift too: `daily` missing,
    // `stray` unmanaged, the destination policy without our grant).
    const ana = await personClient();
    await ana.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: names.a,
        Id: 'weekly',
        InventoryConfiguration: { ...weekly, Schedule: { Frequency: 'Daily' } },
      }),
    );
    ana.destroy();
    const page = (await (
      await fetch(`${local.endpoint}/_local/events?since=${before.lastId ?? ''}`)
    ).json()) as { events: ChangeEvent[] };
    const change = page.events.find(
      (event) =>
        event.detail.eventName === 'PutBucketInventoryConfiguration' &&
        event.detail.requestParameters.bucketName === names.a,
    )!;
    expect(change.detail.userIdentity.arn).toBe(ANA);

    expect(await handlers.s3Change(change, lambdaContext('s3Change', 30_000), () => {})).toEqual({
      ignored: false,
      buckets: [names.a],
    });
    const mine = (messages: Message[]) =>
      messages.filter((message) => JSON.parse(message.Body!).bucket === names.a);
    const messages = mine(await receiveUntil(clients.sqs, queue.url, (got) => mine(got).length >= 1));
    expect(messages).toHaveLength(1);
    const cause = {
      actor: ANA,
      sourceIp: change.detail.sourceIPAddress,
      time: new Date(change.detail.eventTime).toISOString(),
      eventId: change.detail.eventID,
      eventName: 'PutBucketInventoryConfiguration',
    };
    expect(JSON.parse(messages[0]!.Body!).cause).toEqual({
      ...cause,
      scope: { kind: 'configuration', bucket: names.a, configId: 'weekly' },
    });

    const reconciled = await handlers.reconcile(
      sqsEvent(messages, queue.arn),
      lambdaContext('reconcile', 120_000),
      () => {},
    );
    expect(reconciled).toEqual({ batchItemFailures: [] });

    // Read back as `s3ir audit --run` reads it.
    const reader = new DynamoAuditReader({
      client: clients.documents,
      tableName: local.env.S3IR_AUDIT_TABLE!,
    });
    const events = await reader.query({ runId: `change-${change.id}` });
    const byAction = Object.fromEntries(events.map((event) => [event.configId ?? event.target, event]));
    // Only the change that reverted Ana's edit names her as its cause; the rest was drift she did not make.
    expect(byAction.weekly).toMatchObject({
      action: 'inventory-updated',
      actor: ROLE,
      // The put also names the verified owner (AccountId), which Ana's configuration left out.
      message: `updated inventory weekly on ${names.a} (Destination.S3BucketDestination.AccountId, Schedule.Frequency)`,
      cause,
    });
    expect(events.filter((event) => event.cause !== undefined)).toHaveLength(1);
    expect(byAction[names.dest]).toMatchObject({
      action: 'destination-policy-updated',
      message: `granted S3 delivery from ${names.a} on ${names.dest}`,
    });
    expect(byAction.daily?.message).toBe(`created inventory daily on ${names.a}`);

    const rendered = renderAudit([byAction.weekly!]);
    expect(rendered).toContain(
      `    changed by ${ANA} from ${cause.sourceIp} at ${cause.time}, reverted by ${ROLE} at ${byAction.weekly!.time}\n`,
    );
  });
});
